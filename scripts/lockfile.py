"""Tell whether requirements/*.txt were generated from pyproject.toml's current dependencies.

scripts/lock writes, at the top of each lock file, a digest of what it compiled: requires-python,
the dependencies, the optional dependencies and the build requirements of pyproject.toml. A lock
whose digest differs was not regenerated after a dependency changed. Standard library only, so it
runs before anything is installed.

    python scripts/lockfile.py digest            the digest of the current pyproject.toml
    python scripts/lockfile.py build-requires    the build requirements, one a line
    python scripts/lockfile.py check             exit 1, saying what to do, if a lock is stale
"""

import hashlib
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCKS = (ROOT / "requirements" / "lock.txt", ROOT / "requirements" / "dev-lock.txt")
DIGEST_PREFIX = "# inputs-sha256: "


def pyproject() -> dict[str, Any]:
    """The parsed pyproject.toml of this checkout."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def inputs() -> dict[str, object]:
    """What a lock is compiled from, in a canonical form (ranges as written, sorted)."""
    project = pyproject()["project"]
    optional = project.get("optional-dependencies", {})
    return {
        "requires-python": project.get("requires-python", ""),
        "dependencies": sorted(project.get("dependencies", [])),
        "optional-dependencies": {name: sorted(items) for name, items in optional.items()},
        "build-requires": build_requires(),
    }


def build_requires() -> list[str]:
    """The build system's requirements, which the locks pin too (installs skip isolation)."""
    return sorted(pyproject().get("build-system", {}).get("requires", []))


def digest() -> str:
    """SHA-256 of :func:`inputs`; scripts/lock records it in each lock file."""
    canonical = json.dumps(inputs(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def recorded_digest(lock: Path) -> str | None:
    """The digest a lock file was generated with, or None if it has none (or is missing)."""
    if not lock.is_file():
        return None
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line.startswith(DIGEST_PREFIX):
            return line.removeprefix(DIGEST_PREFIX).strip()
    return None


def stale_locks() -> list[Path]:
    """Lock files not generated from the current pyproject.toml."""
    want = digest()
    return [lock for lock in LOCKS if recorded_digest(lock) != want]


def main(arguments: list[str]) -> int:
    command = arguments[0] if arguments else "check"
    if command == "digest":
        sys.stdout.write(digest() + "\n")
    elif command == "build-requires":
        sys.stdout.write("".join(f"{item}\n" for item in build_requires()))
    elif command == "check":
        stale = stale_locks()
        for lock in stale:
            sys.stderr.write(
                f"{lock.relative_to(ROOT)} does not match pyproject.toml's dependencies: "
                "run scripts/lock and commit requirements/.\n"
            )
        return 1 if stale else 0
    else:
        sys.stderr.write(__doc__ or "")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
