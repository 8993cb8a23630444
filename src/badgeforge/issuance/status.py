"""Revocation status of issued OB 3.0 credentials: Bitstring Status Lists per issuer.

Each credential gets a random free index in its issuer's current list (131,072 entries);
a list that is hard to find a free index in is replaced by a new one. Revoking an award
sets its bit and signs the list credential again, under a row lock on the list so that
concurrent revocations never publish a list missing one of them.
"""

import json
import secrets

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from badgeforge.awards.models import Award
from badgeforge.core import status_list as bitstrings
from badgeforge.core.data_integrity import add_proof
from badgeforge.core.keys import KeyAlgorithm, KeyVault
from badgeforge.db import RowLock, lock_rows, utcnow
from badgeforge.issuance.links import KeyReferences
from badgeforge.issuance.models import IdentifierStyle, IssuedAward, StatusList
from badgeforge.issuers.models import Issuer
from badgeforge.public.links import PublicLinks
from badgeforge.signing import service as signing

PROBES = 16
"""Random probes for a free index before a list counts as full (at ~50 % use, 1 in 65,536)."""


def _references(links: PublicLinks, issuer: Issuer) -> KeyReferences:
    return KeyReferences(links, issuer.id, IdentifierStyle(issuer.identifier_style))


def _sign(session: Session, vault: KeyVault, issuer: Issuer, status: StatusList) -> None:
    revoked = session.scalars(
        select(IssuedAward.status_list_index)
        .join(Award, Award.id == IssuedAward.award_id)
        .where(IssuedAward.status_list_id == status.id, Award.revoked_at.is_not(None))
    )
    bits = bitstrings.bitstring_with(
        [index for index in revoked if index is not None], status.entries
    )
    signer = signing.signers(session, vault, issuer)[KeyAlgorithm.ED25519]
    links = PublicLinks(status.base_url)
    references = _references(links, issuer)
    now = utcnow()
    document = bitstrings.status_list_credential(
        links.status_list(status.id), references.identifier(signer.key), bits, now, status.purpose
    )
    signed = add_proof(
        document,
        signer.ed25519(),
        verification_method=references.method(signer.key),
        created=now,
    )
    status.credential = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
    status.updated_at = now


def _new_list(session: Session, vault: KeyVault, links: PublicLinks, issuer: Issuer) -> StatusList:
    status = StatusList(
        organisation_id=issuer.organisation_id,
        issuer_id=issuer.id,
        entries=bitstrings.STATUS_LIST_ENTRIES,
        base_url=links.base_url,
    )
    session.add(status)
    session.flush()
    _sign(session, vault, issuer, status)
    session.flush()
    return status


def _taken(session: Session, status: StatusList, index: int) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    IssuedAward.status_list_id == status.id,
                    IssuedAward.status_list_index == index,
                )
            )
        )
    )


def _latest(session: Session, issuer: Issuer, links: PublicLinks) -> StatusList | None:
    return session.scalar(
        select(StatusList)
        .where(StatusList.issuer_id == issuer.id, StatusList.base_url == links.base_url)
        .order_by(StatusList.created_at.desc(), StatusList.id)
        .limit(1)
    )


def allocate(
    session: Session, vault: KeyVault, links: PublicLinks, issuer: Issuer
) -> tuple[StatusList, int]:
    """A list of the issuer (under ``links``' base URL) and a random free index in it."""
    status = _latest(session, issuer, links)
    if status is not None:
        for _ in range(PROBES):
            index = secrets.randbelow(status.entries)
            if not _taken(session, status, index):
                return status, index
    return _new_list_once(session, vault, links, issuer, status)


def _new_list_once(
    session: Session,
    vault: KeyVault,
    links: PublicLinks,
    issuer: Issuer,
    full: StatusList | None,
) -> tuple[StatusList, int]:
    """A new list, unless a concurrent award made one while this one waited for the lock."""
    session.scalar(lock_rows(select(Issuer).where(Issuer.id == issuer.id), RowLock.NO_KEY_UPDATE))
    latest = _latest(session, issuer, links)
    if latest is not None and (full is None or latest.id != full.id):
        index = secrets.randbelow(latest.entries)
        if not _taken(session, latest, index):
            return latest, index
    status = _new_list(session, vault, links, issuer)
    return status, secrets.randbelow(status.entries)


def publish_revocation(session: Session, vault: KeyVault, issued: IssuedAward) -> None:
    """Sign the award's status list again now that the award is revoked."""
    if issued.status_list_id is None:
        return
    status = session.scalar(
        lock_rows(
            select(StatusList).where(StatusList.id == issued.status_list_id), RowLock.NO_KEY_UPDATE
        )
    )
    issuer = session.get(Issuer, issued.issuer_id)
    if status is None or issuer is None:
        return
    _sign(session, vault, issuer, status)
    session.flush()


def sign_lists_again(session: Session, vault: KeyVault, issuer: Issuer) -> None:
    """Sign every status list of the issuer again with its active key (after a rotation),
    so that retiring the previous key does not break the status of newer credentials."""
    lists = session.scalars(
        lock_rows(
            select(StatusList).where(StatusList.issuer_id == issuer.id).order_by(StatusList.id),
            RowLock.NO_KEY_UPDATE,
        )
    )
    for status in lists:
        _sign(session, vault, issuer, status)
    session.flush()
