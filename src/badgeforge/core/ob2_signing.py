"""Signed OB 2.0 assertions: compact JWS (RS256), key documents and revocation lists.

A signed assertion has ``verification: {type: SignedBadge, creator: <key URL>}``; the
key URL serves a ``CryptographicKey`` (``publicKeyPem``, ``owner``) that the issuer
Profile lists in ``publicKey``, and the issuer's ``revocationList`` names revoked
assertions. The 1EdTech validator reads the key only from ``verification.creator``.
"""

from collections.abc import Iterable
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from badgeforge.core.errors import SigningError
from badgeforge.core.jws import sign_compact
from badgeforge.core.ob2 import OB2_CONTEXT

Document = dict[str, Any]


def cryptographic_key(key_url: str, owner_url: str, public_key_pem: str) -> Document:
    """The hosted ``CryptographicKey`` document of an issuer's RSA key."""
    return {
        "@context": OB2_CONTEXT,
        "type": "CryptographicKey",
        "id": key_url,
        "owner": owner_url,
        "publicKeyPem": public_key_pem,
    }


def signed_assertion_document(assertion: Document, creator: str) -> Document:
    """``assertion`` switched to signed verification by the key at ``creator``."""
    return {**assertion, "verification": {"type": "SignedBadge", "creator": creator}}


def sign_assertion(assertion: Document, key: rsa.RSAPrivateKey, creator: str) -> str:
    """The compact JWS (RS256) of a signed OB 2.0 assertion."""
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningError("OB 2.0 assertions are signed with an RSA key (RS256)")
    return sign_compact(signed_assertion_document(assertion, creator), key)


def revocation_list(
    list_url: str, issuer_url: str, revoked: Iterable[tuple[str, str | None]]
) -> Document:
    """The issuer's OB 2.0 ``RevocationList`` of ``(assertion id, reason)`` pairs."""
    return {
        "@context": OB2_CONTEXT,
        "type": "RevocationList",
        "id": list_url,
        "issuer": issuer_url,
        "revokedAssertions": [
            {"id": assertion_id, "revocationReason": reason} if reason else {"id": assertion_id}
            for assertion_id, reason in revoked
        ],
    }
