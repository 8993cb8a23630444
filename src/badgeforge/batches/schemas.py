"""Request and response shapes of the award batch API."""

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from badgeforge.awards.schemas import EvidenceItem, Level
from badgeforge.fields import Email, Markdown, Timestamp
from badgeforge.issuance.models import ProofFormat

MAX_ROWS = 10_000
"""Recipients in one batch: a whole establishment's ceremony, not a mailing list."""
ROW_FIELDS = ("recipient_email", "narrative", "evidence", "issued_on", "expires", "level")


class AwardBatchRowInput(BaseModel):
    """One recipient of a JSON batch (checked row by row, like a single award)."""

    recipient_email: Email
    narrative: Markdown | None = None
    evidence: list[EvidenceItem] = Field(default_factory=list, max_length=20)
    issued_on: Timestamp | None = Field(
        default=None, description="Defaults to the time the batch was received."
    )
    expires: Timestamp | None = None
    level: Level | None = Field(
        default=None, description="The mastery level reached (1 for the badge class's first)."
    )


class AwardBatchCreate(BaseModel):
    """Award one badge class to every recipient listed in ``rows``.

    Each row is validated like `POST /api/v1/awards`; a row that fails is reported with
    its position (1 for the first) and does not stop the others.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "badge_class_id": "0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40",
                    "rows": [
                        {"recipient_email": "camille.martin@example.org"},
                        {
                            "recipient_email": "louis.bernard@example.org",
                            "narrative": "Remise officielle du 26 novembre.",
                            "issued_on": "2026-11-26T10:00:00Z",
                        },
                    ],
                }
            ]
        },
    )

    badge_class_id: UUID
    rows: list[dict[str, JsonValue]] = Field(
        min_length=1,
        max_length=MAX_ROWS,
        description="The recipients, each an AwardBatchRowInput object.",
    )
    ob3_proof: ProofFormat | None = Field(
        default=None, description="The OB 3.0 proof the awards' baked images carry."
    )


class CsvBatchFingerprint(BaseModel):
    """What identifies a CSV upload for Idempotency-Key retries."""

    badge_class_id: UUID
    ob3_proof: ProofFormat | None
    sha256: str


class BatchStatus(StrEnum):
    PROCESSING = "processing"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class RowError(BaseModel):
    """A recipient that was not awarded, and why."""

    row: int = Field(description="The CSV line number (header = 1), or the 1-based JSON position.")
    recipient_email: str | None
    message: str


class BatchAward(BaseModel):
    """A recipient awarded by the batch."""

    row: int
    award_id: UUID
    recipient_email: str
    url: str = Field(description="The award in this API.")
    assertion_url: str = Field(description="The hosted OB 2.0 assertion (public).")
    credential_url: str = Field(description="The OB 3.0 credential (public).")


_BATCH_ID = "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8"
_AWARD_ID = "5d2e8c1a-7b3f-4e9d-a6c0-1f4b8e2d9a73"
_BASE = "http://localhost:8000"
_SUMMARY: dict[str, Any] = {
    "id": _BATCH_ID,
    "badge_class_id": "0b9d5f7e-2c4a-4e8b-8f1d-6a3c9e2b7d40",
    "source": "csv",
    "filename": "remise-juin.csv",
    "status": "running",
    "total": 24,
    "done": 20,
    "failed": 1,
    "cancelled": 0,
    "pending": 3,
    "created_at": "2026-12-01T10:00:00Z",
    "cancelled_at": None,
    "completed_at": None,
}
_READ: dict[str, Any] = {
    **_SUMMARY,
    "url": f"{_BASE}/api/v1/award-batches/{_BATCH_ID}",
    "errors": [
        {
            "row": 7,
            "recipient_email": "camille@exemple",
            "message": "courriel : adresse e-mail invalide",
        }
    ],
    "awards": [
        {
            "row": 2,
            "award_id": _AWARD_ID,
            "recipient_email": "lea.martin@example.org",
            "url": f"{_BASE}/api/v1/awards/{_AWARD_ID}",
            "assertion_url": f"{_BASE}/ob2/assertions/{_AWARD_ID}",
            "credential_url": f"{_BASE}/ob3/credentials/{_AWARD_ID}",
        }
    ],
}


class AwardBatchSummary(BaseModel):
    """A batch and its progress."""

    model_config = ConfigDict(json_schema_extra={"examples": [_SUMMARY]})

    id: UUID
    badge_class_id: UUID
    source: str = Field(description="`json` or `csv`.")
    filename: str | None
    status: BatchStatus
    total: int
    done: int = Field(description="Recipients awarded.")
    failed: int = Field(description="Recipients refused (see `errors`).")
    cancelled: int
    pending: int
    created_at: datetime
    cancelled_at: datetime | None
    completed_at: datetime | None


class AwardBatchRead(AwardBatchSummary):
    """A batch with every row's outcome so far."""

    model_config = ConfigDict(json_schema_extra={"examples": [_READ]})

    url: str
    errors: list[RowError]
    awards: list[BatchAward]


def inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON Schema with no references (``$defs`` spelled out where used)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref", "")
            if reference.startswith("#/$defs/"):
                return resolve(definitions[reference.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def create_schema() -> dict[str, Any]:
    """The JSON body's schema, rows included, without references (for OpenAPI).

    A row is any JSON object: the batch is accepted (202) whatever its rows hold, and each
    row is then checked like ``POST /api/v1/awards`` and reported, so the schema documents
    the row's fields (as in :class:`AwardBatchRowInput`) without constraining them.
    """
    schema = inline_schema(AwardBatchCreate)
    strict = inline_schema(AwardBatchRowInput)
    schema["properties"]["rows"]["items"] = {
        "type": "object",
        "description": (
            "One recipient. Checked row by row like `POST /api/v1/awards`: a row that "
            "fails is reported with its position and does not stop the others."
        ),
        "properties": {
            name: {"description": field.get("description", name), "title": field.get("title")}
            for name, field in strict["properties"].items()
        },
        "x-row-schema": strict,
    }
    return schema
