"""The Python recipes of docs/verifying.md, run against the app (client.get for httpx.get)."""

import base64
import gzip
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.settings import Settings
from tests.factories import create_award, create_badge_class, create_issuer, create_tenant


def b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signed_ob2_is_valid(client: TestClient, award_id: str) -> bool:
    token = client.get(f"/ob2/assertions/{award_id}/signed").text.strip()
    header, payload, signature = token.split(".")
    assert json.loads(b64(header))["alg"] == "RS256"
    assertion = json.loads(b64(payload))
    creator = assertion["verification"]["creator"]
    key = client.get(creator).json()
    public_key = serialization.load_pem_public_key(key["publicKeyPem"].encode())
    assert isinstance(public_key, rsa.RSAPublicKey)
    public_key.verify(
        b64(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    issuer = client.get(key["owner"]).json()
    keys = issuer["publicKey"]
    assert creator in (keys if isinstance(keys, list) else [keys])
    revoked = client.get(issuer["revocationList"]).json()["revokedAssertions"]
    return assertion["id"] not in [item["id"] for item in revoked]


def is_revoked(client: TestClient, credential: dict[str, Any]) -> bool:
    entry = credential["credentialStatus"]
    status = client.get(entry["statusListCredential"]).json()
    encoded = status["credentialSubject"]["encodedList"]
    assert encoded[0] == "u"
    data = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_recipes(client: TestClient, session: Session, settings: Settings) -> None:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    award = create_award(session, tenant, settings, badge_class.id)
    credential = client.get(f"/ob3/credentials/{award.id}").json()
    assert signed_ob2_is_valid(client, str(award.id))
    assert not is_revoked(client, credential)
    revoke = client.post(
        f"/api/v1/awards/{award.id}/revoke", json={"reason": "Erreur"}, headers=tenant.headers
    )
    assert revoke.status_code == 200
    assert not signed_ob2_is_valid(client, str(award.id))
    assert is_revoked(client, credential)
