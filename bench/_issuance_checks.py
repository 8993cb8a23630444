"""Checks that what ``bench_issuance.py`` issued and baked is right, not only fast.

On a random sample of one tenant's awards: the OB 3.0 credential's ``eddsa-rdfc-2022``
proof verifies with the issuer's Ed25519 public key (and fails once a field is changed),
the credential passes the OB 3.0 JSON Schema, the VC-JWT and the signed OB 2.0 assertion
verify with the issuer's RSA public key (the JWT carries the same credential), and each
baked image unbakes to the stored document. Over the whole database: every award was
issued once, and no two credentials share a status list entry.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from _common import Tenant
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from badgeforge.awards.models import Award
from badgeforge.core import jws, ob3_schema, vc_jwt
from badgeforge.core.baking import unbake_credential, unbake_png, unbake_svg
from badgeforge.core.data_integrity import verify_proof
from badgeforge.core.errors import InvalidProof
from badgeforge.core.keys import load_public_key_pem
from badgeforge.issuance.models import IssuedAward, ProofFormat
from badgeforge.public import credentials as credential_service
from badgeforge.public import service as public_service
from badgeforge.signing.models import SigningKey


@dataclass
class Checks:
    """Counts of what was checked and passed; ``failures`` says what did not."""

    sample: int = 0
    data_integrity: int = 0
    tampered_refused: int = 0
    json_schema: int = 0
    vc_jwt: int = 0
    ob2_jws: int = 0
    baked_images: int = 0
    awards: int = 0
    issued: int = 0
    status_entries: int = 0
    distinct_status_entries: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "passed": self.passed}


def _public_keys(session: Session, issued: IssuedAward) -> tuple[Any, Any]:
    rsa_key = session.get_one(SigningKey, issued.rsa_key_id)
    ed_key = session.get_one(SigningKey, issued.ed25519_key_id)
    return load_public_key_pem(rsa_key.public_key_pem), load_public_key_pem(ed_key.public_key_pem)


def _check_signatures(session: Session, issued: IssuedAward, checks: Checks) -> None:
    rsa_public, ed_public = _public_keys(session, issued)
    credential = json.loads(issued.ob3_credential)
    verify_proof(credential, credential["proof"][0], ed_public)
    checks.data_integrity += 1
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["name"] += " (modifié)"
    try:
        verify_proof(tampered, tampered["proof"][0], ed_public)
    except InvalidProof:
        checks.tampered_refused += 1
    else:
        checks.failures.append(f"{issued.award_id}: a tampered credential verified")
    errors = ob3_schema.schema_errors(credential)
    if errors:
        checks.failures.append(f"{issued.award_id}: JSON Schema: {errors[:2]}")
    else:
        checks.json_schema += 1
    unsigned = {key: value for key, value in credential.items() if key != "proof"}
    if vc_jwt.credential_of(jws.verify_compact(issued.ob3_jwt, rsa_public)) != unsigned:
        checks.failures.append(f"{issued.award_id}: the VC-JWT carries another credential")
    else:
        checks.vc_jwt += 1
    signed = jws.verify_compact(issued.ob2_jws, rsa_public).payload
    if signed.get("id") != issued.ob2_signed_id:
        checks.failures.append(f"{issued.award_id}: the JWS is not this assertion")
    else:
        checks.ob2_jws += 1


def _check_baked(session: Session, issued: IssuedAward, checks: Checks) -> None:
    award_id = issued.award_id
    hosted_id = json.loads(issued.ob2_assertion)["id"]
    default = (
        issued.ob3_jwt if issued.ob3_default == ProofFormat.VC_JWT.value else issued.ob3_credential
    )
    expected: list[tuple[str, bytes, Any, Any]] = [
        (
            "OB 2.0 PNG",
            public_service.baked_image(session, award_id, "image/png"),
            unbake_png,
            issued.ob2_assertion,
        ),
        (
            "OB 2.0 SVG",
            public_service.baked_image(session, award_id, "image/svg+xml"),
            unbake_svg,
            hosted_id,
        ),
        (
            "signed PNG",
            public_service.signed_baked_image(session, award_id, "image/png"),
            unbake_png,
            issued.ob2_jws,
        ),
        (
            "signed SVG",
            public_service.signed_baked_image(session, award_id, "image/svg+xml"),
            unbake_svg,
            issued.ob2_jws,
        ),
    ]
    for media_type in ("image/png", "image/svg+xml"):
        image = credential_service.baked_credential(session, award_id, media_type)
        expected.append((f"OB 3.0 {media_type}", image, unbake_credential, default))
    for name, image, unbake, payload in expected:
        found = unbake(image)
        if found.startswith("{"):  # JSON in an SVG CDATA may have escapes: compare values
            same = json.loads(found) == json.loads(payload)
        else:
            same = found == payload
        if same:
            checks.baked_images += 1
        else:
            checks.failures.append(f"{award_id}: the baked {name} does not carry the document")


def verify_sample(session: Session, tenant: Tenant, sample: int, seed: int = 6) -> Checks:
    """Check ``sample`` random awards of ``tenant`` and the whole database's invariants."""
    checks = Checks()
    ids = list(
        session.scalars(
            select(IssuedAward.award_id)
            .where(IssuedAward.issuer_id == tenant.issuer_id)
            .order_by(IssuedAward.award_id)
        )
    )
    sampler = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    chosen: list[UUID] = sampler.sample(ids, min(sample, len(ids)))
    for award_id in chosen:
        issued = session.get_one(IssuedAward, award_id)
        checks.sample += 1
        try:
            _check_signatures(session, issued, checks)
            _check_baked(session, issued, checks)
        except InvalidProof as error:
            checks.failures.append(f"{award_id}: {error}")
    checks.awards = session.scalar(select(func.count()).select_from(Award)) or 0
    checks.issued = session.scalar(select(func.count()).select_from(IssuedAward)) or 0
    entries = select(IssuedAward.status_list_id, IssuedAward.status_list_index).where(
        IssuedAward.status_list_index.is_not(None)
    )
    checks.status_entries = (
        session.scalar(select(func.count()).select_from(entries.subquery())) or 0
    )
    checks.distinct_status_entries = (
        session.scalar(select(func.count()).select_from(entries.distinct().subquery())) or 0
    )
    if checks.awards != checks.issued:
        checks.failures.append(f"{checks.awards} awards but {checks.issued} issued")
    if checks.status_entries != checks.issued:
        checks.failures.append(f"{checks.issued} issued but {checks.status_entries} entries")
    if checks.distinct_status_entries != checks.status_entries:
        checks.failures.append("two credentials share a status list entry")
    return checks
