"""Plain factory functions for tests: real services on the real (rolled-back) database."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from badgeforge.access import service as access_service
from badgeforge.awards import service as award_service
from badgeforge.awards.models import Award
from badgeforge.awards.schemas import AwardCreate
from badgeforge.badge_classes import service as badge_class_service
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.badge_classes.schemas import BadgeClassCreate
from badgeforge.issuers import service as issuer_service
from badgeforge.issuers.models import Issuer
from badgeforge.issuers.schemas import IssuerCreate
from badgeforge.security import Principal, Scope, effective_scopes
from badgeforge.settings import Settings
from badgeforge.signing.vault import vault_from_settings


@dataclass(frozen=True)
class Tenant:
    """An organisation with one API key."""

    organisation_id: UUID
    principal: Principal
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def create_tenant(
    session: Session, name: str = "ESAT Test", scopes: tuple[Scope, ...] = (Scope.ADMIN,)
) -> Tenant:
    organisation = access_service.create_organisation(session, name)
    key, token = access_service.create_key(session, organisation.id, "test key", list(scopes))
    principal = Principal(organisation.id, key.id, effective_scopes(key.scopes))
    return Tenant(organisation.id, principal, token)


def create_key(session: Session, tenant: Tenant, *scopes: Scope) -> str:
    _, token = access_service.create_key(session, tenant.organisation_id, "extra", list(scopes))
    return token


def create_issuer(session: Session, tenant: Tenant, **overrides: Any) -> Issuer:
    data = {
        "name": "ESAT Les Ateliers",
        "url": "https://esat.example.fr",
        "email": "contact@esat.example.fr",
        **overrides,
    }
    return issuer_service.create(session, tenant.principal, IssuerCreate(**data))


def create_badge_class(
    session: Session, tenant: Tenant, settings: Settings, issuer_id: UUID, **overrides: Any
) -> BadgeClass:
    fields = {
        "issuer_id": issuer_id,
        "name": "Sécurité et hygiène au travail",
        "description": "Applique les règles de sécurité et d'hygiène.",
        "criteria": {"narrative": "- Porte les EPI"},
        "publish": True,
        **overrides,
    }
    data = BadgeClassCreate(**fields)
    return badge_class_service.create(session, tenant.principal, data, settings).badge_class


def create_award(
    session: Session, tenant: Tenant, settings: Settings, badge_class_id: UUID, **overrides: Any
) -> Award:
    data = {"badge_class_id": badge_class_id, "recipient_email": "camille@example.org", **overrides}
    award, _ = award_service.award(
        session,
        tenant.principal,
        AwardCreate(**data),
        vault=vault_from_settings(settings),
        base_url=settings.base_url,
    )
    return award
