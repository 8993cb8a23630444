"""Third-party conformance: the 1EdTech Open Badges 2.0 validator checks what we serve.

A real server runs on 127.0.0.1; the validator (its own virtualenv, offline contexts)
fetches the hosted assertion, badge class, issuer and images over HTTP like any verifier.
"""

import re

import pytest

from badgeforge.core.baking import bake_png, unbake
from tests.images import SAFE_SVG, png_bytes
from tests.live_server import LiveServer, api
from tests.oracles.ob2_validator import OB2Input, OB2Report, validate_many
from tests.public.conftest import RECIPIENT, award, download

pytestmark = pytest.mark.validator


def check(reports: list[OB2Report], expected: list[bool], labels: list[str]) -> None:
    for report, valid, label in zip(reports, expected, labels, strict=True):
        assert report.valid is valid, f"{label}: {report.describe()}"


def test_award_url_png_and_svg_are_valid(server: LiveServer, badge_class_id: str) -> None:
    created = award(
        server,
        badge_class_id,
        narrative="Observé pendant trois mois d'atelier.",
        evidence=[{"url": "https://portfolio.example.org/camille", "name": "Photos"}],
    )
    several = award(  # published as one Evidence listing every item (core.ob2)
        server,
        badge_class_id,
        narrative="Observé pendant trois mois d'atelier.",
        evidence=[
            {"url": "https://portfolio.example.org/camille", "name": "Photos", "genre": "Photo"},
            {"narrative": "Attestation du moniteur.", "description": "Carnet de suivi"},
        ],
    )
    reports = validate_many(
        [
            OB2Input(created["assertion_url"]),
            OB2Input(download(created["baked_png_url"])),
            OB2Input(download(created["baked_svg_url"])),
            OB2Input(created["assertion_url"], recipient_email=RECIPIENT),
            OB2Input(several["assertion_url"]),
            OB2Input(download(several["baked_png_url"])),
            OB2Input(download(several["baked_svg_url"])),
        ]
    )
    labels = ["url", "baked png", "baked svg", "recipient", "2 items url", "2 items png", "svg"]
    check(reports, [True] * 7, labels)
    assert reports[0].warning_count == 0, reports[0].describe()
    assert reports[4].warning_count == 0, reports[4].describe()


def test_wrong_recipient_tampered_and_revoked_are_invalid(
    server: LiveServer, badge_class_id: str
) -> None:
    kept = award(server, badge_class_id)
    revoked = award(server, badge_class_id)
    revoked_png = download(revoked["baked_png_url"])
    with api(server) as client:
        response = client.post(
            f"/api/v1/awards/{revoked['id']}/revoke", json={"reason": "Attribué par erreur."}
        )
        assert response.status_code == 200
    png = download(kept["baked_png_url"])
    forged_id = re.sub(r"[0-9a-f]{8}-", "00000000-", kept["id"], count=1)
    forged_json = unbake(png).replace(kept["id"], forged_id)
    forged_png = bake_png(png, forged_json)
    corrupted_png = bytearray(png)
    corrupted_png[40] ^= 0xFF
    reports = validate_many(
        [
            OB2Input(kept["assertion_url"], recipient_email="someone.else@example.org"),
            OB2Input(forged_png),
            OB2Input(bytes(corrupted_png)),
            OB2Input(revoked["assertion_url"]),
            OB2Input(revoked_png),
        ]
    )
    labels = ["wrong recipient", "forged id", "corrupted png", "revoked url", "revoked png"]
    check(reports, [False] * 5, labels)


def test_uploaded_png_design_and_issuer_logo_are_valid(server: LiveServer) -> None:
    with api(server) as client:
        issuer = client.post(
            "/api/v1/issuers",
            json={"name": "IME Les Tilleuls", "url": "https://ime.example.fr", "email": "a@ime.fr"},
        ).json()
        logo = client.put(
            f"/api/v1/issuers/{issuer['id']}/image",
            files={"file": ("logo.svg", SAFE_SVG, "image/svg+xml")},
        )
        assert logo.status_code == 200, logo.text
        badge_class = client.post(
            "/api/v1/badge-classes",
            json={
                "issuer_id": issuer["id"],
                "name": "Travailler en équipe",
                "description": "Coopère avec ses collègues.",
                "criteria": {"url": "https://ime.example.fr/criteres/equipe"},
                "publish": True,
            },
        ).json()
        upload = client.put(
            f"/api/v1/badge-classes/{badge_class['id']}/image",
            files={"file": ("badge.png", png_bytes(256, 256), "image/png")},
        )
        assert upload.status_code == 200, upload.text
    created = award(server, badge_class["id"])
    reports = validate_many(
        [
            OB2Input(created["assertion_url"]),
            OB2Input(download(created["baked_png_url"])),
            OB2Input(download(created["baked_svg_url"])),
        ]
    )
    check(reports, [True, True, True], ["url", "baked png", "baked svg"])
