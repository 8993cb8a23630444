"""OB 3.0 credentials served by a live badgeforge, checked by the independent JS verifier.

The digitalbazaar stack checks the Data Integrity proof and jose the VC-JWT; every key,
controller, DID and status list document they use is fetched from the live server (the
hosting is tested too). Issuers identified by an https URL, a did:web and a did:key.
"""

import base64
import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from badgeforge.core.baking import unbake_credential
from badgeforge.core.ob3_schema import schema_errors
from tests.issuance.flows import (
    award,
    create_badge_class,
    create_issuer,
    get,
    get_json,
    jwt_part,
    revoke,
    verifier_documents,
)
from tests.live_server import LiveServer, live_server
from tests.oracles.vc_js import Verdict, verify_credential, verify_jwt

pytestmark = pytest.mark.validator

STYLES = ["url", "did:web", "did:key"]
JWT_CLAIMS = ("iss", "jti", "nbf", "sub", "exp")
EVIDENCE = [{"url": "https://portfolio.example.org/camille", "name": "Photos"}]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("ob3-live")) as running:
        yield running


@pytest.fixture(scope="module")
def badge_classes(server: LiveServer) -> dict[str, str]:
    """One badge class per issuer identifier style, plus a 1EdTech-revocation issuer."""
    found = {}
    for style in STYLES:
        issuer = create_issuer(server, identifier_style=style)
        found[style] = create_badge_class(server, issuer["id"], expires_after_days=730)["id"]
    issuer = create_issuer(server, ob3_status="1edtech")
    found["1edtech"] = create_badge_class(server, issuer["id"])["id"]
    return found


def check_di(credential: dict[str, Any]) -> Verdict:
    return verify_credential(credential, verifier_documents(credential))


def check_jwt(token: str) -> Verdict:
    documents = verifier_documents(jwt_part(token, 1), kids=(jwt_part(token, 0)["kid"],))
    return verify_jwt(token, documents)


def jwt_credential(token: str) -> dict[str, Any]:
    payload = jwt_part(token, 1)
    return {key: value for key, value in payload.items() if key not in JWT_CLAIMS}


def forge_jwt(token: str, **changes: Any) -> str:
    """``token`` with its payload changed and the original signature kept."""
    header, _, signature = token.split(".")
    payload = {**jwt_part(token, 1), **changes}
    encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return f"{header}.{encoded}.{signature}"


@pytest.mark.parametrize("style", STYLES)
def test_credential_and_jwt_verify_and_tampering_fails(
    server: LiveServer, badge_classes: dict[str, str], style: str
) -> None:
    created = award(
        server, badge_classes[style], narrative="Observé en atelier.", evidence=EVIDENCE
    )
    formats = created["formats"]["ob3"]
    response = get(formats["url"], Accept="application/vc+ld+json")
    assert response.headers["content-type"].startswith("application/vc+ld+json")
    credential = response.json()
    assert credential["id"] == formats["url"]
    issuer_id = credential["issuer"]["id"]
    assert issuer_id.split(":")[0] == {"url": "http", "did:web": "did", "did:key": "did"}[style]
    (proof,) = credential["proof"]  # an array, as the OB 3.0 JSON Schema requires
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    if style != "url":
        assert proof["verificationMethod"].startswith(f"{issuer_id}#")
    assert schema_errors(credential) == []

    verdict = check_di(credential)
    assert verdict.verified, verdict.errors
    assert verdict.revoked is False

    token = get(formats["jwt_url"]).text
    assert jwt_part(token, 0)["alg"] == "RS256"
    verdict = check_jwt(token)
    assert verdict.verified, verdict.errors
    assert jwt_part(token, 1)["iss"] == issuer_id
    without_proof = {key: value for key, value in credential.items() if key != "proof"}
    assert jwt_credential(token) == without_proof
    assert schema_errors(jwt_credential(token)) == []

    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["name"] = "Autre badge"
    assert not check_di(tampered).verified
    forged = forge_jwt(token, name="Autre badge")
    assert not check_jwt(forged).verified


def test_baked_images_carry_exactly_the_served_credential(
    server: LiveServer, badge_classes: dict[str, str]
) -> None:
    di = award(server, badge_classes["url"])["formats"]["ob3"]
    jwt = award(server, badge_classes["did:web"], ob3_proof="vc-jwt")["formats"]["ob3"]
    assert (di["proof"], jwt["proof"]) == ("data-integrity", "vc-jwt")
    served = get(di["url"]).text
    token = get(jwt["jwt_url"]).text
    for urls, expected in ((di, served), (jwt, token)):
        png = get(urls["baked_png_url"])
        svg = get(urls["baked_svg_url"])
        assert png.headers["content-type"] == "image/png"
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert unbake_credential(png.content) == expected
        assert unbake_credential(svg.content) == expected
    baked = json.loads(unbake_credential(get(di["baked_png_url"]).content))
    assert check_di(baked).verified


def test_revocation_is_read_from_the_signed_status_list(
    server: LiveServer, badge_classes: dict[str, str]
) -> None:
    created = award(server, badge_classes["did:web"])
    kept = award(server, badge_classes["did:web"])
    credential = get_json(created["formats"]["ob3"]["url"])
    token = get(created["formats"]["ob3"]["jwt_url"]).text
    assert check_di(credential).revoked is False

    revoke(server, created["id"])
    status = get_json(credential["credentialStatus"]["statusListCredential"])
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    verdict = check_di(credential)
    assert not verdict.verified
    assert verdict.revoked is True
    jwt_verdict = check_jwt(token)
    assert not jwt_verdict.verified
    assert jwt_verdict.revoked is True
    other = check_di(get_json(kept["formats"]["ob3"]["url"]))
    assert other.verified, other.errors
    assert other.revoked is False


def test_1edtech_revocation_list(server: LiveServer, badge_classes: dict[str, str]) -> None:
    created = award(server, badge_classes["1edtech"])
    credential = get_json(created["formats"]["ob3"]["url"])
    status = credential["credentialStatus"]
    assert status["type"] == "1EdTechRevocationList"
    assert schema_errors(credential) == []
    verdict = check_di(credential)
    assert verdict.verified, verdict.errors
    assert verdict.revoked is False

    revoke(server, created["id"], "Erreur de saisie.")
    listed = get_json(status["id"])["revokedCredential"]
    assert {"id": credential["id"], "revoked": True, "revocationReason": "Erreur de saisie."} in (
        listed
    )
    verdict = check_di(credential)
    assert not verdict.verified
    assert verdict.revoked is True
