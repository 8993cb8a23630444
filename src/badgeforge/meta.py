"""Service endpoints: health check and the documentation of problem types."""

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict
from sqlalchemy import text

from badgeforge import __version__
from badgeforge.db import SessionDep
from badgeforge.problems import PROBLEM_TYPES, NotFound, problem_responses

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


@router.get("/health", summary="Health check")
def health(session: SessionDep) -> Health:
    """Answers `ok` when the service can reach its database."""
    session.execute(text("SELECT 1"))
    return Health(status="ok", version=__version__)


@router.get(
    "/problems/{slug}", summary="Describe a problem type", responses=problem_responses(NotFound)
)
def describe_problem(slug: str) -> ProblemType:
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
