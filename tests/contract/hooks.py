"""Schemathesis hooks of the contract run (loaded through ``SCHEMATHESIS_HOOKS``).

- Uploads: the OpenAPI document says the file part is ``image/png`` or ``image/svg+xml``
  (badge images) or ``text/csv`` (award batches); these strategies make real (small) files
  of those types, as a client would send (a UTF-8 spreadsheet export with an email column).
- Realistic values: ``tests/contract/seed.py`` made real data on the server before the run
  (a JSON file named by ``BADGEFORGE_CONTRACT_SEEDS``). Generated path parameters and bodies
  of the operations it lists are offered those values half of the time, so that operations
  whose identifiers no link can carry answer 2xx too. A value only replaces one that is
  already schema-valid, so a negative (schema-violating) case stays negative. In the stateful
  phase, values that links supply win over these.
- ``Idempotency-Key``: generators reuse simple values, and reusing a key for another body is
  refused by design (422), which no schema can say; each call gets a fresh key instead.
- Every call is recorded (phase, operation, status) for the coverage assertions.
- ``filter_failure``: refusals no JSON Schema can state (see the rules below).
"""

import functools
import io
import json
import os
import re
import uuid
from collections.abc import Callable
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


def _csv(emails: list[str]) -> bytes:
    return "".join(f"{line}\r\n" for line in ["email", *emails]).encode()


_colours = st.tuples(*(st.integers(0, 255),) * 3)
_emails = st.lists(st.sampled_from(["camille@example.org", "eden@example.fr"]), min_size=1)
schemathesis.openapi.media_type("image/png", st.builds(_png, st.integers(1, 64), _colours))
schemathesis.openapi.media_type("image/svg+xml", st.builds(_svg, st.integers(1, 64), _colours))
schemathesis.openapi.media_type("text/csv", st.builds(_csv, _emails))


@functools.cache
def _seeds() -> dict[str, dict[str, dict[str, Any]]]:
    path = os.environ.get("BADGEFORGE_CONTRACT_SEEDS")
    if not path:
        return {"path": {}, "body": {}}
    with open(path, encoding="utf-8") as file:
        seeds: dict[str, dict[str, dict[str, Any]]] = json.load(file)
    return seeds


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


_PATH_VALUE_RULES: dict[str, Callable[[object], bool]] = {
    "digest": lambda value: isinstance(value, str) and bool(re.fullmatch("[0-9a-f]{64}", value)),
    "extension": lambda value: value in ("png", "svg"),
    "version": lambda value: isinstance(value, str),
    "language": lambda value: isinstance(value, str),
    "key": lambda value: (
        isinstance(value, str) and bool(re.fullmatch("[a-z0-9][a-z0-9-]{0,62}", value))
    ),
}
"""Path parameters that are not UUIDs, and what their schema allows."""


def _either(realistic: Any, generated: Any) -> st.SearchStrategy[Any]:
    if realistic is None:
        return st.just(generated)
    return st.sampled_from([realistic, generated])


@schemathesis.hook
def flatmap_path_parameters(context: Any, path_parameters: Any) -> st.SearchStrategy[Any]:
    seeded = _seeds()["path"].get(context.operation.label)
    if not seeded or not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    valid = all(_PATH_VALUE_RULES.get(name, _is_uuid)(path_parameters.get(name)) for name in seeded)
    return _either({**path_parameters, **seeded} if valid else None, path_parameters)


def _issue_body(body: dict[str, Any], seeded: dict[str, Any]) -> dict[str, Any] | None:
    options = body.get("options", {})
    if not isinstance(body.get("credential"), dict) or not isinstance(options, dict):
        return None
    if options.get("issuerId") is not None and not _is_uuid(options["issuerId"]):
        return None
    options = {**options, "issuerId": seeded["issuerId"]}
    return {**body, "credential": seeded["credential"], "options": options}


def _realistic_body(label: str, body: dict[str, Any], seeded: dict[str, Any]) -> Any:
    if label == "POST /credentials/issue":
        return _issue_body(body, seeded)
    if label == "POST /api/v1/badge-classes":
        # Published (so the run can award it) with a short image title (a generated name is
        # often too long to be drawn readably, which the design refuses).
        return {**body, **seeded}
    if all(
        _is_uuid(body.get(name)) if name.endswith("_id") else isinstance(body.get(name), dict)
        for name in seeded
    ):
        return {**body, **seeded}
    return None


@schemathesis.hook
def flatmap_body(context: Any, body: Any) -> st.SearchStrategy[Any]:
    label = context.operation.label
    seeded = _seeds()["body"].get(label)
    if not seeded or not isinstance(body, dict):
        return st.just(body)
    return _either(_realistic_body(label, body, seeded), body)


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


LEVEL_RULE = re.compile(r"^'level' \d+ does not exist: this badge class has")
"""An award's ``level`` must be one of its badge class's levels: a refusal that depends on
the badge class, not on the request's shape. ``tests/badge_classes/test_workflow.py``."""

CLOCK_RULES = ("'issued_on' cannot be in the future.", "'expires' must be after 'issued_on'.")
"""Refusals no JSON Schema can state (they depend on the clock or compare two fields); the
schema's field descriptions say them, and ``tests/awards`` tests them."""

PAGINATION_RULES = (
    "The cursor is malformed; pass a page's `next` value as is.",
    "Send either 'cursor' or 'offset', not both.",
)
"""400 refusals of list operations no JSON Schema can state: a cursor is an opaque token that
only the server makes (its parameter description says to pass a page's ``next`` as is), and
``cursor`` excludes ``offset``. ``tests/test_pagination.py`` tests both."""

STATE_RULES = {
    "POST /credentials/issue": (
        "/problems/validation-error",
        "Name the issuer with options.issuerId: your organisation has several issuers.",
    ),
    "POST /credentials/verify": ("/problems/verification-failed", None),
}
"""Refusals of schema-valid VC-API requests that depend on data, not on the request's shape
(per operation: the problem type, and the exact detail or None for any).

- ``/credentials/issue`` without ``options.issuerId`` signs with the organisation's only
  issuer; once the run has made several, it must be told which (documented on the field).
- ``/credentials/verify`` answers 422 ``verification-failed`` for a credential whose proof
  does not verify, as the W3C VC-API requires (400 or 422): a schema cannot say that a
  signature is valid. ``tests/vcapi`` tests both answers."""


DESIGN_CHECKS = ("contrast", "text-size", "icon")
"""A generated badge image is refused (422 ``invalid-image``, with ``check``) when its text
would be unreadable: colours that contrast too little (WCAG 2.2 AA) or a title too long to
fit at the smallest readable size. Both depend on the values together (two colours, the
title's words and the design), which no JSON Schema can state; nor can it list the icons of
a deployment's ``badge_templates/icons/``. ``tests/designs`` tests these refusals."""


EMPTY_FORM_UUID = "body.badge_class_id: Input should be a valid UUID, invalid length: found 0"
"""Schemathesis 4.32's coverage phase sometimes sends a required multipart field empty
although the schema gives it a UUID ``pattern`` (seen on ``POST /api/v1/award-batches``):
that request is not schema-valid, so its 422 is the right answer, not a contract break."""

FRAMEWORK_CHECKS = ("framework-file", "framework-consistency")
"""A competency framework import or change is refused (422, with ``check``) for what its
file or document holds together: CSV rows (a generated CSV is no framework), an item code
used twice, a level described but not declared, two levels numbered alike. No JSON Schema
states these; ``tests/frameworks`` and ``tests/core/test_frameworks.py`` test them."""

EMPTY_IMPORT_FIELDS = ("slug", "name", "url")
"""The same coverage-phase quirk on ``POST /api/v1/frameworks/import``: these required form
fields sent empty, although their schema patterns need a character."""


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    if type(failure).__name__ != "RejectedPositiveData" or response.status_code not in (400, 422):
        return True
    try:
        problem = json.loads(response.content)
    except ValueError:
        return True
    if response.status_code == 400:
        return problem.get("detail") not in PAGINATION_RULES
    if problem.get("detail") in CLOCK_RULES:
        return False
    if LEVEL_RULE.match(str(problem.get("detail"))):
        return False
    if problem.get("type") == "/problems/invalid-image" and problem.get("check") in DESIGN_CHECKS:
        return False
    if case.operation.label == "POST /api/v1/award-batches" and EMPTY_FORM_UUID in str(
        problem.get("detail")
    ):
        return False
    if problem.get("type") == "/problems/validation-error" and problem.get("check") in (
        FRAMEWORK_CHECKS
    ):
        return False
    form = case.body if isinstance(case.body, dict) else {}
    if case.operation.label == "POST /api/v1/frameworks/import" and any(
        form.get(name) == "" for name in EMPTY_IMPORT_FIELDS
    ):
        return False
    rule = STATE_RULES.get(case.operation.label)
    if rule is None or problem.get("type") != rule[0]:
        return True
    return rule[1] is not None and problem.get("detail") != rule[1]
