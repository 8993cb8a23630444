"""The VC-API over badgeforge's own core: sign any credential, verify one credential.

Issuing signs with the chosen issuer's active Ed25519 key, under the issuer's OB 3.0
identifier (URL, did:web or did:key) and the matching verification method. Verifying
resolves keys offline only: ``did:key`` methods from the identifier itself, and keys of
this instance's issuers (key URL or did:web method under the public base URL) from the
database. Revocation is read from this instance's status lists and revocation lists.
"""

import json
import re
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy.orm import Session

from badgeforge.core import status_list
from badgeforge.core.data_integrity import add_proof
from badgeforge.core.did import did_key, did_web
from badgeforge.core.errors import InvalidDocument, UnresolvedKey
from badgeforge.core.keys import KeyAlgorithm, KeyVault, load_public_key_pem
from badgeforge.core.vc_model import check_credential, prepared_for_signing
from badgeforge.core.verify_proof import (
    Report,
    ResolvedKey,
    StatusCheck,
    entry_bit,
    resolve_did_key_method,
    verify_credential,
    verify_jwt,
)
from badgeforge.db import utcnow
from badgeforge.issuance.links import KeyReferences
from badgeforge.issuance.models import IdentifierStyle, StatusList
from badgeforge.issuers.models import Issuer
from badgeforge.issuers.service import IssuerRepository
from badgeforge.problems import NotFound, UnprocessableContent
from badgeforge.public import credentials as public_credentials
from badgeforge.public import links as paths
from badgeforge.public.links import PublicLinks
from badgeforge.security import Principal
from badgeforge.signing import service as signing
from badgeforge.signing.models import SigningKey
from badgeforge.vcapi.schemas import VerifyOptions

Document = dict[str, Any]
_UUID = r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"


def choose_issuer(session: Session, principal: Principal, issuer_id: UUID | None) -> Issuer:
    """The issuer named by ``issuer_id``, or the organisation's only issuer."""
    repository = IssuerRepository(session, principal)
    if issuer_id is not None:
        return repository.get(issuer_id)
    issuers = list(session.scalars(repository.scoped().order_by(Issuer.created_at).limit(2)))
    if len(issuers) != 1:
        raise UnprocessableContent(
            "Name the issuer with options.issuerId: your organisation has "
            + ("no issuer." if not issuers else "several issuers.")
        )
    return issuers[0]


def issue(
    session: Session,
    vault: KeyVault,
    links: PublicLinks,
    issuer: Issuer,
    credential: Document,
) -> Document:
    """``credential`` issued by ``issuer``: its issuer id set, signed with an
    ``eddsa-rdfc-2022`` proof. Raises InvalidDocument or SigningError (undefined terms)."""
    check_credential(credential, issuer_required=False)
    if "proof" in credential:
        raise InvalidDocument("the credential already has a proof; send it unsigned")
    signer = signing.signers(session, vault, issuer)[KeyAlgorithm.ED25519]
    references = KeyReferences(links, issuer.id, IdentifierStyle(issuer.identifier_style))
    now = utcnow()
    prepared = prepared_for_signing(credential, references.identifier(signer.key), now)
    check_credential(prepared)
    return add_proof(
        prepared,
        signer.ed25519(),
        verification_method=references.method(signer.key),
        created=now,
    )


def _match(links_url: str, value: str, path: str, suffix: str = "") -> UUID | None:
    template = re.escape(links_url + path).replace(re.escape("{placeholder}"), _UUID)
    found = re.fullmatch(template + re.escape(suffix), value)
    return UUID(found.group(1)) if found else None


def _issuer_identifiers(session: Session, links: PublicLinks, issuer_id: UUID) -> set[str]:
    """Every OB 3.0 identifier the issuer has been issuing under (URL, did:web, did:key)."""
    url = links.ob3_issuer(issuer_id)
    identifiers = {url, did_web(url)}
    for key in signing.published_keys(session, issuer_id, KeyAlgorithm.ED25519):
        if key.public_key_multibase:
            identifiers.add(did_key(key.public_key_multibase))
    return identifiers


def _published(session: Session, key_id: UUID | None, method: str) -> SigningKey:
    key = session.get(SigningKey, key_id) if key_id is not None else None
    if key is None or key.status not in signing.PUBLISHED:
        raise UnresolvedKey(f"{method} is not a published key of this service")
    return key


def _local_key(session: Session, links: PublicLinks, method: str) -> ResolvedKey:
    if method.startswith("did:key:"):
        return resolve_did_key_method(method)
    url_key = _match(links.base_url, method, paths.OB3_KEY_PATH.format(key_id="{placeholder}"))
    if url_key is not None:
        key = _published(session, url_key, method)
        controllers = (
            {links.ob3_issuer(key.issuer_id)}
            if key.algorithm is KeyAlgorithm.ED25519
            else _issuer_identifiers(session, links, key.issuer_id)
        )
    elif method.startswith("did:web:") and "#key-" in method:
        did, _, fragment = method.partition("#key-")
        try:
            key = _published(session, UUID(fragment), method)
        except ValueError as error:
            raise UnresolvedKey(f"{method} names no key of this service") from error
        if did != did_web(links.ob3_issuer(key.issuer_id)):
            raise UnresolvedKey(f"{method} names no key of this service")
        controllers = {did}
    else:
        raise UnresolvedKey(
            f"{method} cannot be resolved offline: only did:key methods and keys of this "
            "service are resolved (fetching other keys is not supported yet)"
        )
    return ResolvedKey(method, frozenset(controllers), load_public_key_pem(key.public_key_pem))


def _bitstring_status(session: Session, entry: Document) -> bool | None:
    url = entry.get("statusListCredential")
    found = re.search(_UUID + "$", url) if isinstance(url, str) else None
    listing = session.get(StatusList, UUID(found.group(1))) if found else None
    if listing is None or listing.credential is None:
        return None
    if PublicLinks(listing.base_url).status_list(listing.id) != url:
        return None
    published = json.loads(listing.credential)
    return entry_bit(entry, status_list.decode_list(published["credentialSubject"]["encodedList"]))


def _status_check(session: Session, links: PublicLinks) -> StatusCheck:
    def check(entry: Document, credential: Document) -> bool | None:
        if entry.get("type") == "BitstringStatusListEntry":
            return _bitstring_status(session, entry)
        if entry.get("type") == "1EdTechRevocationList" and isinstance(entry.get("id"), str):
            path = paths.OB3_REVOCATION_LIST_PATH.format(issuer_id="{placeholder}")
            issuer_id = _match(links.base_url, entry["id"], path)
            if issuer_id is None:
                return None
            try:
                document = public_credentials.revocation_list(session, links, issuer_id)
            except NotFound:
                return None
            revoked = {item["id"] for item in document["revokedCredential"]}
            return credential.get("id") in revoked
        return None

    return check


def verify(
    session: Session,
    links: PublicLinks,
    credential: Document | str,
    options: VerifyOptions,
    now: datetime,
) -> Report:
    """Verify a Data Integrity credential or a VC-JWT with keys resolved offline."""

    def resolve(method: str) -> ResolvedKey:
        return _local_key(session, links, method)

    status = _status_check(session, links)
    if isinstance(credential, str):
        return verify_jwt(credential, resolve, now=now, status=status)
    return verify_credential(
        credential,
        resolve,
        now=now,
        challenge=options.challenge,
        domain=options.domain,
        status=status,
    )
