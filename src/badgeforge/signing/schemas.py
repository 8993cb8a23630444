"""Request and response shapes of the signing key API. No private material, ever."""

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from badgeforge.core.keys import KeyAlgorithm, load_public_key_pem, public_jwk
from badgeforge.fields import RequestModel
from badgeforge.public.links import PublicLinks
from badgeforge.signing.models import KeyStatus, SigningKey

_KEY_ID = "8c1f0d2e-4b6a-4f3e-9d7c-2a5b8e1f0c3d"
_BASE = "http://localhost:8000"
_PEM = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA…\n-----END PUBLIC KEY-----\n"


class KeyRotate(RequestModel):
    """Which key to replace: the new key signs from now on, the old one stays published."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"algorithm": "Ed25519"}]})

    algorithm: KeyAlgorithm = Field(
        description="`Ed25519` (OB 3.0 Data Integrity proofs) or `RSA` (OB 2.0 JWS, VC-JWT)."
    )


class SigningKeyRead(BaseModel):
    """A public key of an issuer and where verifiers find it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": _KEY_ID,
                    "issuer_id": "6f1c2a8e-3b7d-4c1e-9a55-0d2b8f3e4a10",
                    "algorithm": "Ed25519",
                    "status": "active",
                    "public_key_pem": _PEM,
                    "public_key_multibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
                    "public_jwk": {"kty": "OKP", "crv": "Ed25519", "x": "S96v3i6ovu-t2MaZ…"},
                    "ob3_key_url": f"{_BASE}/ob3/keys/{_KEY_ID}",
                    "ob2_key_url": None,
                    "created_at": "2026-12-01T10:00:00Z",
                    "rotated_at": None,
                    "retired_at": None,
                }
            ]
        }
    )

    id: UUID
    issuer_id: UUID
    algorithm: KeyAlgorithm
    status: KeyStatus = Field(
        description="`active` signs new awards; `rotated` no longer signs but stays published "
        "so earlier badges keep verifying; `retired` is withdrawn."
    )
    public_key_pem: str
    public_key_multibase: str | None = Field(description="Ed25519 keys: `z6Mk…`.")
    public_jwk: dict[str, str]
    ob3_key_url: str = Field(description="Multikey document (Ed25519) or public JWK (RSA).")
    ob2_key_url: str | None = Field(description="OB 2.0 CryptographicKey (RSA keys).")
    created_at: datetime
    rotated_at: datetime | None
    retired_at: datetime | None

    @classmethod
    def from_model(cls, key: SigningKey, links: PublicLinks) -> Self:
        rsa = key.algorithm is KeyAlgorithm.RSA
        return cls(
            id=key.id,
            issuer_id=key.issuer_id,
            algorithm=key.algorithm,
            status=key.status,
            public_key_pem=key.public_key_pem,
            public_key_multibase=key.public_key_multibase,
            public_jwk=public_jwk(load_public_key_pem(key.public_key_pem)),
            ob3_key_url=links.ob3_key(key.id),
            ob2_key_url=links.ob2_key(key.id) if rsa else None,
            created_at=key.created_at,
            rotated_at=key.rotated_at,
            retired_at=key.retired_at,
        )
