"""The OpenAPI document: what FastAPI derives from the routes, plus what the edge does.

Routes declare their own responses and links; this module adds what no route sees: the
problem schema, and the answers of the edge guards (``RequestGuard`` and body parsing) on
every operation that takes a body.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from badgeforge.problems import BadRequest, PayloadTooLarge, UnsupportedMediaType, problem_responses

PROBLEM_SCHEMA = {
    "title": "ProblemDetails",
    "description": "RFC 9457 problem details.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "URI reference of the problem type."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong, for a human."},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Per-field messages of a validation error.",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}

RESPONSE_ID = "$response.body#/id"


def links(parameter: str, **targets: str) -> dict[str, Any]:
    """OpenAPI ``links`` from a response's ``id`` to operations taking it as ``parameter``.

    ``targets`` maps a link name to the target's ``operationId``; a test checks that every
    target exists and takes ``parameter``.
    """
    return {
        name: {
            "operationId": operation_id,
            "parameters": {parameter: RESPONSE_ID},
            "description": f"The `id` in this response is the `{parameter}` of that operation.",
        }
        for name, operation_id in targets.items()
    }


def body_link(field: str, operation_id: str) -> dict[str, Any]:
    """An OpenAPI link giving a response's ``id`` as ``field`` of the target's JSON body."""
    return {
        "operationId": operation_id,
        "requestBody": {field: RESPONSE_ID},
        "description": f"The `id` in this response is the `{field}` of that request's body.",
    }


IMAGE_UPLOAD = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "encoding": {"file": {"contentType": "image/png, image/svg+xml"}}
            }
        }
    }
}
"""``openapi_extra`` of an image upload: the file part is a PNG or an SVG."""


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document, cached on the app."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        schema.setdefault("components", {}).setdefault("schemas", {})["ProblemDetails"] = (
            PROBLEM_SCHEMA
        )
        _document_edge_guards(schema)
        app.openapi_schema = schema
    return app.openapi_schema


def _document_edge_guards(schema: dict[str, Any]) -> None:
    """Every operation with a body can answer 400 (unparsable), 413 (too big), 415 (type)."""
    guards = problem_responses(BadRequest, PayloadTooLarge, UnsupportedMediaType)
    for operations in schema["paths"].values():
        for operation in operations.values():
            if "requestBody" not in operation:
                continue
            responses = operation["responses"]
            for status, response in guards.items():
                responses.setdefault(str(status), response)
            operation["responses"] = dict(sorted(responses.items()))
