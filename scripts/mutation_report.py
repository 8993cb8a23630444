# ruff: noqa: T201  (a command-line report: printing is its job)
"""Summarise a mutmut run over badgeforge.core: the score, per module, and every survivor.

Run by ``scripts/mutation`` from the project root after ``mutmut run``. A mutant counts as
killed when a test failed, timed out or the type checker caught it. Survivors named in
docs/mutation-survivors.md (a line starting with ``- `<mutant name>` ``) are reported as
equivalent; every other survivor is printed with the line it changes. Exits 1 when the
killed share is below MUTATION_MIN_SCORE (default 90).
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter, defaultdict
from fnmatch import fnmatch
from pathlib import Path

from mutmut.mutation.data import SourceFileMutationData
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import walk_mutatable_files

KILLED = {"killed", "timeout", "caught by type check"}
EQUIVALENTS_FILE = Path("docs/mutation-survivors.md")
_LISTED = re.compile(r"^\s*[-*]\s+`(badgeforge\.[\w.ǁ]+__mutmut_\d+)`", re.MULTILINE)


def main(argv: list[str]) -> int:
    patterns = argv[1:] or ["*"]
    show_diffs = os.environ.get("MUTATION_DIFFS", "1") != "0"
    minimum = float(os.environ.get("MUTATION_MIN_SCORE", "90"))
    equivalent = set(_LISTED.findall(EQUIVALENTS_FILE.read_text(encoding="utf-8")))
    statuses = _statuses(patterns)
    if not statuses:
        print("No mutation results: run scripts/mutation first.")
        return 1
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in statuses.items():
        by_module[_module(name)][_bucket(status)] += 1
    print(
        f"{'module':<22}{'mutants':>8}{'killed':>8}{'surv.':>7}{'no test':>9}"
        f"{'unrun':>7}{'score':>8}"
    )
    for module, counts in sorted(by_module.items()):
        _print_row(module, counts)
    total = sum(by_module.values(), Counter())
    _print_row("core (all)", total)
    killed, mutants = total["killed"], sum(total.values())
    score = 100 * killed / mutants
    timeouts = sum(status == "timeout" for status in statuses.values())
    survivors = sorted(name for name, status in statuses.items() if status not in KILLED)
    unexplained = [name for name in survivors if name not in equivalent]
    print(
        f"\nScore: {killed} of {mutants} mutants killed = {score:.1f} % "
        f"(of which {timeouts} by timeout); {len(survivors) - len(unexplained)} survivors "
        f"are named as equivalent in {EQUIVALENTS_FILE}, {len(unexplained)} are not."
    )
    stale = sorted(name for name in equivalent if statuses.get(name, "killed") in KILLED)
    if stale and patterns == ["*"]:
        print(f"Listed as equivalent but no longer surviving (update the list): {stale}")
    if unexplained:
        print("\nSurvivors not named as equivalent:")
    for name in unexplained:
        print(f"  {name}  [{statuses[name]}]")
        if show_diffs:
            print(_changed_lines(name))
    return 0 if score >= minimum or patterns != ["*"] else 1


def _statuses(patterns: list[str]) -> dict[str, str]:
    statuses: dict[str, str] = {}
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, exit_code in data.exit_code_by_key.items():
            if any(fnmatch(name, pattern) for pattern in patterns):
                statuses[name] = status_by_exit_code[exit_code]
    return statuses


def _module(name: str) -> str:
    return name.partition(".x")[0].removeprefix("badgeforge.core.")


def _bucket(status: str) -> str:
    if status in KILLED:
        return "killed"
    if status in ("no tests", "not checked"):
        return status
    return "survived"


def _print_row(module: str, counts: Counter[str]) -> None:
    mutants = sum(counts.values())
    score = 100 * counts["killed"] / mutants if mutants else 100.0
    print(
        f"{module:<22}{mutants:>8}{counts['killed']:>8}{counts['survived']:>7}"
        f"{counts['no tests']:>9}{counts['not checked']:>7}{score:>7.1f}%"
    )


def _changed_lines(name: str) -> str:
    try:
        diff = get_diff_for_mutant(name)
    except Exception as exc:
        return f"      (no diff: {exc})"
    lines = [
        f"      {line[0]} {line[1:].strip()}"
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
