"""Request shape of ``POST /api/v1/verify`` (the answer is the core's report as JSON)."""

from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from badgeforge.fields import Email, RequestModel

_AWARD = "5d2e8c1a-7b3f-4e9d-a6c0-1f4b8e2d9a73"
_EMAIL = "camille@example.org"
EXAMPLE_REPORT: dict[str, Any] = {
    "verdict": "valid",
    "valid": True,
    "message": {
        "fr": "Ce badge est authentique et valide.",
        "en": "This badge is genuine and valid.",
    },
    "checks": [
        {
            "id": "proof",
            "status": "passed",
            "code": "proof.data_integrity",
            "message": {"fr": "La signature est valide.", "en": "The signature is valid."},
        }
    ],
    "badge": {"name": "Sécurité et hygiène au travail", "issuer": {"name": "ESAT Les Ateliers"}},
}


class Recipient(RequestModel):
    """The optional recipient email of a multipart verification."""

    recipient: Email | None = None


class VerifyRequest(BaseModel):
    """Exactly one of ``url``, ``credential`` (a JSON document) or ``jwt`` (a compact JWS).

    Not a ``RequestModel``: nothing here is stored, and whatever a badge holds (control
    characters included) is the verification report's to judge, not a reason to refuse.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [  # exactly one given (not null), as `_exactly_one` checks
                {"required": [name], "properties": {name: {"type": kind}}}
                for name, kind in (("url", "string"), ("credential", "object"), ("jwt", "string"))
            ],
            "examples": [
                {
                    "url": "https://badges.example.fr/ob2/assertions/5d2e8c1a-7b3f-4e9d-a6c0-1f4b8e2d9a73"
                },
                {
                    "jwt": "eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiJ9.eyJ…",
                    "recipient": "camille@example.org",
                },
            ],
        },
    )

    url: str | None = Field(default=None, max_length=2048, description="A badge's URL.")
    credential: dict[str, Any] | None = Field(
        default=None, description="An OB 2.0 assertion or an OB 3.0 credential (JSON)."
    )
    jwt: str | None = Field(
        default=None, max_length=1_048_576, description="A signed OB 2.0 assertion or VC-JWT."
    )
    recipient: Email | None = Field(
        default=None, description="An email to check against the badge's hashed recipient."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [name for name in ("url", "credential", "jwt") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of url, credential or jwt")
        return self

    def data(self) -> str | dict[str, Any]:
        return self.credential if self.credential is not None else str(self.url or self.jwt)
