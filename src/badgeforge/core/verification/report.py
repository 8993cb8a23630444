"""What a verification answers: a verdict, named checks in French and English, badge facts.

Forgery is an answer, not an exception: every step records a :class:`Check` with a
stable id (``structure``, ``schema``, ``key``, ``proof``, ``status``, ``validity``,
``recipient``, ``endorsements``...), a status and a message in both languages. The
verdict is derived from the checks, worst first: ``invalid`` (any failed check other
than status and dates), ``revoked``, ``suspended``, ``expired``, ``not_yet_valid``,
``valid``.
"""

import enum
from dataclasses import asdict, dataclass, field
from typing import Any

from badgeforge.core.verification.messages import Text, text


class CheckStatus(enum.StrEnum):
    """How one check ended."""

    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    SKIPPED = "skipped"


class Verdict(enum.StrEnum):
    """The one-word answer to "is this badge genuine and in force?"."""

    VALID = "valid"
    INVALID = "invalid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"


_VERDICT_OF_CODE = {
    "status.revoked": Verdict.REVOKED,
    "status.gone": Verdict.REVOKED,
    "status.suspended": Verdict.SUSPENDED,
    "validity.expired": Verdict.EXPIRED,
    "validity.not_yet_valid": Verdict.NOT_YET_VALID,
}
_VERDICT_ORDER = (
    Verdict.INVALID,
    Verdict.REVOKED,
    Verdict.SUSPENDED,
    Verdict.EXPIRED,
    Verdict.NOT_YET_VALID,
)


@dataclass(frozen=True)
class Check:
    """One named step: its id, outcome, message code and text, and a technical detail."""

    id: str
    status: CheckStatus
    code: str
    message: Text
    detail: str | None = None

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.id,
            "status": self.status.value,
            "code": self.code,
            "message": {"en": self.message.en, "fr": self.message.fr},
        }
        if self.detail:
            found["detail"] = self.detail
        return found


@dataclass
class RecipientFacts:
    """The recipient exactly as the badge states it; an email is never guessed from a hash."""

    type: str | None = None
    hashed: bool | None = None
    identity: str | None = None
    salt: str | None = None
    subject_id: str | None = None


@dataclass
class IssuerFacts:
    """Who issued the badge, as the badge (or its fetched profile) says."""

    id: str | None = None
    name: str | None = None
    url: str | None = None
    email: str | None = None
    image: str | None = None


@dataclass
class EndorsementFacts:
    """One embedded or linked endorsement and how its own verification went."""

    issuer: IssuerFacts
    verdict: Verdict
    comment: str | None = None
    id: str | None = None


@dataclass
class BadgeFacts:
    """What the badge says about itself, for people to read next to the verdict."""

    format: str | None = None
    id: str | None = None
    name: str | None = None
    description: str | None = None
    image: str | None = None
    criteria_url: str | None = None
    criteria_narrative: str | None = None
    issuer: IssuerFacts = field(default_factory=IssuerFacts)
    recipient: RecipientFacts = field(default_factory=RecipientFacts)
    issued_on: str | None = None
    expires: str | None = None
    narrative: str | None = None
    evidence: list[dict[str, str]] = field(default_factory=list)
    alignments: list[dict[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    endorsements: list[EndorsementFacts] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """The checks run, in order, and the facts read; :attr:`verdict` sums them up."""

    checks: list[Check] = field(default_factory=list)
    facts: BadgeFacts = field(default_factory=BadgeFacts)
    document: dict[str, Any] | None = None

    def add(
        self,
        check_id: str,
        status: CheckStatus,
        code: str,
        detail: str | None = None,
        **values: Any,
    ) -> Check:
        """Record one check; ``code`` names its message in :mod:`.messages`."""
        check = Check(check_id, status, code, text(code, **values), detail)
        self.checks.append(check)
        return check

    def passed(self, check_id: str, code: str, **values: Any) -> None:
        self.add(check_id, CheckStatus.PASSED, code, **values)

    def failed(self, check_id: str, code: str, detail: str | None = None, **values: Any) -> None:
        self.add(check_id, CheckStatus.FAILED, code, detail, **values)

    def warning(self, check_id: str, code: str, detail: str | None = None, **values: Any) -> None:
        self.add(check_id, CheckStatus.WARNING, code, detail, **values)

    def skipped(self, check_id: str, code: str, **values: Any) -> None:
        self.add(check_id, CheckStatus.SKIPPED, code, **values)

    def check(self, check_id: str) -> Check | None:
        """The first check recorded under ``check_id``."""
        return next((check for check in self.checks if check.id == check_id), None)

    @property
    def has_failure(self) -> bool:
        return any(check.status is CheckStatus.FAILED for check in self.checks)

    @property
    def verdict(self) -> Verdict:
        found = {
            _VERDICT_OF_CODE.get(check.code, Verdict.INVALID)
            for check in self.checks
            if check.status is CheckStatus.FAILED
        }
        if not self.checks:
            return Verdict.INVALID
        return next((verdict for verdict in _VERDICT_ORDER if verdict in found), Verdict.VALID)

    @property
    def message(self) -> Text:
        """The verdict in words, in both languages."""
        return text(f"verdict.{self.verdict.value}")

    def to_json(self) -> dict[str, Any]:
        message = self.message
        return {
            "verdict": self.verdict.value,
            "valid": self.verdict is Verdict.VALID,
            "message": {"en": message.en, "fr": message.fr},
            "checks": [check.to_json() for check in self.checks],
            "badge": self.facts.to_json(),
        }
