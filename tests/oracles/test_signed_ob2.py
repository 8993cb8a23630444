"""Signed OB 2.0 assertions served by a live badgeforge, checked by third parties.

The 1EdTech OB 2.0 validator checks the JWS (served text and baked PNG/SVG): the key named
by ``verification.creator`` is in the issuer's ``publicKey`` and served as a
CryptographicKey; once revoked, the issuer's ``revocationList`` makes it invalid. The Open
Badge Passport oracle imports the signed badge (JWS text, baked PNG) and the hosted one.
"""

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from badgeforge.core.baking import unbake
from tests.issuance.flows import (
    RECIPIENT,
    award,
    create_badge_class,
    create_issuer,
    get,
    get_json,
    revoke,
    signed_payload,
)
from tests.live_server import LiveServer, live_server
from tests.oracles.ob2_validator import OB2Input, OB2Report, validate_many
from tests.oracles.obp_import import ImportRejected, import_badge, signed_revocation

pytestmark = pytest.mark.validator


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("signed-ob2")) as running:
        yield running


@pytest.fixture(scope="module")
def badge_class_id(server: LiveServer) -> str:
    issuer = create_issuer(server)
    identifier: str = create_badge_class(server, issuer["id"])["id"]
    return identifier


def forge(jws: str, **changes: Any) -> str:
    """``jws`` with its payload changed and the original signature kept."""
    header, _, signature = jws.split(".")
    payload = json.dumps({**signed_payload(jws), **changes}).encode()
    return f"{header}.{base64.urlsafe_b64encode(payload).rstrip(b'=').decode()}.{signature}"


def check(reports: list[OB2Report], expected: list[bool], labels: list[str]) -> None:
    for report, valid, label in zip(reports, expected, labels, strict=True):
        assert report.valid is valid, f"{label}: {report.describe()}"


def signed(created: dict[str, Any]) -> dict[str, str]:
    return created["formats"]["ob2_signed"]  # type: ignore[no-any-return]


def test_signed_assertion_is_published_with_its_key(
    server: LiveServer, badge_class_id: str
) -> None:
    created = award(server, badge_class_id)
    response = get(signed(created)["url"])
    assert response.headers["content-type"].startswith("text/plain")
    assertion = signed_payload(response.text)
    creator = assertion["verification"]["creator"]
    assert assertion["verification"]["type"] == "SignedBadge"
    issuer = get_json(get_json(assertion["badge"])["issuer"])
    assert issuer["publicKey"] == creator
    key = get_json(creator)
    assert key["type"] == "CryptographicKey"
    assert key["owner"] == issuer["id"]
    assert key["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert get_json(issuer["revocationList"])["revokedAssertions"] == []


def test_jws_and_signed_baked_images_validate_and_revoked_is_invalid(
    server: LiveServer, badge_class_id: str
) -> None:
    kept = award(server, badge_class_id)
    revoked, also_revoked = award(server, badge_class_id), award(server, badge_class_id)
    jws = get(signed(kept)["url"]).text
    png = get(signed(kept)["baked_png_url"]).content
    svg = get(signed(kept)["baked_svg_url"]).content
    assert unbake(png) == jws
    assert unbake(svg) == jws
    revoked_jws = get(signed(revoked)["url"]).text
    revoked_png = get(signed(revoked)["baked_png_url"]).content
    also_revoked_jws = get(signed(also_revoked)["url"]).text
    # Two revocations: the validator compacts a one-entry revokedAssertions to an object and
    # then iterates over its keys, so it misses a list's only entry (its bug, not ours).
    revoke(server, revoked["id"])
    revoke(server, also_revoked["id"], "Doublon.")
    get(signed(revoked)["baked_png_url"], status=410)
    assert get(signed(revoked)["url"]).text == revoked_jws  # revocation is in the list
    # the validator takes a JWS as text (a URL must answer JSON or an image): the served text
    reports = validate_many(
        [
            OB2Input(jws),
            OB2Input(png),
            OB2Input(svg),
            OB2Input(jws, recipient_email=RECIPIENT),
            OB2Input(jws, recipient_email="someone.else@example.org"),
            OB2Input(revoked_jws),
            OB2Input(also_revoked_jws),
            OB2Input(revoked_png),
        ]
    )
    labels = ["jws", "png", "svg", "recipient", "other", "revoked", "also revoked", "png"]
    check(reports, [True] * 4 + [False] * 4, labels)
    for report, reason in ((reports[5], "Attribué par erreur."), (reports[6], "Doublon.")):
        assert any(reason in error and "revoked" in error for error in report.errors), (
            report.describe()
        )


def test_open_badge_passport_imports_signed_and_hosted(
    server: LiveServer, badge_class_id: str
) -> None:
    created = award(server, badge_class_id)
    jws = get(signed(created)["url"]).text
    inputs: list[str | bytes] = [
        jws,
        get(signed(created)["baked_png_url"]).content,
        get(signed(created)["baked_svg_url"]).content,
        created["formats"]["ob2_hosted"]["url"],
        get(created["formats"]["ob2_hosted"]["baked_png_url"]).content,
    ]
    for data in inputs:
        imported = import_badge(data, verified_emails=[RECIPIENT])
        assert imported.badge_class["name"] == "Sécurité et hygiène au travail"
        assert imported.issuer["name"] == "ESAT Les Ateliers du Val"
    assert (
        import_badge(jws, verified_emails=[RECIPIENT]).assertion["id"] == signed_payload(jws)["id"]
    )
    with pytest.raises(ImportRejected, match="Userdoesnotownthisbadge"):
        import_badge(jws, verified_emails=["intrus@example.org"])
    with pytest.raises(ImportRejected, match="does not verify"):
        import_badge(forge(jws, issuedOn="2020-01-01T00:00:00Z"), verified_emails=[RECIPIENT])

    assert signed_revocation(jws) is False
    revoke(server, created["id"])
    assert signed_revocation(jws) is True
