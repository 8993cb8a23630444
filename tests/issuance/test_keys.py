"""Issuer keys end to end: private keys never leave, rotation keeps earlier badges verifying,
retiring withdraws a key, and the master key can be rotated with ``badgeforge reseal-keys``.

The private keys are unsealed here with the master key the test configured, and every form
they could leak in (PEM, DER, raw bytes, JWK members, base64/hex) is looked for in every
response body and header of a full flow and in every log record.
"""

import base64
import logging
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from sqlalchemy import select
from sqlalchemy.orm import undefer

from badgeforge.__main__ import main
from badgeforge.core.errors import KeyUnavailable
from badgeforge.core.keys import KeyVault, PrivateKey
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.settings import Settings
from badgeforge.signing.models import SigningKey
from tests.conftest import BACKENDS, scratch_postgres_database
from tests.issuance.flows import (
    award,
    create_badge_class,
    create_issuer,
    get,
    get_json,
    jwt_part,
    revoke,
    signed_payload,
    verifier_documents,
)
from tests.issuance.test_formats import check_every_format
from tests.live_server import LiveServer, live_server
from tests.oracles.vc_js import verify_credential, verify_jwt

OLD_MASTER = KeyVault.generate_master_key()
NEW_MASTER = KeyVault.generate_master_key()


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    """A live server whose keys are sealed with OLD_MASTER, and its database URL."""
    data_dir = tmp_path_factory.mktemp("keys")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BADGEFORGE_MASTER_KEYS", OLD_MASTER)
        with live_server(data_dir) as running:
            yield running, Settings(data_dir=data_dir).resolved_database_url


def private_keys(url: str, master_keys: tuple[str, ...]) -> dict[str, PrivateKey]:
    """Every issuer private key in the database, unsealed with ``master_keys``."""
    engine = make_engine(url)
    vault = KeyVault(master_keys)
    with make_sessionmaker(engine)() as session:
        keys = session.scalars(select(SigningKey).options(undefer(SigningKey.sealed_private_key)))
        opened = {str(key.id): vault.open(key.sealed_private_key) for key in keys}
    engine.dispose()
    return opened


def sealed_tokens(url: str) -> dict[str, bytes]:
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        keys = session.scalars(select(SigningKey).options(undefer(SigningKey.sealed_private_key)))
        tokens = {str(key.id): key.sealed_private_key for key in keys}
    engine.dispose()
    return tokens


def _encodings(secret: bytes) -> list[bytes]:
    return [
        secret,
        secret.hex().encode(),
        base64.b64encode(secret).rstrip(b"="),
        base64.urlsafe_b64encode(secret).rstrip(b"="),
    ]


def secret_forms(key: PrivateKey) -> list[bytes]:
    """Every way the private half of ``key`` could appear in text or bytes."""
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    forms = _encodings(der) + [line for line in pem.splitlines()[1:-1] if len(line) > 16]
    if isinstance(key, ed25519.Ed25519PrivateKey):
        forms += _encodings(key.private_bytes_raw())
    else:
        assert isinstance(key, rsa.RSAPrivateKey)
        numbers = key.private_numbers()
        for value in (numbers.d, numbers.p, numbers.q, numbers.dmp1, numbers.dmq1):
            forms += _encodings(value.to_bytes((value.bit_length() + 7) // 8, "big"))
            forms.append(str(value).encode())
    return forms


class Recorder:
    """Keeps every response (status line, headers, body) an httpx client receives."""

    def __init__(self) -> None:
        self.seen: list[bytes] = []

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
        self.seen.append(f"{response.status_code}\n{headers}\n".encode() + response.content)

    def client(self, server: LiveServer) -> httpx.Client:
        return httpx.Client(
            base_url=server.base_url,
            headers=server.headers,
            timeout=30,
            event_hooks={"response": [self]},
        )


def full_flow(client: httpx.Client) -> None:
    """Issuers, awards, a revocation, rotations, key listings, errors, every public doc."""
    issuers = [
        client.post("/api/v1/issuers", json=body).json()
        for body in (
            {"name": "ESAT", "url": "https://esat.example.fr", "email": "a@esat.example.fr"},
            {
                "name": "IME",
                "url": "https://ime.example.fr",
                "email": "a@ime.example.fr",
                "identifier_style": "did:web",
                "ob3_status": "1edtech",
            },
        )
    ]
    awards: list[dict[str, Any]] = []
    for issuer in issuers:
        badge_class = client.post(
            "/api/v1/badge-classes",
            json={
                "issuer_id": issuer["id"],
                "name": "Accueil du public",
                "description": "Accueille les clients.",
                "criteria": {"narrative": "Accueille."},
                "publish": True,
            },
        ).json()
        body = {"badge_class_id": badge_class["id"], "recipient_email": "x@example.org"}
        awards.append(client.post("/api/v1/awards", json=body).json())
        for algorithm in ("Ed25519", "RSA"):
            rotated = client.post(
                f"/api/v1/issuers/{issuer['id']}/keys/rotate", json={"algorithm": algorithm}
            )
            assert rotated.status_code == 201, rotated.text
        awards.append(client.post("/api/v1/awards", json=body).json())
        keys = client.get(f"/api/v1/issuers/{issuer['id']}/keys").json()["items"]
        active = next(key for key in keys if key["status"] == "active")
        assert client.post(f"/api/v1/keys/{active['id']}/retire").status_code == 409
        rotated_key = next(key for key in keys if key["status"] == "rotated")
        assert client.post(f"/api/v1/keys/{rotated_key['id']}/retire").status_code == 200
        for path in ("", "/did.json", "/jwks.json", "/revocations"):
            client.get(f"/ob3/issuers/{issuer['id']}{path}")
        for path in ("", "/revocations"):
            client.get(f"/ob2/issuers/{issuer['id']}{path}")
        for key in keys:
            client.get(key["ob3_key_url"])
            if key["ob2_key_url"]:
                client.get(key["ob2_key_url"])
    bad = client.post(f"/api/v1/issuers/{issuers[0]['id']}/keys/rotate", json={"algorithm": "DSA"})
    assert bad.status_code == 422
    assert (
        client.post("/api/v1/keys/00000000-0000-4000-8000-000000000000/retire").status_code == 404
    )
    assert client.post(f"/api/v1/awards/{awards[0]['id']}/revoke", json={"reason": "x"}).is_success
    client.get("/.well-known/jwks.json")
    for created in awards:
        client.get(f"/api/v1/awards/{created['id']}")
        for urls in created["formats"].values():
            for name, url in urls.items():
                if name.endswith("url"):
                    client.get(url)
        credential = client.get(created["formats"]["ob3"]["url"]).json()
        if "statusListCredential" in credential["credentialStatus"]:
            client.get(credential["credentialStatus"]["statusListCredential"])
    client.get("/api/v1/awards")


def test_private_keys_never_appear_in_responses_or_logs(
    keyed: tuple[LiveServer, str], caplog: pytest.LogCaptureFixture
) -> None:
    server, url = keyed
    recorder = Recorder()
    with caplog.at_level(logging.DEBUG), recorder.client(server) as client:
        full_flow(client)
    keys = private_keys(url, (OLD_MASTER,))
    assert len(keys) >= 8  # two issuers, two algorithms, before and after rotation
    needles = [b"PRIVATE KEY", OLD_MASTER.encode()]
    needles += list(sealed_tokens(url).values())
    for key in keys.values():
        needles += secret_forms(key)
    haystacks = [*recorder.seen, caplog.text.encode()]
    assert len(recorder.seen) > 60
    for key in keys.values():  # the search does find what is published: the public halves
        public = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        assert any(public.splitlines()[1] in haystack for haystack in haystacks)
    for needle in needles:
        for haystack in haystacks:
            assert needle not in haystack, f"secret material leaked: {haystack[:200]!r}"


def di_verdict(credential: dict[str, Any]) -> tuple[bool, list[str]]:
    verdict = verify_credential(credential, verifier_documents(credential))
    return verdict.verified, verdict.errors


def jwt_verdict(token: str) -> tuple[bool, list[str]]:
    documents = verifier_documents(jwt_part(token, 1), kids=(jwt_part(token, 0)["kid"],))
    verdict = verify_jwt(token, documents)
    return verdict.verified, verdict.errors


def rotate(server: LiveServer, issuer_id: str, algorithm: str) -> dict[str, Any]:
    with httpx.Client(base_url=server.base_url, headers=server.headers) as client:
        response = client.post(
            f"/api/v1/issuers/{issuer_id}/keys/rotate", json={"algorithm": algorithm}
        )
    assert response.status_code == 201, response.text
    key: dict[str, Any] = response.json()
    return key


def retire(server: LiveServer, key_id: str) -> None:
    with httpx.Client(base_url=server.base_url, headers=server.headers) as client:
        response = client.post(f"/api/v1/keys/{key_id}/retire")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "retired"


@pytest.mark.validator
def test_rotation_keeps_earlier_awards_verifying_and_retiring_withdraws(
    keyed: tuple[LiveServer, str],
) -> None:
    server = keyed[0]
    issuer = create_issuer(server)
    badge_class_id = create_badge_class(server, issuer["id"])["id"]
    earlier = award(server, badge_class_id)["formats"]
    old_credential = get_json(earlier["ob3"]["url"])
    old_token = get(earlier["ob3"]["jwt_url"]).text
    old_jws = get(earlier["ob2_signed"]["url"]).text
    old_method = old_credential["proof"][0]["verificationMethod"]

    new_ed25519 = rotate(server, issuer["id"], "Ed25519")
    new_rsa = rotate(server, issuer["id"], "RSA")
    later = award(server, badge_class_id)["formats"]
    credential = get_json(later["ob3"]["url"])
    token = get(later["ob3"]["jwt_url"]).text
    jws = get(later["ob2_signed"]["url"]).text
    assert credential["proof"][0]["verificationMethod"] == new_ed25519["ob3_key_url"]
    assert jwt_part(token, 0)["kid"] == new_rsa["ob3_key_url"]
    assert signed_payload(jws)["verification"]["creator"] == new_rsa["ob2_key_url"]
    old_creator = signed_payload(old_jws)["verification"]["creator"]
    assert old_creator != new_rsa["ob2_key_url"]
    profile = get_json(issuer["public_url"])
    assert sorted(profile["publicKey"]) == sorted([old_creator, new_rsa["ob2_key_url"]])
    for verdict in (
        di_verdict(old_credential),
        jwt_verdict(old_token),
        di_verdict(credential),
        jwt_verdict(token),
    ):
        assert verdict[0], verdict[1]

    retire(server, old_method.rsplit("/", 1)[1])
    get(old_method, status=404)
    assert old_method not in str(get_json(old_credential["issuer"]["id"]))
    assert not di_verdict(old_credential)[0]
    verified, errors = di_verdict(credential)  # its status list must not depend on the old key
    assert verified, errors
    old_kid = jwt_part(old_token, 0)["kid"]
    retire(server, old_kid.rsplit("/", 1)[1])
    get(old_kid, status=404)
    get(old_creator, status=404)
    assert not jwt_verdict(old_token)[0]
    assert jwt_verdict(token)[0]
    assert get_json(issuer["public_url"])["publicKey"] == new_rsa["ob2_key_url"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_master_key_rotation_reseals_every_key_and_signing_goes_on(
    backend: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with scratch_postgres_database("reseal") if backend == "postgresql" else nullcontext("") as url:
        reseal_scenario(url, tmp_path, monkeypatch, capsys)


def reseal_scenario(
    url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BADGEFORGE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("BADGEFORGE_MASTER_KEYS", OLD_MASTER)
    resolved = url or Settings(data_dir=data_dir).resolved_database_url
    with live_server(data_dir, url) as first:
        issuers = [create_issuer(first), create_issuer(first, identifier_style="did:web")]
        badge_classes = [create_badge_class(first, item["id"])["id"] for item in issuers]
        earlier = [award(first, badge_class_id) for badge_class_id in badge_classes]
        rotate(first, issuers[0]["id"], "RSA")
        frozen = {
            created["id"]: get(created["formats"]["ob3"]["url"]).content for created in earlier
        }
    before = private_keys(resolved, (OLD_MASTER,))
    tokens = sealed_tokens(resolved)
    assert len(before) == 5

    monkeypatch.setenv("BADGEFORGE_DATABASE_URL", resolved)
    monkeypatch.setenv("BADGEFORGE_MASTER_KEYS", f"{NEW_MASTER},{OLD_MASTER}")
    main(["reseal-keys"])
    assert "5 private key(s) and 0 webhook secret(s) re-encrypted" in capsys.readouterr().out

    after = private_keys(resolved, (NEW_MASTER,))
    for key_id, token in sealed_tokens(resolved).items():
        assert token != tokens[key_id]
        with pytest.raises(KeyUnavailable):
            KeyVault((OLD_MASTER,)).open(token)
        assert secret_forms(after[key_id]) == secret_forms(before[key_id])

    monkeypatch.setenv("BADGEFORGE_MASTER_KEYS", NEW_MASTER)
    monkeypatch.delenv("BADGEFORGE_DATABASE_URL")
    with live_server(data_dir, url) as second:
        server = LiveServer(second.base_url, first.token)
        for created, badge_class_id in zip(earlier, badge_classes, strict=True):
            later = award(server, badge_class_id)
            check_every_format(later)  # signed with the resealed keys, verified here
            revoke(server, created["id"])  # signs the status list again
            moved = created["formats"]["ob3"]["url"].replace(first.base_url, second.base_url)
            assert get(moved).content == frozen[created["id"]]
        rotate(server, issuers[1]["id"], "Ed25519")  # new keys are sealed with the new master
    assert len(private_keys(resolved, (NEW_MASTER,))) == 6
