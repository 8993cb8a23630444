"""Single rules of the OB 2.0 documents: every optional field under its exact name,
revocation, dates and the exact reason of each refusal."""

import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest

from badgeforge.core import ob2
from badgeforge.core.errors import InvalidDocument
from badgeforge.core.records import (
    Alignment,
    AwardRecord,
    BadgeClassRecord,
    Evidence,
    IssuerRecord,
    Recipient,
)

BASE = "https://badges.example.org"
ISSUER = IssuerRecord(
    id=UUID(int=1),
    name="ESAT Les Ateliers",
    url="https://esat.example",
    email="contact@esat.example",
    description="Atelier protégé",
    telephone="+33 3 81 00 00 00",
    language="fr",
)
BADGE = BadgeClassRecord(
    id=UUID(int=2),
    issuer_id=ISSUER.id,
    name="Hygiène",
    description="Sécurité et hygiène au travail",
    image_media_type="image/png",
    criteria_narrative="Observé trois mois",
    alignments=(Alignment("Bloc 1", "https://rncp.example/1", "Prévenir", "RNCP", "RNCP1-B1"),),
)
ISSUED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


class Links:
    def issuer(self, issuer_id: UUID) -> str:
        return f"{BASE}/issuers/{issuer_id.int}"

    def issuer_image(self, issuer_id: UUID) -> str:
        return f"{BASE}/issuers/{issuer_id.int}/image"

    def badge_class(self, badge_class_id: UUID) -> str:
        return f"{BASE}/badges/{badge_class_id.int}"

    def badge_class_image(self, badge_class_id: UUID, media_type: str) -> str:
        return f"{BASE}/badges/{badge_class_id.int}/image.{media_type[6:9]}"

    def assertion(self, award_id: UUID) -> str:
        return f"{BASE}/assertions/{award_id.int}"

    def baked_image(self, award_id: UUID, media_type: str) -> str:
        return f"{BASE}/assertions/{award_id.int}/baked.{media_type[6:9]}"


def award(**changes: object) -> AwardRecord:
    fields: dict[str, object] = {
        "id": UUID(int=3),
        "badge_class_id": BADGE.id,
        "recipient": Recipient("sha256$" + "a" * 64, "sel"),
        "issued_on": ISSUED,
        **changes,
    }
    return AwardRecord(**fields)  # type: ignore[arg-type]


def exactly(text: str) -> str:
    return "^" + re.escape(text) + "$"


class TestIssuerProfile:
    def test_every_field_under_its_name(self) -> None:
        document = ob2.issuer_profile(
            ISSUER, Links(), public_keys=["https://k/1"], revocation_list="https://r"
        )
        assert document == {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Issuer",
            "id": f"{BASE}/issuers/1",
            "name": "ESAT Les Ateliers",
            "url": "https://esat.example",
            "email": "contact@esat.example",
            "telephone": "+33 3 81 00 00 00",
            "description": "Atelier protégé",
            "publicKey": "https://k/1",
            "revocationList": "https://r",
            "@language": "fr",
        }

    def test_several_keys_are_a_list_and_none_is_absent(self) -> None:
        keys = ["https://k/1", "https://k/2"]
        assert ob2.issuer_profile(ISSUER, Links(), public_keys=keys)["publicKey"] == keys
        assert "publicKey" not in ob2.issuer_profile(ISSUER, Links())

    def test_empty_text_fields_are_left_out(self) -> None:
        bare = IssuerRecord(ISSUER.id, "ESAT", "https://esat.example", "a@b.fr", "", "")
        assert ob2.issuer_profile(bare, Links()).keys() == {
            "@context",
            "type",
            "id",
            "name",
            "url",
            "email",
        }


class TestBadgeClass:
    def test_id_alignment_and_criteria(self) -> None:
        document = ob2.badge_class(BADGE, Links())
        assert document["id"] == f"{BASE}/badges/2"
        assert document["alignment"] == [
            {
                "type": "AlignmentObject",
                "targetName": "Bloc 1",
                "targetUrl": "https://rncp.example/1",
                "targetDescription": "Prévenir",
                "targetFramework": "RNCP",
                "targetCode": "RNCP1-B1",
            }
        ]

    def test_criteria_are_required(self) -> None:
        bare = BadgeClassRecord(BADGE.id, ISSUER.id, "x", "y", "image/png")
        reason = "a badge class needs a criteria narrative or a criteria URL"
        with pytest.raises(InvalidDocument, match=exactly(reason)):
            ob2.badge_class(bare, Links())


class TestAssertion:
    def test_links_and_narrative(self) -> None:
        document = ob2.assertion(award(narrative="Très bien"), BADGE, Links())
        assert document["id"] == f"{BASE}/assertions/3"
        assert document["badge"] == f"{BASE}/badges/2"
        assert document["image"] == f"{BASE}/assertions/3/baked.png"
        assert document["narrative"] == "Très bien"
        assert "revoked" not in document

    def test_a_revoked_award_says_so_with_its_reason(self) -> None:
        document = ob2.assertion(award(revoked=True, revocation_reason="Erreur"), BADGE, Links())
        assert document["revoked"] is True
        assert document["revocationReason"] == "Erreur"

    def test_a_reason_without_revocation_is_not_published(self) -> None:
        document = ob2.assertion(award(revocation_reason="brouillon"), BADGE, Links())
        assert "revoked" not in document
        assert "revocationReason" not in document

    def test_a_single_evidence_item_keeps_its_audience(self) -> None:
        item = Evidence(url="https://p.example", audience="Employeurs", genre="Photo")
        document = ob2.assertion(award(evidence=(item,)), BADGE, Links())
        assert document["evidence"] == {
            "type": "Evidence",
            "id": "https://p.example",
            "genre": "Photo",
            "audience": "Employeurs",
        }

    def test_evidence_needs_a_url_or_a_narrative(self) -> None:
        reason = "evidence needs a URL or a narrative"
        with pytest.raises(InvalidDocument, match=exactly(reason)):
            ob2.assertion(award(evidence=(Evidence(name="x"),)), BADGE, Links())

    def test_an_award_may_expire_the_moment_it_is_issued(self) -> None:
        assert ob2.assertion(award(expires=ISSUED), BADGE, Links())["expires"] == (
            "2026-03-01T09:30:00Z"
        )

    def test_an_award_cannot_expire_before_it_is_issued(self) -> None:
        reason = "an award cannot expire before it is issued"
        with pytest.raises(InvalidDocument, match=exactly(reason)):
            ob2.assertion(award(expires=ISSUED - timedelta(seconds=1)), BADGE, Links())

    def test_an_award_of_another_badge_class_is_refused(self) -> None:
        reason = "the award is not of this badge class"
        with pytest.raises(InvalidDocument, match=exactly(reason)):
            ob2.assertion(award(badge_class_id=UUID(int=9)), BADGE, Links())


@pytest.fixture
def paris_local_time() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "Europe/Paris")
        time.tzset()
        yield
    time.tzset()


class TestTimestamps:
    @pytest.mark.usefixtures("paris_local_time")
    def test_are_utc_whatever_the_servers_local_time(self) -> None:
        value = datetime(2026, 7, 1, 12, 0, 30, 999, tzinfo=timezone(timedelta(hours=-5)))
        assert ob2.format_datetime(value) == "2026-07-01T17:00:30Z"

    def test_must_be_timezone_aware(self) -> None:
        reason = "timestamps must be timezone-aware"
        with pytest.raises(InvalidDocument, match=exactly(reason)):
            ob2.format_datetime(datetime(2026, 1, 1))  # noqa: DTZ001
