"""Service endpoints: health check and the documentation of problem types.

Load balancers and orchestrators ask ``/health`` every few seconds on every instance: it
is answered like the public documents (``badgeforge.direct``), one small query.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text

from badgeforge import __version__
from badgeforge.db import ReadsDep
from badgeforge.problems import PROBLEM_TYPES, NotFound, problem_responses
from badgeforge.resources import resource_dir

router = APIRouter(tags=["service"])


class Health(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ok", "version": "0.1.0"}]}
    )

    status: str
    version: str


class ProblemType(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "/problems/not-found",
                    "title": "Resource not found",
                    "status": 404,
                    "description": "Nothing with that identifier exists for your organisation.",
                }
            ]
        }
    )

    type: str
    title: str
    status: int
    description: str


SWAGGER_ASSETS = "/static/swagger-ui"
SWAGGER_UI_DIR = resource_dir("vendor", "swagger-ui")
"""Swagger UI's files, vendored unmodified from the npm package swagger-ui-dist (see VERSION)."""


@router.get("/docs", include_in_schema=False)
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI, served from bundled assets (no third-party CDN)."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title=f"{request.app.title} — API",
        swagger_js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER_ASSETS}/favicon-32x32.png",
        swagger_ui_parameters={
            "persistAuthorization": request.app.state.settings.swagger_persist_authorization
        },
    )


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    """The service's home is its interactive API documentation."""
    return RedirectResponse("/docs")


_HEALTH_QUERY = text("SELECT 1")
_HEALTHY = Health(status="ok", version=__version__).model_dump_json().encode()


@router.get("/health", summary="Health check", response_model=Health)
def health(reads: ReadsDep) -> Response:
    """Answers `ok` when the service can reach its database."""
    reads.execute(_HEALTH_QUERY)
    return Response(_HEALTHY, media_type="application/json")


@router.get(
    "/problems/{slug}", summary="Describe a problem type", responses=problem_responses(NotFound)
)
def describe_problem(
    slug: Annotated[
        str,
        Path(
            description="The last part of a problem's `type`.",
            json_schema_extra={"enum": [problem.slug for problem in PROBLEM_TYPES]},
        ),
    ],
) -> ProblemType:
    """What a problem `type` returned by this API means."""
    for problem in PROBLEM_TYPES:
        if problem.slug == slug:
            return ProblemType(
                type=f"/problems/{slug}",
                title=problem.title,
                status=problem.status,
                description=problem.description,
            )
    raise NotFound(f"No problem type {slug!r}.")
