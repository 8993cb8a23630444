"""Issue an award in every format, once, in the award's own transaction.

At award time this builds and stores: the OB 2.0 hosted Assertion and the BadgeClass
version it points at, the signed OB 2.0 assertion (JWS, RS256), and the OB 3.0
OpenBadgeCredential with a Data Integrity proof (``eddsa-rdfc-2022``) and as a VC-JWT
(RS256), under the base URL in force then. Public URLs serve these stored bytes.
"""

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID, uuid5

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from badgeforge.awards.models import Award
from badgeforge.awards.records import to_record as award_record
from badgeforge.badge_classes.content import stored_content
from badgeforge.badge_classes.content import version_record as badge_class_record
from badgeforge.badge_classes.models import BadgeClass, BadgeClassVersion
from badgeforge.core import ob2, ob2_signing, ob3, status_list, vc_jwt
from badgeforge.core.data_integrity import add_proof
from badgeforge.core.keys import KeyAlgorithm, KeyVault
from badgeforge.core.records import AwardRecord, BadgeClassRecord
from badgeforge.db import insert_if_absent, utcnow
from badgeforge.issuance import status as statuses
from badgeforge.issuance.links import IssuedLinks, KeyReferences
from badgeforge.issuance.models import (
    BadgeClassSnapshot,
    IdentifierStyle,
    ImageBlob,
    IssuedAward,
    ProofFormat,
    StatusMethod,
)
from badgeforge.issuers.models import Issuer
from badgeforge.issuers.service import to_record as issuer_record
from badgeforge.public.links import PublicLinks
from badgeforge.signing import service as signing

STATUS_ATTEMPTS = 4
"""Times an award tries a new random status list index after a concurrent award took its own."""


def dumps(document: dict[str, Any]) -> str:
    """The stored form of a document: compact JSON, UTF-8 text kept as is."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _blob(session: Session, data: bytes, media_type: str) -> str:
    digest = hashlib.sha256(data).hexdigest()
    if session.get(ImageBlob, digest) is not None:
        return digest
    values = {"sha256": digest, "media_type": media_type, "data": data, "created_at": utcnow()}
    insert_if_absent(session, ImageBlob, values)
    return digest


def _version(record: BadgeClassRecord, digests: dict[str, str], base_url: str) -> str:
    content = {**asdict(record), "images": digests, "base_url": base_url}
    text = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _snapshot(
    session: Session, badge_class: BadgeClass, record: BadgeClassRecord, links: IssuedLinks
) -> UUID:
    snapshot_id = uuid5(badge_class.id, links.badge_class_version)
    if session.get(BadgeClassSnapshot, snapshot_id) is None:
        values = {
            "id": snapshot_id,
            "organisation_id": badge_class.organisation_id,
            "badge_class_id": badge_class.id,
            "version": links.badge_class_version,
            "document": dumps(ob2.badge_class(record, links, languages=True)),
            "translations": {
                tag: dumps(document)
                for tag, document in ob2.badge_class_translations(record, links).items()
            }
            or None,
            "created_at": utcnow(),
        }
        insert_if_absent(session, BadgeClassSnapshot, values)
    return snapshot_id


def _version_links(
    session: Session, badge_class: BadgeClass, version: BadgeClassVersion, base_url: str
) -> tuple[BadgeClassRecord, dict[str, str], str]:
    """A version's record, its stored image digests and its hosted document's version id."""
    png, svg = session.execute(
        select(BadgeClassVersion.image_png, BadgeClassVersion.image_svg).where(
            BadgeClassVersion.id == version.id
        )
    ).one()
    digests = {
        "image/png": _blob(session, png, "image/png"),
        "image/svg+xml": _blob(session, svg, "image/svg+xml"),
    }
    record = badge_class_record(badge_class, version)
    return record, digests, _version(record, digests, base_url)


def host_version(
    session: Session, badge_class: BadgeClass, version: BadgeClassVersion, base_url: str
) -> str:
    """Store the hosted OB 2.0 BadgeClass of a published version; its version key in the
    hosted URL (``/ob2/badge-classes/{id}/versions/{key}``, never changes).

    Awards of this version under the same base URL point at this very document.
    """
    record, digests, hosted = _version_links(session, badge_class, version, base_url)
    links = IssuedLinks(PublicLinks(base_url), hosted, digests, "")
    _snapshot(session, badge_class, record, links)
    return hosted


def _proof_of(version: BadgeClassVersion) -> str | None:
    return stored_content(version.content, version_id=version.id).ob3_proof


def default_proof(
    issuer: Issuer, badge_class_proof: str | None, requested: str | None
) -> ProofFormat:
    """The OB 3.0 proof an award presents first: the award's, the badge class's, the issuer's."""
    return ProofFormat(requested or badge_class_proof or issuer.ob3_proof)


def issue(
    session: Session,
    vault: KeyVault,
    base_url: str,
    award: Award,
    *,
    proof: str | None = None,
) -> IssuedAward:
    """Build, sign and store every format of ``award`` (in the caller's transaction)."""
    badge_class = session.get_one(BadgeClass, award.badge_class_id)  # locked by the award
    version = session.get_one(BadgeClassVersion, award.badge_class_version_id)
    issuer = session.get_one(Issuer, badge_class.issuer_id)
    keys = signing.signers(session, vault, issuer)
    rsa, ed25519 = keys[KeyAlgorithm.RSA], keys[KeyAlgorithm.ED25519]
    public = PublicLinks(base_url)
    references = KeyReferences(public, issuer.id, IdentifierStyle(issuer.identifier_style))
    bc_record, digests, hosted = _version_links(session, badge_class, version, base_url)
    links = IssuedLinks(public, hosted, digests, references.identifier(ed25519.key))
    snapshot_id = _snapshot(session, badge_class, bc_record, links)
    record = award_record(award)
    assertion = ob2.assertion(record, bc_record, links)
    signed_id = f"urn:uuid:{award.id}"
    # Its image is the badge image as awarded, which stays served after a revocation (the
    # hosted baked image answers 410), so verifiers reach the revocationList and say why.
    image = links.badge_class_image(badge_class.id, "image/png")
    jws = ob2_signing.sign_assertion(
        {**assertion, "id": signed_id, "image": image},
        rsa.rsa(),
        creator=public.ob2_key(rsa.key.id),
    )
    fixed = {
        "award_id": award.id,
        "organisation_id": award.organisation_id,
        "issuer_id": issuer.id,
        "base_url": base_url,
        "badge_class_snapshot_id": snapshot_id,
        "image_png_sha256": digests["image/png"],
        "image_svg_sha256": digests["image/svg+xml"],
        "ob2_assertion": dumps(assertion),
        "ob2_signed_id": signed_id,
        "ob2_jws": jws,
        "ob3_default": default_proof(issuer, _proof_of(version), proof).value,
        "rsa_key_id": rsa.key.id,
        "ed25519_key_id": ed25519.key.id,
    }
    credential_of = _Ob3(record, bc_record, issuer, links, references, rsa, ed25519)
    for attempt in range(STATUS_ATTEMPTS):
        status_entry, status_id, status_index = _status(session, vault, public, issuer)
        signed, jwt = credential_of(status_entry)
        issued = IssuedAward(
            **fixed,
            ob3_credential=dumps(signed),
            ob3_jwt=jwt,
            status_list_id=status_id,
            status_list_index=status_index,
        )
        try:
            with session.begin_nested():
                session.add(issued)
                session.flush()
        except IntegrityError:
            # Another award took this status list index at the same moment: the index is in
            # the signed credential, so sign again with a new one.
            if status_id is None or attempt == STATUS_ATTEMPTS - 1:
                raise
            continue
        return issued
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass(frozen=True)
class _Ob3:
    """Builds and signs an award's OB 3.0 credential (both proofs) for one status entry."""

    record: AwardRecord
    badge_class: BadgeClassRecord
    issuer: Issuer
    links: IssuedLinks
    references: KeyReferences
    rsa: signing.Signer
    ed25519: signing.Signer

    def __call__(self, status_entry: dict[str, Any]) -> tuple[dict[str, Any], str]:
        credential = ob3.open_badge_credential(
            self.record,
            self.badge_class,
            issuer_record(self.issuer),
            self.links,
            ob3.CredentialOptions(credential_status=status_entry, languages=True),
        )
        signed = add_proof(
            credential,
            self.ed25519.ed25519(),
            verification_method=self.references.method(self.ed25519.key),
            created=utcnow(),
        )
        signed["proof"] = [signed["proof"]]  # the OB 3.0 JSON Schema wants an array (SPEC §10.4)
        jwt = vc_jwt.sign(credential, self.rsa.private_key, self.references.method(self.rsa.key))
        return signed, jwt


def _status(
    session: Session, vault: KeyVault, public: PublicLinks, issuer: Issuer
) -> tuple[dict[str, Any], UUID | None, int | None]:
    if StatusMethod(issuer.ob3_status) is StatusMethod.REVOCATION_LIST:
        entry = status_list.revocation_list_entry(public.ob3_revocation_list(issuer.id))
        return entry, None, None
    listing, index = statuses.allocate(session, vault, public, issuer)
    return status_list.status_entry(public.status_list(listing.id), index), listing.id, index


def issued(session: Session, award_id: UUID) -> IssuedAward | None:
    """What an award was issued with, if it has been issued."""
    return session.get(IssuedAward, award_id)


def backfill(session: Session, vault: KeyVault, base_url: str, *, batch: int = 200) -> int:
    """Issue every award that has no frozen documents yet (awards made before signing).

    Returns how many were issued. Runs after migrations; safe to run again.
    """
    count = 0
    while True:
        pending = session.scalars(
            select(Award)
            .outerjoin(IssuedAward, IssuedAward.award_id == Award.id)
            .where(IssuedAward.award_id.is_(None))
            .order_by(Award.created_at, Award.id)
            .limit(batch)
        ).all()
        if not pending:
            return count
        for award in pending:
            issue(session, vault, base_url, award)
            count += 1
        session.flush()
