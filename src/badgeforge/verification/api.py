"""``POST /api/v1/verify``: verify any Open Badge (OB 2.0 or 3.0, any issuer), get a report."""

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from badgeforge.db import SessionDep, utcnow
from badgeforge.deps import SettingsDep
from badgeforge.fields import Email
from badgeforge.problems import (
    BadRequest,
    PayloadTooLarge,
    TooManyRequests,
    UnprocessableContent,
    problem_responses,
)
from badgeforge.ratelimit import VerifyRateLimit
from badgeforge.verification import service
from badgeforge.verification.schemas import EXAMPLE_REPORT, Recipient, VerifyRequest

router = APIRouter(prefix="/api/v1", tags=["verification"])
MAX_UPLOAD_BYTES = 1_048_576

REQUEST_BODY = {
    # Anonymous callers are welcome ({}); an API key, when sent, raises the rate limit.
    "security": [{}, {"ApiKeyBearer": []}, {"ApiKeyHeader": []}],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": VerifyRequest.model_json_schema(),
                "examples": {
                    "url": {"value": {"url": "https://badges.example.fr/ob2/assertions/…"}},
                    "jwt": {"value": {"jwt": "eyJ…", "recipient": "camille@example.org"}},
                },
            },
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "A baked PNG or SVG, a JSON file or a JWT text file.",
                        },
                        "recipient": TypeAdapter(Email).json_schema(),
                    },
                    "required": ["file"],
                }
            },
        },
    },
}


async def _input(request: Request) -> tuple[bytes | str | dict[str, Any], str | None]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=4)
        unknown = sorted(set(form.keys()) - {"file", "recipient"})
        if unknown:
            raise UnprocessableContent(f"Unknown form field(s): {', '.join(unknown)}.")
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise UnprocessableContent("Send the badge file in the `file` field.")
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if not data:
            raise UnprocessableContent("The uploaded file is empty.")
        if len(data) > MAX_UPLOAD_BYTES:
            raise PayloadTooLarge(f"The uploaded file is larger than {MAX_UPLOAD_BYTES} bytes.")
        recipient = form.get("recipient")
        try:
            checked = Recipient(recipient=recipient if isinstance(recipient, str) else None)
        except ValidationError as error:
            raise UnprocessableContent("`recipient` must be an email address.") from error
        return data, checked.recipient
    try:
        raw = json.loads(await request.body())
    except ValueError as error:
        raise BadRequest("The body is not valid JSON.") from error
    try:
        body = VerifyRequest.model_validate(raw)
    except ValidationError as error:
        raise UnprocessableContent(
            "; ".join(item["msg"] for item in error.errors(include_url=False))
        ) from error
    return body.data(), body.recipient


@router.post(
    "/verify",
    summary="Verify any Open Badge",
    openapi_extra=REQUEST_BODY,
    responses={
        200: {
            "description": "The verification report (whatever the verdict).",
            "content": {"application/json": {"example": EXAMPLE_REPORT}},
        },
        **problem_responses(BadRequest, PayloadTooLarge, UnprocessableContent, TooManyRequests),
    },
)
async def verify_badge(
    request: Request, session: SessionDep, settings: SettingsDep, _quota: VerifyRateLimit
) -> dict[str, Any]:
    """Verify a badge from any issuer: a link, an OB 2.0 assertion or OB 3.0 credential
    (JSON), a signed assertion or VC-JWT, or a baked PNG/SVG (multipart `file`). Optionally
    give `recipient` (an email) to check it is the person the badge was awarded to.

    The answer is always a report (200): the `verdict` (`valid`, `invalid`, `revoked`,
    `expired`, …), the named `checks` with French and English messages, and the badge's
    `facts`. Badges of this service are checked from its own records; others are fetched
    through an SSRF-safe client. No API key needed (one raises the rate limit).
    """
    data, recipient = await _input(request)
    outbound = request.app.state.fetcher
    report = await run_in_threadpool(
        service.verify_badge,
        session,
        settings.base_url,
        outbound,
        data,
        recipient=recipient,
        now=utcnow(),
    )
    return report.to_json()
