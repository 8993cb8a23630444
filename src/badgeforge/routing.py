"""The one set-up of the key-authenticated ``/api/v1`` routers.

Every such router counts each request against the API key's rate limit
(:data:`~badgeforge.ratelimit.API_RATE_LIMIT`) and lists, in the OpenAPI document, the
problems any of its operations can answer: 401 and 403 (API keys and scopes), 422
(validation), 429 (the rate limit), and the router's own.
"""

from fastapi import APIRouter

from badgeforge.problems import Forbidden, Problem, TooManyRequests, Unauthorized, problem_responses
from badgeforge.ratelimit import API_RATE_LIMIT


def api_router(prefix: str, tag: str | None, *problems: type[Problem]) -> APIRouter:
    """A router for key-authenticated operations under ``prefix``, in OpenAPI tag ``tag``."""
    return APIRouter(
        prefix=prefix,
        tags=[tag] if tag else None,
        responses=problem_responses(Unauthorized, Forbidden, *problems, TooManyRequests),
        dependencies=[API_RATE_LIMIT],
    )
