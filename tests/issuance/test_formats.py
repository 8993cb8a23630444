"""Every format of an award, over a live server on SQLite and PostgreSQL: served, revoked at
once, revoked concurrently within one status list, and issued for awards made before signing.

The status list bit is decoded here from the served credential (gzip + base64url, no
badgeforge code); the signed OB 2.0 assertion and the VC-JWT are checked with
``cryptography`` against the key documents the server publishes.
"""

import base64
import gzip
import secrets
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from sqlalchemy import select

from badgeforge.__main__ import main
from badgeforge.awards.models import Award
from badgeforge.badge_classes import service as badge_classes
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.core.identity import hash_identity
from badgeforge.core.ob3_schema import schema_errors
from badgeforge.db import make_engine, make_sessionmaker, utcnow
from badgeforge.issuance.models import IssuedAward
from badgeforge.settings import Settings
from tests.conftest import BACKENDS, scratch_postgres_database
from tests.issuance.flows import (
    award,
    create_badge_class,
    create_issuer,
    get,
    get_json,
    jwt_part,
    resolve,
    revoke,
    signed_payload,
)
from tests.live_server import LiveServer, api, live_server

ROUNDS = {"sqlite": 2, "postgresql": 4}


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, LiveServer, str, Path]]:
    """(backend, server, database URL, data directory)."""
    data_dir = tmp_path_factory.mktemp("formats")
    if request.param == "sqlite":
        with live_server(data_dir) as running:
            url = Settings(data_dir=data_dir).resolved_database_url
            yield "sqlite", running, url, data_dir
        return
    with scratch_postgres_database("formats") as url, live_server(data_dir, url) as running:
        yield "postgresql", running, url, data_dir


@pytest.fixture(scope="module")
def live(server: tuple[str, LiveServer, str, Path]) -> LiveServer:
    return server[1]


@pytest.fixture(scope="module")
def badge_class_id(live: LiveServer) -> str:
    identifier: str = create_badge_class(live, create_issuer(live)["id"])["id"]
    return identifier


def status_bit(credential: dict[str, Any]) -> bool:
    """The credential's revocation bit, read from the status list credential it names."""
    entry = credential["credentialStatus"]
    listed = get_json(entry["statusListCredential"])
    assert listed["credentialSubject"]["statusPurpose"] == "revocation"
    encoded = listed["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")  # multibase base64url, no padding
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(bits) * 8 >= 131_072
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def check_rs256(token: str, public_key_pem: str) -> None:
    """Raises InvalidSignature unless ``token`` is signed by the key (RS256)."""
    header, payload, signature = token.split(".")
    key = serialization.load_pem_public_key(public_key_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    key.verify(
        base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)),
        f"{header}.{payload}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


def jwk_pem(jwk: dict[str, str]) -> str:
    def number(value: str) -> int:
        return int.from_bytes(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)), "big")

    key = rsa.RSAPublicNumbers(number(jwk["e"]), number(jwk["n"])).public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def check_every_format(created: dict[str, Any]) -> None:
    """Each URL the award lists answers with its format, and the signatures check out."""
    formats = created["formats"]
    assert formats["ob2_hosted"]["url"] == created["assertion_url"]
    hosted = get_json(formats["ob2_hosted"]["url"])
    assert hosted["id"] == formats["ob2_hosted"]["url"]
    jws = get(formats["ob2_signed"]["url"]).text
    signed = signed_payload(jws)
    assert signed["recipient"] == hosted["recipient"]
    check_rs256(jws, get_json(signed["verification"]["creator"])["publicKeyPem"])
    credential = get_json(formats["ob3"]["url"])
    assert credential["id"] == formats["ob3"]["url"]
    assert schema_errors(credential) == []
    token = get(formats["ob3"]["jwt_url"]).text
    key = resolve(jwt_part(token, 0)["kid"])  # a bare JWK, or a did:web JsonWebKey method
    check_rs256(token, jwk_pem(key.get("publicKeyJwk", key)))
    assert jwt_part(token, 1)["jti"] == credential["id"]
    for kind in ("ob2_hosted", "ob2_signed", "ob3"):
        assert get(formats[kind]["baked_png_url"]).content.startswith(b"\x89PNG")
        assert b"<svg" in get(formats[kind]["baked_svg_url"]).content


def test_every_format_is_listed_and_served(live: LiveServer, badge_class_id: str) -> None:
    created = award(live, badge_class_id, ob3_proof="vc-jwt")
    assert created["formats"]["ob3"]["proof"] == "vc-jwt"
    check_every_format(created)
    with api(live) as client:
        fetched = client.get(f"/api/v1/awards/{created['id']}").json()
        listed = client.get("/api/v1/awards", params={"badge_class_id": badge_class_id}).json()
    assert fetched["formats"] == created["formats"]
    (item,) = [row for row in listed["items"] if row["id"] == created["id"]]
    assert item["formats"] == created["formats"]


def test_revocation_flips_every_format_at_once(live: LiveServer, badge_class_id: str) -> None:
    created = award(live, badge_class_id)
    formats = created["formats"]
    jws = get(formats["ob2_signed"]["url"]).text
    credential_text = get(formats["ob3"]["url"]).text
    credential = get_json(formats["ob3"]["url"])
    issuer = get_json(get_json(signed_payload(jws)["badge"])["issuer"])
    signed_id = signed_payload(jws)["id"]
    listed = get_json(issuer["revocationList"])["revokedAssertions"]
    assert signed_id not in [entry["id"] for entry in listed]
    assert status_bit(credential) is False

    revoke(live, created["id"], "Attribué par erreur.")

    gone = get(formats["ob2_hosted"]["url"], status=410)
    assert gone.headers["content-type"].startswith("application/json")
    assert gone.json()["revoked"] is True
    assert gone.json()["revocationReason"] == "Attribué par erreur."
    for kind in ("ob2_hosted", "ob2_signed", "ob3"):
        get(formats[kind]["baked_png_url"], status=410)
        get(formats[kind]["baked_svg_url"], status=410)
    listed = get_json(issuer["revocationList"])["revokedAssertions"]
    assert {"id": signed_id, "revocationReason": "Attribué par erreur."} in listed
    assert status_bit(credential) is True
    # the signed documents themselves are unchanged: verifiers read the lists
    assert get(formats["ob2_signed"]["url"]).text == jws
    assert get(formats["ob3"]["url"]).text == credential_text


def test_revocation_with_the_1edtech_list(live: LiveServer) -> None:
    issuer = create_issuer(live, ob3_status="1edtech")
    created = award(live, create_badge_class(live, issuer["id"])["id"])
    credential = get_json(created["formats"]["ob3"]["url"])
    status = credential["credentialStatus"]
    assert status == {"id": status["id"], "type": "1EdTechRevocationList"}
    assert get_json(status["id"])["revokedCredential"] == []
    revoke(live, created["id"], "Doublon.")
    get(created["assertion_url"], status=410)
    assert get_json(status["id"])["revokedCredential"] == [
        {"id": credential["id"], "revoked": True, "revocationReason": "Doublon."}
    ]


def revoke_together(live: LiveServer, barrier: threading.Barrier, item: dict[str, Any]) -> int:
    """Revoke ``item`` on its own connection, released with the others by ``barrier``."""
    with httpx.Client(base_url=live.base_url, headers=live.headers, timeout=60) as client:
        client.get("/health")  # open the connection before the start line
        barrier.wait(timeout=30)
        url = f"/api/v1/awards/{item['id']}/revoke"
        return client.post(url, json={"reason": "Erreur"}).status_code


def test_concurrent_revocations_in_one_status_list_are_all_published(
    server: tuple[str, LiveServer, str, Path], badge_class_id: str
) -> None:
    backend, live = server[0], server[1]
    for _ in range(ROUNDS[backend]):
        awards = [award(live, badge_class_id) for _ in range(2)]
        credentials = [get_json(item["formats"]["ob3"]["url"]) for item in awards]
        lists = {item["credentialStatus"]["statusListCredential"] for item in credentials}
        assert len(lists) == 1  # the same list, so the two revocations race on it
        barrier = threading.Barrier(len(awards))
        run = partial(revoke_together, live, barrier)

        with ThreadPoolExecutor(max_workers=len(awards)) as pool:
            assert list(pool.map(run, awards)) == [200, 200]
        assert [status_bit(credential) for credential in credentials] == [True, True]


@pytest.fixture(scope="module")
def backfilled(server: tuple[str, LiveServer, str, Path], badge_class_id: str) -> dict[str, Any]:
    """An award stored as before migration 0003 (no frozen documents), then `migrate`."""
    _, live, database_url, data_dir = server
    engine = make_engine(database_url)
    email = "dominique.petit@example.org"
    salt = secrets.token_hex(16)
    with make_sessionmaker(engine)() as session, session.begin():
        badge_class = session.get(BadgeClass, UUID(badge_class_id))
        assert badge_class is not None
        record = Award(
            organisation_id=badge_class.organisation_id,
            badge_class_id=badge_class.id,
            badge_class_version_id=badge_classes.awardable(session, badge_class).id,
            recipient_email=email,
            salt=salt,
            identity_hash=hash_identity(email, salt),
            issued_on=utcnow().replace(microsecond=0),
            narrative="Attribué avant la signature.",
            evidence=[],
        )
        session.add(record)
        session.flush()
        award_id = record.id
    with make_sessionmaker(engine)() as session:
        assert session.get(IssuedAward, award_id) is None
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BADGEFORGE_DATABASE_URL", database_url)
        patch.setenv("BADGEFORGE_DATA_DIR", str(data_dir))
        patch.setenv("BADGEFORGE_PUBLIC_BASE_URL", live.base_url)
        patch.delenv("BADGEFORGE_MASTER_KEYS", raising=False)
        main(["migrate"])
        main(["migrate"])  # safe to run again: nothing left to issue
    with make_sessionmaker(engine)() as session:
        issued = session.scalars(select(IssuedAward).where(IssuedAward.award_id == award_id))
        assert len(issued.all()) == 1
    engine.dispose()
    with api(live) as client:
        response = client.get(f"/api/v1/awards/{award_id}")
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def test_backfill_issues_every_format(backfilled: dict[str, Any]) -> None:
    check_every_format(backfilled)
    hosted = get_json(backfilled["assertion_url"])
    assert hosted["narrative"] == "Attribué avant la signature."
    credential = get_json(backfilled["formats"]["ob3"]["url"])
    assert (
        credential["credentialSubject"]["identifier"][0]["identityHash"]
        == (hosted["recipient"]["identity"])
    )
