"""Third-party issuers on other origins, served by an in-memory fetcher (no network).

``MemoryFetcher`` is a real implementation of ``core.fetching.Fetcher`` over a dict of
URL -> response: a test double of the web, not of badgeforge. Issuers sign with keys made
here, through badgeforge's own core (``ob2``, ``ob2_signing``, ``ob3``, ``data_integrity``,
``vc_jwt``), and publish their documents the way each standard says.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from badgeforge.core import ob2, ob2_signing, ob3, status_list, vc_jwt
from badgeforge.core.data_integrity import add_proof, hash_data
from badgeforge.core.did import did_document, did_key, did_web, jwk_method, multikey_method
from badgeforge.core.fetching import Fetched, FetchError
from badgeforge.core.identity import hash_identity
from badgeforge.core.jws import sign_compact
from badgeforge.core.keys import public_jwk, public_key_pem, public_multikey
from badgeforge.core.multibase import multibase_encode
from badgeforge.core.records import (
    Alignment,
    AwardRecord,
    BadgeClassRecord,
    Evidence,
    IssuerRecord,
    Recipient,
)
from badgeforge.core.verification import VerifyOptions

NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
ISSUED = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
EMAIL = "Camille.Martin@example.org"
ISSUER_ID = UUID("11111111-1111-4111-8111-111111111111")
BADGE_CLASS_ID = UUID("22222222-2222-4222-8222-222222222222")
AWARD_ID = UUID("33333333-3333-4333-8333-333333333333")
ED25519 = ed25519.Ed25519PrivateKey.generate()
RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_ED25519 = ed25519.Ed25519PrivateKey.generate()
OTHER_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)

Document = dict[str, Any]


@dataclass
class MemoryFetcher:
    """The web as a dict: URL -> (status, content type, body)."""

    pages: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def put(self, url: str, body: Any, status: int = 200, content_type: str = "") -> None:
        if isinstance(body, dict):
            data, kind = json.dumps(body).encode(), content_type or "application/json"
        elif isinstance(body, str):
            data, kind = body.encode(), content_type or "text/plain"
        else:
            data, kind = body, content_type or "application/octet-stream"
        self.pages[url] = (status, kind, data)

    def get(self, url: str, *, accept: str, max_bytes: int = 1_048_576) -> Fetched:
        self.calls.append(url)
        if url not in self.pages:
            raise FetchError(f"cannot connect to {url}")
        status, kind, body = self.pages[url]
        if len(body) > max_bytes:
            raise FetchError("response too large")
        return Fetched(url, status, kind, {}, body)


def options(fetcher: MemoryFetcher | None, **changes: Any) -> VerifyOptions:
    return VerifyOptions(**{"now": NOW, "fetcher": fetcher, **changes})


ISSUER = IssuerRecord(
    id=ISSUER_ID,
    name="Centre de formation Les Tilleuls",
    url="https://tilleuls.example.org",
    email="contact@tilleuls.example.org",
)
BADGE_CLASS = BadgeClassRecord(
    id=BADGE_CLASS_ID,
    issuer_id=ISSUER_ID,
    name="Accueil du public",
    description="Je sais accueillir et orienter une personne.",
    image_media_type="image/png",
    criteria_narrative="Accueillir trois visiteurs en autonomie.",
    alignments=(Alignment("Accueillir", "https://rectec.example.org/c/accueil", None, "RECTEC"),),
    tags=("accueil",),
)


def award(**changes: Any) -> AwardRecord:
    values: dict[str, Any] = {
        "id": AWARD_ID,
        "badge_class_id": BADGE_CLASS_ID,
        "recipient": Recipient(hash_identity(EMAIL.lower(), "s4lt"), "s4lt"),
        "issued_on": ISSUED,
        "expires": datetime(2030, 1, 1, tzinfo=UTC),
        "narrative": "Observé en situation.",
        "evidence": (Evidence(url="https://portfolio.example.org/c", name="Photos"),),
    }
    return AwardRecord(**{**values, **changes})


@dataclass(frozen=True)
class Ob2Links:
    """An OB 2.0 issuer's documents on its own origin."""

    base: str

    def issuer(self, issuer_id: UUID) -> str:
        return f"{self.base}/issuer.json"

    def issuer_image(self, issuer_id: UUID) -> str:
        return f"{self.base}/logo.png"

    def badge_class(self, badge_class_id: UUID) -> str:
        return f"{self.base}/badge.json"

    def badge_class_image(self, badge_class_id: UUID, media_type: str) -> str:
        return f"{self.base}/badge.png"

    def assertion(self, award_id: UUID) -> str:
        return f"{self.base}/assertions/{award_id}"

    def baked_image(self, award_id: UUID, media_type: str) -> str:
        return f"{self.base}/assertions/{award_id}.png"


OB2_BASE = "https://ob2.partner.example"
OB2_LINKS = Ob2Links(OB2_BASE)
OB2_KEY_URL = f"{OB2_BASE}/keys/1"
OB2_REVOCATIONS = f"{OB2_BASE}/revocations.json"


def publish_ob2(fetcher: MemoryFetcher, record: AwardRecord | None = None) -> Document:
    """Publish an OB 2.0 issuer, badge class and hosted assertion; returns the assertion."""
    record = record or award()
    profile = ob2.issuer_profile(
        ISSUER, OB2_LINKS, public_keys=[OB2_KEY_URL], revocation_list=OB2_REVOCATIONS
    )
    fetcher.put(OB2_LINKS.issuer(ISSUER_ID), profile)
    fetcher.put(OB2_LINKS.badge_class(BADGE_CLASS_ID), ob2.badge_class(BADGE_CLASS, OB2_LINKS))
    fetcher.put(
        OB2_KEY_URL,
        ob2_signing.cryptographic_key(OB2_KEY_URL, profile["id"], public_key_pem(RSA.public_key())),
    )
    fetcher.put(OB2_REVOCATIONS, ob2_signing.revocation_list(OB2_REVOCATIONS, profile["id"], []))
    assertion = ob2.assertion(record, BADGE_CLASS, OB2_LINKS)
    fetcher.put(assertion["id"], assertion)
    return assertion


def signed_ob2(assertion: Document, key: rsa.RSAPrivateKey = RSA) -> str:
    signed = {**assertion, "id": f"urn:uuid:{AWARD_ID}"}
    return ob2_signing.sign_assertion(signed, key, OB2_KEY_URL)


@dataclass(frozen=True)
class Ob3Links:
    """An OB 3.0 issuer whose id may be a URL or a DID."""

    base: str
    issuer_id: str

    def credential(self, award_id: UUID) -> str:
        return f"{self.base}/credentials/{award_id}"

    def achievement(self, badge_class_id: UUID) -> str:
        return f"{self.base}/achievements/{badge_class_id}"

    def badge_class_image(self, badge_class_id: UUID, media_type: str) -> str:
        return f"{self.base}/badge.png"

    def issuer_profile(self, issuer_id: UUID) -> str:
        return self.issuer_id

    def issuer_image(self, issuer_id: UUID) -> str:
        return f"{self.base}/logo.png"


URL_BASE = "https://tilleuls.example.org"
URL_ISSUER = f"{URL_BASE}/issuers/1"
WEB_BASE = "https://badges.partner.example"
WEB_ISSUER = did_web(WEB_BASE)
MULTIKEY = public_multikey(ED25519.public_key())
KEY_ISSUER = did_key(MULTIKEY)


@dataclass(frozen=True)
class Issuer3:
    """How an OB 3.0 issuer names itself, its Ed25519 method and its RSA JWT kid."""

    links: Ob3Links
    method: str
    kid: str

    @property
    def id(self) -> str:
        return self.links.issuer_id


URL_STYLE = Issuer3(
    Ob3Links(URL_BASE, URL_ISSUER), f"{URL_ISSUER}#{MULTIKEY}", f"{URL_BASE}/keys/rsa"
)
WEB_STYLE = Issuer3(Ob3Links(WEB_BASE, WEB_ISSUER), f"{WEB_ISSUER}#key-1", f"{WEB_ISSUER}#key-2")
KEY_STYLE = Issuer3(Ob3Links("https://wallet.example", KEY_ISSUER), f"{KEY_ISSUER}#{MULTIKEY}", "")


def publish_issuers(fetcher: MemoryFetcher) -> None:
    """Key documents of the URL and did:web issuers."""
    controller = did_document(URL_ISSUER, [multikey_method(URL_STYLE.method, URL_ISSUER, MULTIKEY)])
    fetcher.put(URL_ISSUER, controller)
    fetcher.put(URL_STYLE.kid, public_jwk(RSA.public_key()))
    fetcher.put(
        f"{URL_BASE}/.well-known/jwks.json", {"keys": [public_jwk(RSA.public_key(), URL_STYLE.kid)]}
    )
    methods = [
        multikey_method(WEB_STYLE.method, WEB_ISSUER, MULTIKEY),
        jwk_method(WEB_STYLE.kid, WEB_ISSUER, public_jwk(RSA.public_key())),
    ]
    fetcher.put(f"{WEB_BASE}/.well-known/did.json", did_document(WEB_ISSUER, methods))


def credential(issuer: Issuer3, status: Document | None = None, **changes: Any) -> Document:
    document = ob3.open_badge_credential(
        award(**changes), BADGE_CLASS, ISSUER, issuer.links, ob3.CredentialOptions(status)
    )
    return document


def sign_di(
    document: Document, issuer: Issuer3, key: ed25519.Ed25519PrivateKey = ED25519
) -> Document:
    return add_proof(document, key, verification_method=issuer.method, created=ISSUED)


def sign_jwt(document: Document, issuer: Issuer3, key: rsa.RSAPrivateKey = RSA) -> str:
    return vc_jwt.sign(document, key, issuer.kid)


def publish_status_list(
    fetcher: MemoryFetcher,
    issuer: Issuer3,
    revoked: tuple[int, ...] = (),
    purpose: str = "revocation",
) -> str:
    url = f"{issuer.links.base}/status/{purpose}"
    unsigned = status_list.status_list_credential(
        url, issuer.id, status_list.bitstring_with(revoked), ISSUED - timedelta(days=1), purpose
    )
    fetcher.put(url, sign_di(unsigned, issuer))
    return url


def publish_revocation_list(
    fetcher: MemoryFetcher, issuer: Issuer3, revoked: list[str]
) -> Document:
    url = f"{issuer.links.base}/revocations"
    fetcher.put(url, status_list.revocation_list_document(url, [(item, None) for item in revoked]))
    return status_list.revocation_list_entry(url)


ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


def sign_legacy(document: Document, issuer: Issuer3, suite: str) -> Document:
    """A proof in an older form verifiers still meet: ``eddsa-2022`` or ``Ed25519Signature2020``."""
    signed = dict(document)
    if suite == "Ed25519Signature2020":
        signed["@context"] = [*document["@context"], ED25519_2020_CONTEXT]
        proof: Document = {"type": suite}
    else:
        proof = {"type": "DataIntegrityProof", "cryptosuite": suite}
    proof |= {
        "created": "2026-06-01T09:30:00Z",
        "verificationMethod": issuer.method,
        "proofPurpose": "assertionMethod",
    }
    data = hash_data(signed, {**proof, "@context": signed["@context"]})
    return {**signed, "proof": {**proof, "proofValue": multibase_encode(ED25519.sign(data))}}


def vc11(document: Document) -> Document:
    """The same credential on the VC 1.1 model (``credentials/v1``, ``issuanceDate``)."""
    legacy = {
        key: value for key, value in document.items() if key not in ("validFrom", "validUntil")
    }
    legacy["@context"] = [
        "https://www.w3.org/2018/credentials/v1",
        *document["@context"][1:],
        "https://w3id.org/security/data-integrity/v2",
    ]
    legacy["issuanceDate"] = document["validFrom"]
    if "validUntil" in document:
        legacy["expirationDate"] = document["validUntil"]
    return legacy


def vc11_jwt(document: Document, issuer: Issuer3, key: rsa.RSAPrivateKey = RSA) -> str:
    """A VC 1.1 VC-JWT: the credential in a ``vc`` claim."""
    claims = {"vc": document, "iss": issuer.id, "jti": document["id"]}
    return sign_compact(claims, key, {"kid": issuer.kid, "typ": "JWT"})
