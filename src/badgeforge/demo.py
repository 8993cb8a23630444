"""The demo organisation: a French issuer and badge class, ready to award from Swagger UI."""

from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from badgeforge.access import service as access_service
from badgeforge.access.models import ApiKey, Organisation
from badgeforge.badge_classes import service as badge_class_service
from badgeforge.badge_classes.content import AlignmentInput
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.badge_classes.schemas import BadgeClassCreate, Criteria, TemplateImage
from badgeforge.issuers import service as issuer_service
from badgeforge.issuers.models import Issuer
from badgeforge.issuers.schemas import IssuerCreate
from badgeforge.security import Principal, Scope, effective_scopes
from badgeforge.settings import Settings

T = TypeVar("T", Organisation, Issuer, BadgeClass)

DEMO_ORGANISATION = "Démo — Réseau inclusion et formation"
DEMO_KEY_NAME = "demo admin"
DEMO_ISSUER = "ESAT Les Ateliers du Val (démo)"
DEMO_BADGE_CLASS = "Sécurité et hygiène au travail"


@dataclass(frozen=True)
class Demo:
    """What the demo command prints."""

    organisation_id: UUID
    issuer_id: UUID
    badge_class_id: UUID
    admin_key: str
    revoked_keys: int


def seed(session: Session, settings: Settings) -> Demo:
    """Find or create the demo organisation, issuer and badge class, and one live demo key.

    Each call creates a fresh "demo admin" key and revokes the demo keys printed before, so
    restarting the demo leaves exactly one demo key able to call the API.
    """
    organisation = _oldest(
        session, Organisation, Organisation.name == DEMO_ORGANISATION
    ) or access_service.create_organisation(session, DEMO_ORGANISATION)
    previous = session.scalars(
        select(ApiKey).where(
            ApiKey.organisation_id == organisation.id,
            ApiKey.name == DEMO_KEY_NAME,
            ApiKey.revoked_at.is_(None),
        )
    ).all()
    key, token = access_service.create_key(session, organisation.id, DEMO_KEY_NAME, [Scope.ADMIN])
    principal = Principal(organisation.id, key.id, effective_scopes([Scope.ADMIN]))
    for old in previous:
        access_service.revoke_key(session, principal, old.id)
    issuer = _oldest(
        session, Issuer, Issuer.organisation_id == organisation.id, Issuer.name == DEMO_ISSUER
    ) or issuer_service.create(session, principal, _demo_issuer())
    badge_class = (
        _oldest(
            session,
            BadgeClass,
            BadgeClass.issuer_id == issuer.id,
            BadgeClass.name == DEMO_BADGE_CLASS,
        )
        or badge_class_service.create(
            session, principal, _demo_badge_class(issuer.id), settings
        ).badge_class
    )
    return Demo(organisation.id, issuer.id, badge_class.id, token, len(previous))


def _oldest(session: Session, model: type[T], *criteria: ColumnElement[bool]) -> T | None:
    """The first-created matching row: the demo's own, even if look-alikes were added since."""
    return session.scalar(
        select(model).where(*criteria).order_by(model.created_at, model.id).limit(1)
    )


def _demo_issuer() -> IssuerCreate:
    return IssuerCreate(
        name=DEMO_ISSUER,
        url="https://ateliers-du-val.example.fr",
        email="badges@ateliers-du-val.example.fr",
        description="Établissement et service d'aide par le travail : menuiserie, "
        "espaces verts et restauration. Organisation de démonstration.",
        language="fr",
    )


def _demo_badge_class(issuer_id: UUID) -> BadgeClassCreate:
    return BadgeClassCreate(
        issuer_id=issuer_id,
        name=DEMO_BADGE_CLASS,
        description="Avec ce badge, je montre que j'applique les règles de sécurité et "
        "d'hygiène de mon atelier, au quotidien et sans rappel.",
        audience="Toute personne qui travaille en atelier et a été sensibilisée à la santé "
        "et à la sécurité au travail.",
        criteria=Criteria(
            narrative="Co-construit avec les travailleurs et les moniteurs d'atelier.\n\n"
            "- Porte les équipements de protection individuelle adaptés au poste\n"
            "- Signale un danger ou un incident à son moniteur\n"
            "- Range et nettoie son poste de travail en fin de journée\n"
            "- Respecte les consignes d'hygiène (lavage des mains, tenue propre)"
        ),
        alignments=[
            AlignmentInput(
                target_name="Respecter les règles et consignes",
                target_url="https://competences.example.org/rectec/respecter-les-regles",
                target_description="Compétence transversale : appliquer les règles "
                "de sécurité, d'hygiène et de vie collective.",
                target_framework="RECTEC (démo)",
                target_code="C2",
            )
        ],
        evidence_expectations="Photos de mon poste rangé, attestation de mon moniteur.",
        endorsement_expectations="Mon moniteur d'atelier, un tuteur en entreprise.",
        tags=["sécurité", "hygiène", "atelier"],
        language="fr",
        expires_after_days=730,
        image=TemplateImage(template="ecusson", primary_colour="#1d4e89"),
        publish=True,
    )
