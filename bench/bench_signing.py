"""Credentials signed and verified per second: badgeforge against the digitalbazaar JS stack.

One command, one run, side by side on this machine (issue 6, "Performance")::

    .venv/bin/python bench/bench_signing.py

It measures, on one realistic OB 3.0 credential built by ``core/ob3.py`` (status entry,
alignments, evidence): badgeforge's ``eddsa-rdfc-2022`` signing and verification, VC-JWT
``RS256`` signing and verification, raw RSA-2048 PKCS#1 v1.5 signing and verification of the
same JWS signing input, and the same Data Integrity signing and verification done by the
digitalbazaar stack (``bench/js``, the packages of ``tests/oracles/vc_js``, installed with
``npm ci`` into ``.oracles/vc-bench``). Both stacks sign with the same Ed25519 key and
``created``, so their proofs must be byte for byte the same; each verifies the other's.

Single core: the Python process and the Node process (a child) are pinned to one CPU, and
each runs one operation at a time. Rounds alternate between the stacks so that a change of
load on the machine hits both. Prints a Markdown table and writes JSON results.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import machine, markdown_table
from _signing_fixture import CREATED, METHOD_ID, SEED, credential, key_documents
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa
from cryptography.hazmat.primitives.hashes import SHA256
from pyld import jsonld

from badgeforge.core import vc_jwt
from badgeforge.core.data_integrity import add_proof, verify_proof
from badgeforge.core.jsonld import offline_loader
from badgeforge.core.jws import verify_compact
from badgeforge.core.multibase import multibase_decode
from badgeforge.core.ob2 import format_datetime

ROOT = Path(__file__).resolve().parents[1]
JS_SOURCE = Path(__file__).resolve().parent / "js"
JS_INSTALL = ROOT / ".oracles" / "vc-bench"
ORACLE_CHECKS = ROOT / "tests" / "oracles" / "vc_js" / "checks.mjs"
LOCK_FILES = ("package.json", "package-lock.json")
TARGET_DI = 2.0
TARGET_JWT_OVERHEAD = 1.2


def install_js() -> Path:
    """``npm ci`` of bench/js into .oracles/vc-bench, again only when the lock changed."""
    digest = hashlib.sha256(b"".join((JS_SOURCE / name).read_bytes() for name in LOCK_FILES))
    stamp = JS_INSTALL / ".badgeforge-bench-key"
    if not (stamp.exists() and stamp.read_text().strip() == digest.hexdigest()):
        shutil.rmtree(JS_INSTALL, ignore_errors=True)
        JS_INSTALL.mkdir(parents=True)
        for name in LOCK_FILES:
            shutil.copy2(JS_SOURCE / name, JS_INSTALL / name)
        command = ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"]
        subprocess.run(command, cwd=JS_INSTALL, check=True, capture_output=True, timeout=600)
        stamp.write_text(digest.hexdigest() + "\n")
    # bench.mjs; verify.mjs (bench_verify.py) and the oracle's checks it runs
    for script in [*JS_SOURCE.glob("*.mjs"), ORACLE_CHECKS]:
        shutil.copy2(script, JS_INSTALL / script.name)
    return JS_INSTALL


class NodeStack:
    """The Node benchmark process, driven one command (one JSON line) at a time."""

    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen(
            ["node", "bench.mjs"], cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip

    def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin
        assert self.process.stdout
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(f"bench.mjs: {answer['error']}")
        return answer

    def round(self, what: str, seconds: float) -> float:
        answer = self.ask({"op": "round", "what": what, "seconds": seconds})
        return float(answer["count"]) / float(answer["elapsed"])

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.write(json.dumps({"op": "quit"}) + "\n")
        self.process.stdin.close()
        self.process.wait(timeout=30)


def python_round(operation: Callable[[], object], seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while True:
        operation()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


def python_operations() -> tuple[dict[str, Callable[[], object]], dict[str, Any]]:
    """The badgeforge operations to time, and the signed credential for the JS side."""
    document = credential()
    ed_key = ed25519.Ed25519PrivateKey.from_private_bytes(SEED)
    signed = add_proof(document, ed_key, verification_method=METHOD_ID, created=CREATED)
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = vc_jwt.sign(document, rsa_key, "https://bench.example/keys/rsa-1")
    signing_input = token.rsplit(".", 1)[0].encode("ascii")
    rsa_signature = rsa_key.sign(signing_input, padding.PKCS1v15(), SHA256())
    operations: dict[str, Callable[[], object]] = {
        "di_sign": lambda: add_proof(
            document, ed_key, verification_method=METHOD_ID, created=CREATED
        ),
        "di_verify": lambda: verify_proof(signed, signed["proof"], ed_key.public_key()),
        "jwt_sign": lambda: vc_jwt.sign(document, rsa_key, "https://bench.example/keys/rsa-1"),
        "jwt_verify": lambda: vc_jwt.credential_of(verify_compact(token, rsa_key.public_key())),
        "rsa_sign": lambda: rsa_key.sign(signing_input, padding.PKCS1v15(), SHA256()),
        "rsa_verify": lambda: rsa_key.public_key().verify(
            rsa_signature, signing_input, padding.PKCS1v15(), SHA256()
        ),
        "pyld_sign": lambda: pyld_sign(signed, ed_key),
    }
    return operations, signed


def pyld_sign(signed: dict[str, Any], key: ed25519.Ed25519PrivateKey) -> bytes:
    """Reference, the path before issue 6: pyld's ``normalize`` of both documents, then sign."""
    options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
    options["documentLoader"] = offline_loader  # type: ignore[assignment]
    document = {key: value for key, value in signed.items() if key != "proof"}
    config = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    config["@context"] = signed["@context"]
    hashes = [hashlib.sha256(jsonld.normalize(item, options).encode()).digest()
              for item in (config, document)]  # fmt: skip
    return key.sign(b"".join(hashes))


def node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()


def pin_to_one_cpu(cpu: int | None) -> int:
    allowed = sorted(os.sched_getaffinity(0))
    chosen = allowed[0] if cpu is None else cpu
    os.sched_setaffinity(0, {chosen})
    return chosen


def setup_js(signed: dict[str, Any]) -> tuple[NodeStack, dict[str, Any]]:
    """Start the JS stack; check both stacks agree on the same credential, key and date."""
    stack = NodeStack(install_js())
    unsigned = {key: value for key, value in signed.items() if key != "proof"}
    answer = stack.ask(
        {
            "op": "setup",
            "credential": unsigned,
            "seedHex": SEED.hex(),
            "methodId": METHOD_ID,
            "created": format_datetime(CREATED),
            "documents": key_documents(),
            "foreign": signed,
        }
    )
    js_signed = answer["signed"]
    public = ed25519.Ed25519PrivateKey.from_private_bytes(SEED).public_key()
    verify_proof(js_signed, js_signed["proof"], public)
    checks = {
        "js_verifies_badgeforge": answer["foreignVerified"],
        "js_verifies_its_own": answer["verified"],
        "badgeforge_verifies_js": True,
        "same_proof_value": js_signed["proof"]["proofValue"] == signed["proof"]["proofValue"],
    }
    if not all(checks.values()):
        raise SystemExit(f"the stacks disagree: {checks} {answer['errors']}")
    return stack, checks


def summarise(rates: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    return {
        name: {"median": statistics.median(values), "best": max(values), "rounds": len(values)}
        for name, values in rates.items()
    }


def verdicts(summary: dict[str, dict[str, float]]) -> dict[str, dict[str, Any]]:
    """The issue's targets. Stacks compare by median rate; the VC-JWT overhead compares the
    best rounds (both are fixed CPU work, so the fastest round is the least disturbed)."""

    def ratio(ours: str, theirs: str, statistic: str) -> float:
        return summary[ours][statistic] / summary[theirs][statistic]

    result: dict[str, dict[str, Any]] = {}
    for what in ("sign", "verify"):
        if f"js_di_{what}" in summary:
            value = ratio(f"di_{what}", f"js_di_{what}", "median")
            result[f"di_{what}_vs_js"] = {
                "ratio": value,
                "target": TARGET_DI,
                "met": value >= TARGET_DI,
                "compared": "median rates",
            }
    overhead = 1 / ratio("jwt_sign", "rsa_sign", "best")
    result["jwt_sign_cost_vs_raw_rsa"] = {
        "ratio": overhead,
        "target": TARGET_JWT_OVERHEAD,
        "met": overhead <= TARGET_JWT_OVERHEAD,
        "compared": "best rounds",
        "median_ratio": 1 / ratio("jwt_sign", "rsa_sign", "median"),
    }
    return result


LABELS = {
    "di_sign": "eddsa-rdfc-2022 sign",
    "di_verify": "eddsa-rdfc-2022 verify",
    "jwt_sign": "VC-JWT RS256 sign",
    "jwt_verify": "VC-JWT RS256 verify",
    "rsa_sign": "raw RSA-2048 sign (same JWS input)",
    "rsa_verify": "raw RSA-2048 verify",
    "pyld_sign": "reference: eddsa-rdfc-2022 sign with pyld normalize (before)",
}


def table(summary: dict[str, dict[str, float]]) -> str:
    rows = []
    for name, label in LABELS.items():
        ours = summary[name]
        js = summary.get(f"js_{name}")
        ratio = f"{ours['median'] / js['median']:.2f}x" if js else ""
        js_cells = [f"{js['median']:,.0f}", f"{js['best']:,.0f}"] if js else ["", ""]
        rows.append([label, f"{ours['median']:,.0f}", f"{ours['best']:,.0f}", *js_cells, ratio])
    header = ["Operation", "badgeforge /s (median)", "best", "digitalbazaar JS /s (median)",
              "best", "badgeforge ÷ JS"]  # fmt: skip
    return markdown_table(header, rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per operation")
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one round")
    parser.add_argument("--cpu", type=int, help="CPU to pin to (default: the first allowed)")
    parser.add_argument("--no-js", action="store_true", help="skip the digitalbazaar stack")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "signing.json")
    args = parser.parse_args(argv)

    cpu = pin_to_one_cpu(args.cpu)
    operations, signed = python_operations()
    stack, checks = (None, {}) if args.no_js else setup_js(signed)
    reference = pyld_sign(signed, ed25519.Ed25519PrivateKey.from_private_bytes(SEED))
    checks["pyld_reference_same_signature"] = reference == multibase_decode(
        signed["proof"]["proofValue"]
    )
    for operation in operations.values():  # warm up caches (contexts, JIT on the JS side)
        python_round(operation, 0.2)
    if stack:
        stack.round("sign", 1.0)
        stack.round("verify", 1.0)
    rates: dict[str, list[float]] = {name: [] for name in operations}
    try:
        for _ in range(args.rounds):
            for name, operation in operations.items():
                rates[name].append(python_round(operation, args.seconds))
            for what in ("sign", "verify"):
                if stack is not None:
                    rate = stack.round(what, args.seconds)
                    rates.setdefault(f"js_di_{what}", []).append(rate)
    finally:
        if stack:
            stack.close()
    summary = summarise(rates)
    results = {
        "machine": machine(),
        "node": node_version(),
        "pinned_cpu": cpu,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "rounds": args.rounds,
        "seconds_per_round": args.seconds,
        "checks": checks,
        "per_second": summary,
        "targets": verdicts(summary),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{results['machine']}, Node {results['node']}")
    print(f"one process per stack, each pinned to CPU {cpu}")
    print(f"{args.rounds} rounds of {args.seconds} s per operation, stacks alternating\n")
    print(table(summary))
    print()
    for name, verdict in results["targets"].items():
        state = "met" if verdict["met"] else "NOT met"
        print(f"- {name}: {verdict['ratio']:.2f} ({verdict['compared']}; target "
              f"{verdict['target']}): {state}")  # fmt: skip
    print(f"\nJSON: {args.json}")


if __name__ == "__main__":
    main()
