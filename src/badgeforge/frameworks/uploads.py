"""Reading an import request: a JSON framework, or a CSV file and its form fields."""

import hashlib
import json
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from badgeforge.batches.schemas import inline_schema
from badgeforge.core import frameworks as core
from badgeforge.deps import SettingsDep
from badgeforge.fields import LanguageTag, Markdown, Name, RequestModel, WebUrl
from badgeforge.frameworks.imports import from_csv, from_json_body
from badgeforge.frameworks.schemas import CsvImportFingerprint, FrameworkImport, Slug
from badgeforge.problems import (
    BadRequest,
    PayloadTooLarge,
    UnprocessableContent,
    UnsupportedMediaType,
)


class CsvImportForm(RequestModel):
    """The form fields that go with a CSV file: what the framework is."""

    slug: Slug
    name: Name
    url: WebUrl
    description: Markdown | None = None
    language: LanguageTag = "fr"


_FORM_SCHEMA = inline_schema(CsvImportForm)
CSV_FORM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["file", "slug", "name", "url"],
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "UTF-8 CSV, ';' or ',' separated: code;name;description;url;group;level",
        },
        **{name: _FORM_SCHEMA["properties"][name] for name in _FORM_SCHEMA["properties"]},
    },
}
IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": inline_schema(FrameworkImport)},
            "multipart/form-data": {
                "schema": CSV_FORM,
                "encoding": {"file": {"contentType": "text/csv"}},
            },
        },
    }
}


class ImportRequest:
    """The framework to import and what identifies the request for Idempotency-Key retries."""

    def __init__(self, framework: core.Framework, fingerprint: BaseModel) -> None:
        self.framework, self.fingerprint = framework, fingerprint


def _invalid(error: ValidationError) -> RequestValidationError:
    return RequestValidationError(
        [{**item, "loc": ("body", *item["loc"])} for item in error.errors(include_url=False)]
    )


async def _json_import(request: Request) -> ImportRequest:
    try:
        payload = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest("The request body is not valid JSON.") from error
    try:
        body = FrameworkImport.model_validate(payload)
    except ValidationError as error:
        raise _invalid(error) from error
    return ImportRequest(from_json_body(body), body)


async def _csv_import(request: Request, limit: int) -> ImportRequest:
    form = await request.form(max_files=1, max_fields=8)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise UnprocessableContent("Send the CSV file in the 'file' part of the form.")
    fields: dict[str, Any] = {
        name: value
        for name in ("slug", "name", "url", "description", "language")
        if isinstance(value := form.get(name), str) and (value or name in ("slug", "name", "url"))
    }
    try:
        checked = CsvImportForm.model_validate(fields)
    except ValidationError as error:
        raise _invalid(error) from error
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise PayloadTooLarge(f"The uploaded file is larger than {limit} bytes.")
    framework = from_csv(content, checked.model_dump())
    fingerprint = CsvImportFingerprint(
        **checked.model_dump(), sha256=hashlib.sha256(content).hexdigest()
    )
    return ImportRequest(framework, fingerprint)


async def import_request(request: Request, settings: SettingsDep) -> ImportRequest:
    """Read a framework from a JSON body or a multipart CSV upload."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return await _csv_import(request, settings.max_request_bytes)
    if media_type == "application/json" or media_type.endswith("+json"):
        return await _json_import(request)
    raise UnsupportedMediaType("Send JSON, or a CSV file as multipart/form-data.")


ImportDep = Annotated[ImportRequest, Depends(import_request)]
