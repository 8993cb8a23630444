"""Verification side by side: badgeforge's verifier against the 1EdTech OB 2.0 validator
(OB 2.0 inputs) and the digitalbazaar JavaScript stack (OB 3.0 inputs).

Usage::

    .venv/bin/python bench/bench_verify.py [--awards N] [--seconds S] [--rounds R] [--cpu C]
                                           [--only REGEX]

Starts ``badgeforge serve`` (one process) on 127.0.0.1 with a fresh SQLite file, awards
``--awards`` badges over the API, then verifies **the same inputs** with both verifiers
of each pair:

- an OB 2.0 hosted assertion, given as its URL (the assertion, badge class and issuer are
  fetched over HTTP from the server each time: no verifier caches anything here);
- the OB 2.0 signed assertion, given as its compact JWS (the key, issuer and revocation
  list are fetched);
- the baked PNG carrying the hosted assertion (read, then verified as hosted);
- the OB 3.0 credential with its ``eddsa-rdfc-2022`` proof, as JSON (the key, and the
  Bitstring Status List credential, itself verified, are fetched);
- the same credential as a VC-JWT (RS256; the JWK and the status list are fetched);
- the PNG with the Data Integrity credential baked in.

badgeforge: ``core.verification.verify`` with the SSRF-safe ``OutboundFetcher`` (loopback
allowed, response cache off), in this process: every check of its report (schema, proof,
key, status, dates). The 1EdTech validator: PyPI ``badgecheck`` 1.2.0
(``openbadges.verifier.verify``) in its own virtualenv (``tests/oracles/ob2_validator.py``
builds it; contexts served locally, as in the test oracle), in a child process
(``_ob2_timing.py``). The JavaScript stack: ``bench/js/verify.mjs`` in Node, the pins of
``tests/oracles/vc_js`` (``@digitalbazaar/vc`` with ``eddsa-rdfc-2022``, ``jose`` for
VC-JWT) and the oracle's own checks (``tests/oracles/vc_js/checks.mjs``: proof, claims,
status), documents fetched with Node's ``fetch`` each time, contexts bundled.

Both verifiers of a pair run one verification at a time, pinned to the same CPU (``--cpu``,
default 0); the server is pinned to the other one. Each kind runs ``--rounds`` rounds of
``--seconds``; the table gives the median rate and the best round, and each verifier's own
CPU time per verification (its process only, least of the rounds: the server's share, the
same for both, is left out; it moves far less than the rates when other work shares the
machine). Before timing, both verifiers must find the first input of each kind valid.
Targets (issue 7): ten times the 1EdTech validator, twice the JavaScript stack.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from _common import create_organisation, load_average, machine, markdown_table
from bench_signing import install_js
from bench_wrk import HOST, free_port, process, seed

from badgeforge.core.keys import KeyVault
from badgeforge.core.verification import Verdict, VerifyOptions, verify
from badgeforge.db import make_engine, make_sessionmaker, utcnow
from badgeforge.migrate import upgrade
from badgeforge.outbound.fetcher import OutboundFetcher

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.oracles.ob2_validator import CONTEXTS, HERE, _venv_python, ensure_venv  # noqa: E402

OB2_KINDS = ("OB 2.0 hosted (URL)", "OB 2.0 signed (JWS)", "OB 2.0 baked PNG")
OB3_KINDS = ("OB 3.0 Data Integrity (JSON)", "OB 3.0 VC-JWT", "OB 3.0 baked PNG")
KINDS = OB2_KINDS + OB3_KINDS
TARGETS = {"1EdTech OB 2.0 validator": 10.0, "digitalbazaar JS (Node)": 2.0}
Inputs = dict[str, list[str | bytes]]


def serve(workdir: Path, awards: int, cpu: int) -> tuple[Any, Inputs]:
    """A started server (context manager, entered) and the inputs of each kind."""
    database_url = f"sqlite:///{workdir / 'badgeforge.db'}"
    upgrade(database_url)
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        _, token = create_organisation(session)
    engine.dispose()
    port = free_port()
    url = f"http://{HOST}:{port}"
    env = {
        **os.environ,
        "BADGEFORGE_DATA_DIR": str(workdir),
        "BADGEFORGE_DATABASE_URL": database_url,
        "BADGEFORGE_PUBLIC_BASE_URL": url,
        "BADGEFORGE_MASTER_KEYS": KeyVault.generate_master_key(),
    }
    command = ["taskset", "-c", str(1 - cpu), sys.executable, "-m", "badgeforge", "serve"]
    command += ["--host", HOST, "--port", str(port)]
    server = process(command, url + "/health", env, workdir / "server.log")
    server.__enter__()
    _, ids = seed(url, token, awards)
    inputs: Inputs = {kind: [] for kind in KINDS}
    with httpx.Client(base_url=url) as client:
        for award_id in ids:
            inputs[KINDS[0]].append(f"{url}/ob2/assertions/{award_id}")
            signed = client.get(f"/ob2/assertions/{award_id}/signed").raise_for_status()
            inputs[KINDS[1]].append(signed.text)
            baked = client.get(f"/ob2/assertions/{award_id}/baked.png").raise_for_status()
            inputs[KINDS[2]].append(baked.content)
            credential = client.get(f"/ob3/credentials/{award_id}").raise_for_status()
            inputs[KINDS[3]].append(credential.text)
            jwt = client.get(f"/ob3/credentials/{award_id}/jwt").raise_for_status()
            inputs[KINDS[4]].append(jwt.text.strip())
            baked = client.get(f"/ob3/credentials/{award_id}/baked.png").raise_for_status()
            inputs[KINDS[5]].append(baked.content)
    return server, inputs


Timing = dict[str, tuple[list[float], list[float]]]
"""Per kind: verifications per second, and CPU seconds per verification, of each round."""


def rates(
    call: Callable[[str | bytes], object], items: list[str | bytes], args: Any
) -> tuple[list[float], list[float]]:
    """Rates and CPU per verification of each round (one at a time, cycling over ``items``)."""
    result, cpu = [], []
    for _ in range(args.rounds):
        count, started, used = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - started < args.seconds:
            call(items[count % len(items)])
            count += 1
        result.append(count / (time.perf_counter() - started))
        cpu.append((time.process_time() - used) / count)
    return result, cpu


def badgeforge_rates(inputs: Inputs, args: Any) -> Timing:
    fetcher = OutboundFetcher(allow_loopback=True, cache=None)

    def call(data: str | bytes) -> object:
        return verify(data, VerifyOptions(now=utcnow(), fetcher=fetcher))

    results = {}
    for kind, items in inputs.items():
        report = verify(items[0], VerifyOptions(now=utcnow(), fetcher=fetcher))
        if report.verdict is not Verdict.VALID:
            raise SystemExit(f"badgeforge: {kind} is {report.verdict}: {report.to_json()}")
        results[kind] = rates(call, items, args)
    return results


def validator_rates(inputs: Inputs, args: Any) -> Timing:
    kinds = {
        kind: [
            {"image_b64": base64.b64encode(item).decode()}
            if isinstance(item, bytes)
            else {"text": item}
            for item in items
        ]
        for kind, items in inputs.items()
    }
    request = {
        "runner_dir": str(HERE),
        "contexts": {url: str(path) for url, path in CONTEXTS.items()},
        "seconds": args.seconds,
        "rounds": args.rounds,
        "kinds": kinds,
    }
    python = str(_venv_python(ensure_venv()))
    command = ["taskset", "-c", str(args.cpu), python, "-I", "-W", "ignore"]
    command.append(str(Path(__file__).with_name("_ob2_timing.py")))
    done = subprocess.run(
        command, input=json.dumps(request), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"validator failed:\n{done.stderr[-3000:]}")
    results = json.loads(done.stdout)
    for kind, result in results.items():
        if not result["valid"]:
            raise SystemExit(f"validator: {kind} is not valid: {result['errors']}")
    return {kind: (result["rates"], result["cpu"]) for kind, result in results.items()}


def javascript_rates(inputs: Inputs, args: Any) -> Timing:
    """The digitalbazaar stack (bench/js/verify.mjs) on the same inputs, one at a time."""
    folder = install_js()
    kinds = {
        kind: [
            {"png_b64": base64.b64encode(item).decode()}
            if isinstance(item, bytes)
            else {"credential": json.loads(item)}
            if item.startswith("{")
            else {"jwt": item}
            for item in items
        ]
        for kind, items in inputs.items()
    }
    node = subprocess.Popen(
        ["taskset", "-c", str(args.cpu), "node", "verify.mjs"],
        cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip

    def ask(command: dict[str, Any]) -> dict[str, Any]:
        assert node.stdin is not None
        assert node.stdout is not None
        node.stdin.write(json.dumps(command) + "\n")
        node.stdin.flush()
        answer: dict[str, Any] = json.loads(node.stdout.readline())
        if "error" in answer:
            raise SystemExit(f"verify.mjs: {answer['error']}")
        return answer

    try:
        checked = ask({"op": "setup", "kinds": kinds})
        for kind, valid in checked["valid"].items():
            if not valid:
                raise SystemExit(f"JavaScript: {kind} is not valid: {checked['errors'][kind]}")
        results: Timing = {}
        for kind in kinds:
            rounds = [
                ask({"op": "round", "kind": kind, "seconds": args.seconds})
                for _ in range(args.rounds)
            ]
            rates_ = [r["count"] / r["elapsed"] for r in rounds]
            results[kind] = (rates_, [r["cpu"] / r["count"] for r in rounds])
        return results
    finally:
        if node.stdin is not None:
            node.stdin.write(json.dumps({"op": "quit"}) + "\n")
            node.stdin.close()
        node.wait(timeout=30)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--awards", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cpu", type=int, choices=(0, 1), default=0)
    parser.add_argument("--only", default="", help="a regular expression on the input kinds")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}; load before: {load_average()}")
    os.sched_setaffinity(0, {args.cpu})
    with tempfile.TemporaryDirectory(prefix="bench-verify-") as workdir:
        server, inputs = serve(Path(workdir), args.awards, args.cpu)
        inputs = {k: v for k, v in inputs.items() if re.search(args.only, k, re.IGNORECASE)}
        ob2 = {k: v for k, v in inputs.items() if k in OB2_KINDS}
        ob3 = {k: v for k, v in inputs.items() if k in OB3_KINDS}
        try:
            ours = badgeforge_rates(inputs, args)
            theirs: dict[str, tuple[str, tuple[list[float], list[float]]]] = {}
            if ob2:
                for kind, timing in validator_rates(ob2, args).items():
                    theirs[kind] = ("1EdTech OB 2.0 validator", timing)
            if ob3:
                for kind, timing in javascript_rates(ob3, args).items():
                    theirs[kind] = ("digitalbazaar JS (Node)", timing)
        finally:
            server.__exit__(None, None, None)
    rows = []
    for kind in inputs:
        (mine, mine_cpu), (name, (other, other_cpu)) = ours[kind], theirs[kind]
        rate, other_rate = statistics.median(mine), statistics.median(other)
        cpu, other_cpu_ms = 1000 * min(mine_cpu), 1000 * min(other_cpu)
        rows.append(
            [
                kind,
                f"{rate:,.0f}",
                f"{max(mine):,.0f}",
                name,
                f"{other_rate:,.1f}",
                f"{max(other):,.1f}",
                f"**{rate / other_rate:,.1f}x**",
                f"{TARGETS[name]:g}x",
                f"{cpu:.2f}",
                f"{other_cpu_ms:.2f}",
                f"{other_cpu_ms / cpu:,.1f}x",
            ]
        )
    header = ["input", "badgeforge /s", "best", "compared with", "its /s", "best", "ratio"]
    header += ["target", "badgeforge CPU ms", "its CPU ms", "CPU ratio"]
    print(f"\n{args.rounds} rounds of {args.seconds:g} s; load after: {load_average()}\n")
    print(markdown_table(header, rows))


if __name__ == "__main__":
    main()
