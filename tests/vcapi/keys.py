"""A did:key issuer made in the test, unrelated to badgeforge's keys, and credentials to sign."""

from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519

from badgeforge.core.data_integrity import add_proof
from badgeforge.core.did import did_key
from badgeforge.core.keys import public_multikey

CREATED = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


class DidKeyIssuer:
    """An Ed25519 key and its ``did:key`` identifier and verification method."""

    def __init__(self) -> None:
        self.private_key = ed25519.Ed25519PrivateKey.generate()
        multikey = public_multikey(self.private_key.public_key())
        self.did = did_key(multikey)
        self.method = f"{self.did}#{multikey}"

    def sign(self, credential: dict[str, Any], **changes: Any) -> dict[str, Any]:
        """``credential`` issued by this DID (``changes`` applied first), with a proof."""
        document = {**credential, "issuer": self.did, **changes}
        return add_proof(
            document, self.private_key, verification_method=self.method, created=CREATED
        )


def vc2(**changes: Any) -> dict[str, Any]:
    """An unsigned VC 2.0 credential that is not an Open Badge."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:1f0e4c5e-9b0e-4a8e-8a43-0c3b6b1c2d3e",
        "type": ["VerifiableCredential"],
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Camille"},
        **changes,
    }


def vc1(**changes: Any) -> dict[str, Any]:
    """An unsigned VC 1.1 credential (only terms the VC 1.1 context defines)."""
    return {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:2a1b5d6f-0c1f-4b9f-9b54-1d4c7c2d3e4f",
        "type": ["VerifiableCredential"],
        "issuanceDate": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
        **changes,
    }
