"""Timing loop of the 1EdTech OB 2.0 validator, run by ``bench_verify.py`` in the oracle venv.

Runs with the interpreter of ``.oracles/ob2-venv`` (``tests/oracles/ob2_validator.py``
builds it): standard library and that venv only, never badgeforge. It reuses the offline
transport of ``tests/oracles/ob2_runner.py`` (contexts served locally, loopback allowed,
nothing else), then, for each kind of input, calls ``openbadges.verifier.verify`` in a loop
for ``seconds``, ``rounds`` times, cycling over the inputs.

stdin: ``{"runner_dir", "contexts", "seconds", "rounds", "kinds": {name: [input, ...]}}``
where an input is ``{"text": ...}`` or ``{"image_b64": ...}``. stdout: ``{name: {"rates":
[per round], "cpu": [CPU seconds per verification, per round], "valid": bool, "errors":
[...]}}`` (validity and errors of the first input).
"""

import base64
import contextlib
import io
import json
import sys
import time
from typing import Any


def main() -> int:
    request = json.load(sys.stdin)
    sys.path.insert(0, request["runner_dir"])
    from ob2_runner import install_offline_transport

    install_offline_transport(request["contexts"])
    from openbadges.verifier import verify
    from openbadges.verifier.utils import CachableDocumentLoader
    from pyld import jsonld

    jsonld.set_document_loader(CachableDocumentLoader(use_cache=False))

    def badge(item: dict[str, Any]) -> Any:
        if "image_b64" in item:
            image = io.BytesIO(base64.b64decode(item["image_b64"]))
            image.name = "badge.png"
            return image
        return item["text"]

    results: dict[str, Any] = {}
    for name, items in request["kinds"].items():
        with contextlib.redirect_stdout(sys.stderr):
            first = verify(badge(items[0]))
            rates, cpu = [], []
            for _ in range(request["rounds"]):
                count, started, used = 0, time.perf_counter(), time.process_time()
                while time.perf_counter() - started < request["seconds"]:
                    verify(badge(items[count % len(items)]))
                    count += 1
                rates.append(count / (time.perf_counter() - started))
                cpu.append((time.process_time() - used) / count)
        report = first["report"]
        errors = [m.get("result") for m in report["messages"] if m.get("messageLevel") == "ERROR"]
        results[name] = {
            "rates": rates,
            "cpu": cpu,
            "valid": bool(report["valid"]),
            "errors": errors,
        }
    sys.stdout.write(json.dumps(results) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
