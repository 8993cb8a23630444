"""RFC 9457 problem details: the one error shape of the HTTP API.

Services raise :class:`Problem` subclasses (or core errors, mapped in ``CORE_TO_PROBLEM``);
the handlers installed by :func:`install_problem_handlers` turn every failure, including
validation errors, unknown routes and unexpected exceptions, into ``application/problem+json``.
"""

import logging
from typing import Any, ClassVar, cast

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from badgeforge.core.errors import (
    BakingError,
    CoreError,
    InvalidDocument,
    InvalidIdentity,
    InvalidImage,
    UnsupportedImageType,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
logger = logging.getLogger(__name__)


class Problem(Exception):
    """An error with an HTTP status, a stable slug and a human-readable detail."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal error"
    description: ClassVar[str] = "The server failed unexpectedly; the request was not applied."

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class BadRequest(Problem):
    status = 400
    slug = "bad-request"
    title = "Bad request"
    description = "The request is malformed (for example a body that is not valid JSON)."


class Unauthorized(Problem):
    status = 401
    slug = "unauthorized"
    title = "Authentication required"
    description = "Send a valid API key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."


class Forbidden(Problem):
    status = 403
    slug = "forbidden"
    title = "Missing scope"
    description = "The API key is valid but lacks the scope this operation needs."


class NotFound(Problem):
    status = 404
    slug = "not-found"
    title = "Resource not found"
    description = "Nothing with that identifier exists for your organisation."


class MethodNotAllowed(Problem):
    status = 405
    slug = "method-not-allowed"
    title = "Method not allowed"
    description = "This URL exists but does not accept that HTTP method."


class NotAcceptable(Problem):
    status = 406
    slug = "not-acceptable"
    title = "Not acceptable"
    description = "The resource cannot be served in any media type listed in Accept."


class Conflict(Problem):
    status = 409
    slug = "conflict"
    title = "Conflict"
    description = "The request conflicts with the current state of the resource."


class PreconditionFailed(Problem):
    status = 412
    slug = "precondition-failed"
    title = "Precondition failed"
    description = (
        "The resource changed since the version named in 'If-Match': read it again (GET gives "
        "the current 'ETag'), reapply your change and send it with that ETag."
    )


class Gone(Problem):
    status = 410
    slug = "gone"
    title = "Gone"
    description = "The resource existed but has been withdrawn."


class PayloadTooLarge(Problem):
    status = 413
    slug = "payload-too-large"
    title = "Payload too large"
    description = "The request body or uploaded file is larger than the configured limit."


class UnsupportedMediaType(Problem):
    status = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"
    description = "The request body's Content-Type, or an uploaded file's content, is not accepted."


class UnprocessableContent(Problem):
    status = 422
    slug = "validation-error"
    title = "Invalid request content"
    description = "The request is well-formed but some fields are invalid; see 'errors'."


class InvalidBadgeImage(Problem):
    status = 422
    slug = "invalid-image"
    title = "Invalid badge image"
    description = "Badge images must be PNG or SVG, within the size and pixel limits, and safe."


class VerificationFailed(Problem):
    status = 422
    slug = "verification-failed"
    title = "Verification failed"
    description = (
        "The credential did not verify; 'errors' lists each failed check (VC-API ProblemDetails)."
    )


class TooManyRequests(Problem):
    status = 429
    slug = "too-many-requests"
    title = "Too many requests"
    description = (
        "The caller's quota for this operation is used up; retry after 'Retry-After' seconds "
        "(the 'RateLimit' and 'RateLimit-Policy' fields give the quota)."
    )

    def __init__(self, detail: str, *, headers: dict[str, str], **extensions: Any) -> None:
        super().__init__(detail, **extensions)
        self.headers = headers


PROBLEM_TYPES: tuple[type[Problem], ...] = (
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    NotAcceptable,
    Conflict,
    Gone,
    PreconditionFailed,
    PayloadTooLarge,
    UnsupportedMediaType,
    UnprocessableContent,
    InvalidBadgeImage,
    VerificationFailed,
    TooManyRequests,
    Problem,
)

CORE_TO_PROBLEM: dict[type[CoreError], type[Problem]] = {
    UnsupportedImageType: UnsupportedMediaType,
    InvalidImage: InvalidBadgeImage,
    InvalidDocument: UnprocessableContent,
    BakingError: UnprocessableContent,
    InvalidIdentity: UnprocessableContent,
}


def problem_body(problem_type: type[Problem], detail: str, instance: str) -> dict[str, Any]:
    """The RFC 9457 members of one problem."""
    return {
        "type": f"/problems/{problem_type.slug}",
        "title": problem_type.title,
        "status": problem_type.status,
        "detail": detail,
        "instance": instance,
    }


def problem_response(
    request: Request,
    problem_type: type[Problem],
    detail: str,
    extensions: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Render one problem as an ``application/problem+json`` response."""
    body = {**problem_body(problem_type, detail, request.url.path), **(extensions or {})}
    return JSONResponse(
        jsonable_encoder(body),
        status_code=problem_type.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def problem_responses(*problems: type[Problem]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the problems an endpoint can return."""
    responses: dict[int | str, dict[str, Any]] = {}
    listed: tuple[type[Problem], ...] = (UnprocessableContent, *problems)
    for problem_type in listed:
        entry = responses.setdefault(
            problem_type.status,
            {"description": problem_type.title, "content": {PROBLEM_MEDIA_TYPE: {}}},
        )
        if problem_type.title not in entry["description"]:
            entry["description"] += f" / {problem_type.title}"
        entry["content"][PROBLEM_MEDIA_TYPE] = {
            "schema": {"$ref": "#/components/schemas/ProblemDetails"},
            "example": problem_body(problem_type, problem_type.description, "/api/v1/..."),
        }
    return responses


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        errors.append({"field": ".".join(location), "message": error.get("msg", "")})
    return errors


async def _handle_problem(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(Problem, exc)
    headers = exc.headers if isinstance(exc, TooManyRequests) else None
    return problem_response(request, type(exc), exc.detail, exc.extensions, headers=headers)


async def _handle_core_error(request: Request, exc: Exception) -> JSONResponse:
    problem_type = next(
        (problem for core, problem in CORE_TO_PROBLEM.items() if isinstance(exc, core)),
        UnprocessableContent,
    )
    return problem_response(request, problem_type, str(exc))


async def _handle_validation(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(RequestValidationError, exc)
    errors = _validation_errors(exc)
    if any(error.get("type") == "json_invalid" for error in exc.errors()):
        return problem_response(request, BadRequest, "The request body is not valid JSON.")
    if all(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
        return problem_response(request, NotFound, f"No resource at {request.url.path}.")
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem_response(
        request, UnprocessableContent, f"Invalid request: {summary}", {"errors": errors}
    )


_STATUS_TO_PROBLEM = {problem.status: problem for problem in reversed(PROBLEM_TYPES)}
_PROBED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at the request's path (Starlette names one route's).

    HEAD is answered wherever GET is (``middleware.HeadAsGet``).
    """
    allowed = []
    for method in _PROBED_METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    if "GET" in allowed:
        allowed.insert(1, "HEAD")
    return allowed


async def _handle_http(request: Request, exc: Exception) -> JSONResponse:
    exc = cast(StarletteHTTPException, exc)
    problem_type = _STATUS_TO_PROBLEM.get(exc.status_code, Problem)
    detail = exc.detail if isinstance(exc.detail, str) else problem_type.description
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}."
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
        headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
    return problem_response(request, problem_type, detail, headers=headers)


async def _handle_integrity(request: Request, exc: Exception) -> JSONResponse:
    # Rules that row locks keep are checked first and answered precisely; a constraint
    # that still trips is a concurrent change the checks could not see: a conflict.
    logger.warning("integrity error on %s %s: %s", request.method, request.url.path, exc)
    detail = "The request conflicts with a concurrent change; nothing was applied. Retry it."
    return problem_response(request, Conflict, detail)


async def _handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(request, Problem, Problem.description)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` an RFC 9457 problem response."""
    app.add_exception_handler(Problem, _handle_problem)
    app.add_exception_handler(CoreError, _handle_core_error)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    app.add_exception_handler(IntegrityError, _handle_integrity)
    app.add_exception_handler(Exception, _handle_unexpected)
