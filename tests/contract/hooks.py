"""Schemathesis hooks of the contract run (loaded through ``SCHEMATHESIS_HOOKS``).

- Uploads: the OpenAPI document says the file part is ``image/png`` or ``image/svg+xml``;
  these strategies make real (small) images of those types, as a client would send.
- ``Idempotency-Key``: generators reuse simple values, and reusing a key for another body is
  refused by design (422), which no schema can say; each call gets a fresh key instead.
- Every call is recorded (phase, operation, status) for the stateful-coverage assertion.
"""

import io
import json
import os
import uuid
from typing import Any

import schemathesis
from hypothesis import strategies as st
from PIL import Image


def _png(side: int, colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (side, side), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _svg(side: int, colour: tuple[int, int, int]) -> bytes:
    fill = "#{:02x}{:02x}{:02x}".format(*colour)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}">'
        f'<rect width="{side}" height="{side}" fill="{fill}"/></svg>'
    ).encode()


_colours = st.tuples(*(st.integers(0, 255),) * 3)
schemathesis.openapi.media_type("image/png", st.builds(_png, st.integers(1, 64), _colours))
schemathesis.openapi.media_type("image/svg+xml", st.builds(_svg, st.integers(1, 64), _colours))


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and 1 <= len(key) <= 255:
        case.headers["Idempotency-Key"] = uuid.uuid4().hex


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    record = os.environ.get("BADGEFORGE_CONTRACT_RECORD")
    if not record:
        return
    meta = case.meta
    phase = meta.phase.name.value if meta is not None else "?"
    line = {"phase": str(phase), "operation": case.operation.label, "status": response.status_code}
    with open(record, "a", encoding="utf-8") as file:
        file.write(json.dumps(line) + "\n")


CLOCK_RULES = ("'issued_on' cannot be in the future.", "'expires' must be after 'issued_on'.")
"""Refusals no JSON Schema can state (they depend on the clock or compare two fields); the
schema's field descriptions say them, and ``tests/awards`` tests them."""


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if type(failure).__name__ != "RejectedPositiveData" or response.status_code != 422:
        return True
    try:
        detail = json.loads(response.content).get("detail")
    except ValueError:
        return True
    return detail not in CLOCK_RULES
