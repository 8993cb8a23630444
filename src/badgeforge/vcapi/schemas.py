"""Request and response shapes of the W3C CCG VC-API endpoints (``/credentials/…``).

Member names follow the VC-API (camelCase) so that VC-API clients and the W3C test
suites can call badgeforge like any other implementation.
"""

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema
from typing_extensions import TypeAliasType

from badgeforge.core.verify_proof import Report
from badgeforge.fields import FORBIDDEN_CLASS, RequestModel, SchemaPattern

Credential = dict[str, Any]
_TEXT = f"^[^{FORBIDDEN_CLASS}]*$"


class _KeysPattern:
    """Say in the JSON Schema that an object's keys match ``_TEXT`` (``propertyNames``)."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema["propertyNames"] = {"pattern": _TEXT}
        return schema


_JsonText = Annotated[str, SchemaPattern(_TEXT)]
JsonValue = TypeAliasType(
    "JsonValue",
    "_JsonText | int | float | bool | list[JsonValue] | JsonObject | None",
)
JsonObject = Annotated[dict[str, JsonValue], _KeysPattern()]
"""Any JSON object. Its schema says that no string or key in it holds a character that
``core.text`` refuses, as ``RequestModel`` checks; it is parsed like ``dict[str, Any]``."""

CREDENTIAL_EXAMPLE: Credential = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:5a7ab3f4-5c3e-4f0e-9a55-0e1f2c3d4b5a",
    "type": ["VerifiableCredential"],
    "issuer": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    "validFrom": "2026-06-01T09:30:00Z",
    "credentialSubject": {"id": "did:example:learner", "name": "Camille"},
}
PROOF_EXAMPLE: dict[str, Any] = {
    "type": "DataIntegrityProof",
    "created": "2026-06-01T09:30:00Z",
    "verificationMethod": (
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
        "#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    ),
    "cryptosuite": "eddsa-rdfc-2022",
    "proofPurpose": "assertionMethod",
    "proofValue": "z3FXQje…",
}


class IssueOptions(RequestModel):
    """How to sign: which issuer, and (optionally) the proof type, which must be ours."""

    issuer_id: UUID | None = Field(
        default=None,
        alias="issuerId",
        description=(
            "A badgeforge issuer of your organisation. Optional when the organisation has "
            "exactly one issuer."
        ),
    )
    type: Literal["DataIntegrityProof"] | None = Field(
        default=None, description="The proof type; only `DataIntegrityProof` is issued."
    )
    cryptosuite: Literal["eddsa-rdfc-2022"] | None = Field(
        default=None, description="The cryptosuite; only `eddsa-rdfc-2022` is issued."
    )


class IssueRequest(RequestModel):
    """A credential to sign, VC 1.1 or VC 2.0, as in the VC-API ``IssueCredentialRequest``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "credential": {
                        key: value for key, value in CREDENTIAL_EXAMPLE.items() if key != "issuer"
                    },
                    "options": {"issuerId": "7c1e3a52-8f0b-4d6e-9a3c-2b5d8e1f4a60"},
                }
            ]
        }
    )

    credential: JsonObject = Field(description="The unsigned credential (JSON-LD).")
    options: IssueOptions = Field(default_factory=IssueOptions)


class IssueResponse(BaseModel):
    """The credential as signed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"verifiableCredential": {**CREDENTIAL_EXAMPLE, "proof": PROOF_EXAMPLE}}]
        }
    )

    verifiableCredential: Credential = Field(  # noqa: N815 - VC-API member name
        description="The credential with its `eddsa-rdfc-2022` proof."
    )


class VerifyOptions(RequestModel):
    """VC-API verification options. Every check is always run; ``checks`` is accepted for
    compatibility and ignored."""

    model_config = ConfigDict(extra="forbid")

    challenge: str | None = Field(default=None, max_length=1024)
    domain: str | None = Field(default=None, max_length=1024)
    checks: list[str] | None = Field(default=None, max_length=16)


class VerifyRequest(RequestModel):
    """A credential to verify: JSON-LD with an embedded proof, or a VC-JWT string."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"verifiableCredential": {**CREDENTIAL_EXAMPLE, "proof": PROOF_EXAMPLE}}]
        },
    )

    verifiableCredential: JsonObject | _JsonText = Field(  # noqa: N815 - VC-API member name
        description="A credential with a Data Integrity proof, or a compact VC-JWT."
    )
    options: VerifyOptions = Field(default_factory=VerifyOptions)


class Finding(BaseModel):
    """An error or warning (VC-API ``ProblemDetails``)."""

    type: str
    title: str
    detail: str


class VerificationResult(BaseModel):
    """The outcome (VC-API ``VerificationResult``); answered with 200 only when verified."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "verified": True,
                    "checks": ["credential", "proof", "validity"],
                    "warnings": [],
                    "errors": [],
                }
            ]
        }
    )

    verified: bool
    checks: list[str]
    warnings: list[Finding]
    errors: list[Finding]

    @classmethod
    def of(cls, report: Report) -> "VerificationResult":
        return cls(
            verified=report.verified,
            checks=list(report.checks),
            warnings=[Finding(**finding.to_json()) for finding in report.warnings],
            errors=[Finding(**finding.to_json()) for finding in report.errors],
        )
