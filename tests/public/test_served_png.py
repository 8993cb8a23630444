"""An uploaded PNG is served with its pixels but only a container we vouch for (issue 5 §2)."""

import base64
import json
import re
import struct
import zlib
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.core.baking import unbake
from badgeforge.settings import Settings
from tests.factories import Tenant, create_award, create_badge_class, create_issuer, create_tenant
from tests.images import png_bytes

FORGED = b'{"@context": "https://w3id.org/openbadges/v2", "id": "https://forger.example/a/1"}'
TRAILER = b"<html><script>alert(document.domain)</script></html>PK\x03\x04"


def chunk(chunk_type: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(chunk_type + data)
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", crc)


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Independent reader: (type, data) of every chunk; nothing may follow IEND."""
    found, position = [], 8
    while True:
        (length,) = struct.unpack_from(">I", png, position)
        kind = png[position + 4 : position + 8]
        found.append((kind, png[position + 8 : position + 8 + length]))
        position += 12 + length
        if kind == b"IEND":
            assert png[position:] == b"", "bytes after IEND"
            return found


def hostile_png() -> tuple[bytes, bytes]:
    """A real PNG dressed with foreign Open Badges chunks and a trailer; and the clean PNG."""
    clean = png_bytes(96, 96, "#2a7f62")
    gama = chunk(b"gAMA", struct.pack(">I", 45455))
    idat = clean.index(b"IDAT") - 4
    clean = clean[:idat] + gama + clean[idat:]
    foreign = [
        chunk(b"tEXt", b"openbadges\x00" + FORGED),
        chunk(b"iTXt", b"OpenBadges\x00\x00\x00\x00\x00" + FORGED),
        chunk(b"zTXt", b"openbadgecredential\x00\x00" + zlib.compress(FORGED)),
        chunk(b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00" + FORGED),
    ]
    iend = clean.rindex(b"IEND") - 4
    hostile = clean[:idat] + foreign[0] + clean[idat:iend] + b"".join(foreign[1:]) + clean[iend:]
    return hostile + TRAILER, clean


def badge_chunks(png: bytes) -> list[bytes]:
    return [
        data
        for kind, data in chunks(png)
        if kind in (b"tEXt", b"zTXt", b"iTXt") and data.lower().startswith(b"openbadge")
    ]


def idat(png: bytes) -> list[bytes]:
    return [data for kind, data in chunks(png) if kind == b"IDAT"]


def path(url: str) -> str:
    return urlsplit(url).path


def upload(client: TestClient, tenant: Tenant, url: str, data: bytes) -> None:
    files = {"file": ("badge.png", data, "image/png")}
    response = client.put(url, files=files, headers=tenant.headers)
    assert response.status_code == 200, response.text


class TestUploadedPngIsRebuilt:
    @pytest.fixture
    def awarded(
        self, client: TestClient, session: Session, settings: Settings
    ) -> tuple[TestClient, str, str, bytes]:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
        hostile, clean = hostile_png()
        upload(client, tenant, f"/api/v1/badge-classes/{badge_class.id}/image", hostile)
        publish = client.post(
            f"/api/v1/badge-classes/{badge_class.id}/publish", headers=tenant.headers
        )
        assert publish.status_code == 200, publish.text
        award = create_award(session, tenant, settings, badge_class.id)
        return client, str(badge_class.id), str(award.id), clean

    def test_the_stored_image_is_the_clean_container(
        self, awarded: tuple[TestClient, str, str, bytes]
    ) -> None:
        client, badge_class_id, _, clean = awarded
        served = client.get(f"/ob2/badge-classes/{badge_class_id}/image.png").content
        assert served == clean
        assert b"forger.example" not in served
        assert not served.endswith(TRAILER)

    def test_the_svg_form_embeds_the_clean_png(
        self, awarded: tuple[TestClient, str, str, bytes]
    ) -> None:
        client, badge_class_id, _, clean = awarded
        svg = client.get(f"/ob2/badge-classes/{badge_class_id}/image.svg").text
        match = re.search(r'href="data:image/png;base64,([^"]+)"', svg)
        assert match is not None
        assert base64.b64decode(match.group(1)) == clean

    def test_the_baked_png_carries_our_assertion_only(
        self, awarded: tuple[TestClient, str, str, bytes]
    ) -> None:
        client, _, award_id, clean = awarded
        response = client.get(f"/ob2/assertions/{award_id}/baked.png")
        assert response.status_code == 200
        baked = response.content
        [ours] = badge_chunks(baked)
        assert ours.startswith(b"openbadges\x00")
        assert json.loads(unbake(baked))["id"].endswith(f"/ob2/assertions/{award_id}")
        assert b"forger.example" not in baked
        assert idat(baked) == idat(clean)  # pixels never re-encoded
        assert [kind for kind, _ in chunks(baked)][:2] == [b"IHDR", b"gAMA"]


class TestIssuerLogo:
    def test_an_uploaded_logo_is_rebuilt_too(self, client: TestClient, session: Session) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        hostile, clean = hostile_png()
        upload(client, tenant, f"/api/v1/issuers/{issuer.id}/image", hostile)
        assert client.get(f"/ob2/issuers/{issuer.id}/image").content == clean
