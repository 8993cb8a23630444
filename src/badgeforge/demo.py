"""The demo organisation: a French issuer and badge class, ready to award from Swagger UI."""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.access import service as access_service
from badgeforge.access.models import Organisation
from badgeforge.badge_classes import service as badge_class_service
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.badge_classes.schemas import Alignment, BadgeClassCreate, Criteria, TemplateImage
from badgeforge.issuers import service as issuer_service
from badgeforge.issuers.models import Issuer
from badgeforge.issuers.schemas import IssuerCreate
from badgeforge.security import Principal, Scope, effective_scopes
from badgeforge.settings import Settings

DEMO_ORGANISATION = "Démo — Réseau inclusion et formation"


@dataclass(frozen=True)
class Demo:
    """What the demo command prints."""

    organisation_id: UUID
    issuer_id: UUID
    badge_class_id: UUID
    admin_key: str


def seed(session: Session, settings: Settings) -> Demo:
    """Create the demo organisation once, and a fresh admin key on every call."""
    organisation = session.scalar(
        select(Organisation).where(Organisation.name == DEMO_ORGANISATION)
    ) or access_service.create_organisation(session, DEMO_ORGANISATION)
    key, token = access_service.create_key(session, organisation.id, "demo admin", [Scope.ADMIN])
    principal = Principal(organisation.id, key.id, effective_scopes([Scope.ADMIN]))
    issuer = session.scalar(select(Issuer).where(Issuer.organisation_id == organisation.id))
    if issuer is None:
        issuer = issuer_service.create(session, principal, _demo_issuer())
    badge_class = session.scalar(select(BadgeClass).where(BadgeClass.issuer_id == issuer.id))
    if badge_class is None:
        badge_class = badge_class_service.create(
            session, principal, _demo_badge_class(issuer.id), settings
        )
    return Demo(organisation.id, issuer.id, badge_class.id, token)


def _demo_issuer() -> IssuerCreate:
    return IssuerCreate(
        name="ESAT Les Ateliers du Val (démo)",
        url="https://ateliers-du-val.example.fr",
        email="badges@ateliers-du-val.example.fr",
        description="Établissement et service d'aide par le travail : menuiserie, "
        "espaces verts et restauration. Organisation de démonstration.",
        language="fr",
    )


def _demo_badge_class(issuer_id: UUID) -> BadgeClassCreate:
    return BadgeClassCreate(
        issuer_id=issuer_id,
        name="Sécurité et hygiène au travail",
        description="La personne applique les règles de sécurité et d'hygiène de son "
        "atelier, au quotidien et sans rappel.",
        criteria=Criteria(
            narrative="Co-construit avec les travailleurs et les moniteurs d'atelier.\n\n"
            "- Porte les équipements de protection individuelle adaptés au poste\n"
            "- Signale un danger ou un incident à son moniteur\n"
            "- Range et nettoie son poste de travail en fin de journée\n"
            "- Respecte les consignes d'hygiène (lavage des mains, tenue propre)"
        ),
        alignments=[
            Alignment(
                target_name="Respecter les règles et consignes",
                target_url="https://competences.example.org/rectec/respecter-les-regles",
                target_description="Compétence transversale : appliquer les règles "
                "de sécurité, d'hygiène et de vie collective.",
                target_framework="RECTEC (démo)",
                target_code="C4",
            )
        ],
        tags=["sécurité", "hygiène", "atelier"],
        language="fr",
        expires_after_days=730,
        image=TemplateImage(template="ecusson", primary_colour="#1d4e89"),
    )
