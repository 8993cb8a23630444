"""Awards of every page type (valid, revoked, expired) for the public page tests."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from badgeforge.awards import service as award_service
from badgeforge.awards.models import Award
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.issuers.models import Issuer
from badgeforge.settings import Settings
from badgeforge.signing.vault import vault_from_settings
from tests.factories import Tenant, create_award, create_badge_class, create_issuer, create_tenant

RECIPIENT = "camille.martin@example.org"
ALIGNMENT = {
    "target_name": "Respecter les règles d'hygiène",
    "target_url": "https://competences.example.org/rectec/c4",
    "target_framework": "RECTEC",
    "target_code": "C4",
    "target_description": "Applique les consignes de l'atelier.",
}


@dataclass(frozen=True)
class Badges:
    tenant: Tenant
    issuer: Issuer
    badge_class: BadgeClass
    valid: Award
    revoked: Award
    expired: Award


@pytest.fixture
def badges(session: Session, settings: Settings) -> Badges:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant, description="Menuiserie, espaces verts.")
    badge_class = create_badge_class(
        session,
        tenant,
        settings,
        issuer.id,
        criteria={"narrative": "- Porte les EPI\n- Range son poste"},
        alignments=[ALIGNMENT],
        tags=["sécurité"],
    )
    evidence = [{"url": "https://portfolio.example.org/camille", "name": "Photos de l'atelier"}]
    valid = create_award(
        session,
        tenant,
        settings,
        badge_class.id,
        recipient_email=RECIPIENT,
        narrative="Observé pendant trois mois.",
        evidence=evidence,
        expires="2099-01-01T00:00:00Z",
    )
    revoked = create_award(session, tenant, settings, badge_class.id, recipient_email=RECIPIENT)
    award_service.revoke(
        session,
        tenant.principal,
        revoked.id,
        "Attribué par erreur.",
        vault=vault_from_settings(settings),
    )
    expired = create_award(
        session,
        tenant,
        settings,
        badge_class.id,
        recipient_email=RECIPIENT,
        issued_on="2020-01-01T00:00:00Z",
        expires="2021-01-01T00:00:00Z",
    )
    session.flush()
    return Badges(tenant, issuer, badge_class, valid, revoked, expired)


def now() -> datetime:
    return datetime.now(UTC)
