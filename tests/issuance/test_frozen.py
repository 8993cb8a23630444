"""What is issued is frozen: after the badge class is edited and after the public base URL
changes (a second server on the same database), an earlier award's documents, signatures
and baked images are byte for byte what they were; a later award gets the new content.

Baked images are made again from storage for the comparison (each phase starts with an
empty bake cache), so equal bytes mean the stored inputs did not change.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from badgeforge.core.baking import unbake_credential
from badgeforge.public import credentials, service
from badgeforge.public.baked import BakedCache
from tests.conftest import BACKENDS, scratch_postgres_database
from tests.images import png_bytes
from tests.issuance.flows import (
    award,
    create_badge_class,
    create_issuer,
    get,
    get_json,
    jwt_part,
    same_path,
    signed_payload,
)
from tests.live_server import LiveServer, api, live_server

FORMATS = ("ob2_hosted", "ob2_signed", "ob3")


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str]]:
    """A data directory (with the master key) and a database URL ("" = SQLite in it)."""
    data_dir = tmp_path_factory.mktemp("frozen")
    if request.param == "sqlite":
        yield data_dir, ""
        return
    with scratch_postgres_database("frozen") as url:
        yield data_dir, url


def fresh_bake_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = BakedCache()
    monkeypatch.setattr(service, "BAKED", cache)
    monkeypatch.setattr(credentials, "BAKED", cache)


def urls_of(created: dict[str, Any]) -> list[str]:
    """Every public URL of an award, and the badge class version and image it points at."""
    formats = created["formats"]
    urls = [formats["ob2_hosted"]["url"], formats["ob2_signed"]["url"]]
    urls += [formats["ob3"]["url"], formats["ob3"]["jwt_url"]]
    urls += [
        formats[kind][image] for kind in FORMATS for image in ("baked_png_url", "baked_svg_url")
    ]
    hosted = get_json(formats["ob2_hosted"]["url"])
    urls += [hosted["badge"], get_json(hosted["badge"])["image"]]
    return urls


def snapshot(urls: list[str], base_url: str) -> dict[str, bytes]:
    """The bytes each URL serves, fetched from the server at ``base_url``."""
    return {url: get(same_path(url, base_url)).content for url in urls}


def edit_badge_class(server: LiveServer, badge_class_id: str) -> None:
    with api(server) as client:
        response = client.patch(
            f"/api/v1/badge-classes/{badge_class_id}",
            json={"name": "Hygiène (nouvelle version)", "criteria": {"narrative": "Nouveau."}},
        )
        assert response.status_code == 200, response.text
        response = client.put(
            f"/api/v1/badge-classes/{badge_class_id}/image",
            files={"file": ("badge.png", png_bytes(300, 300), "image/png")},
        )
        assert response.status_code == 200, response.text
        response = client.post(f"/api/v1/badge-classes/{badge_class_id}/publish")
        assert response.status_code == 200, response.text
        assert response.json()["published_version"] == 2


def test_edits_and_a_new_base_url_leave_earlier_awards_byte_for_byte(
    database: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, database_url = database
    with live_server(data_dir, database_url) as first:
        badge_class_id = create_badge_class(first, create_issuer(first)["id"])["id"]
        earlier = [
            award(first, badge_class_id),
            award(first, badge_class_id, ob3_proof="vc-jwt"),
        ]
        urls = [url for created in earlier for url in urls_of(created)]
        fresh_bake_cache(monkeypatch)
        before = snapshot(urls, first.base_url)
        token = get(earlier[1]["formats"]["ob3"]["jwt_url"]).text
        assert unbake_credential(before[earlier[1]["formats"]["ob3"]["baked_png_url"]]) == token

        edit_badge_class(first, badge_class_id)
        fresh_bake_cache(monkeypatch)
        assert snapshot(urls, first.base_url) == before
        check_new_content(award(first, badge_class_id), first.base_url, earlier[0])

    with live_server(data_dir, database_url) as second:
        assert second.base_url != first.base_url
        fresh_bake_cache(monkeypatch)
        assert snapshot(urls, second.base_url) == before
        later = award(LiveServer(second.base_url, first.token), badge_class_id)
        check_new_content(later, second.base_url, earlier[0])


def check_new_content(created: dict[str, Any], base_url: str, earlier: dict[str, Any]) -> None:
    """A later award carries the edited badge class, under the base URL it was made with."""
    formats = created["formats"]
    for kind in FORMATS:
        assert formats[kind]["url"].startswith(f"{base_url}/")
    hosted = get_json(formats["ob2_hosted"]["url"])
    badge_class = get_json(hosted["badge"])
    earlier_hosted = get_json(same_path(earlier["formats"]["ob2_hosted"]["url"], base_url))
    earlier_badge = get_json(same_path(earlier_hosted["badge"], base_url))
    assert hosted["badge"] != earlier_badge["id"]
    assert badge_class["name"] == "Hygiène (nouvelle version)"
    assert earlier_badge["name"] == "Sécurité et hygiène au travail"
    assert badge_class["criteria"]["narrative"] == "Nouveau."
    earlier_image = get(same_path(earlier_badge["image"], base_url)).content
    assert get(badge_class["image"]).content not in (earlier_image, b"")
    signed = signed_payload(get(formats["ob2_signed"]["url"]).text)
    assert signed["badge"] == hosted["badge"]
    credential = get_json(formats["ob3"]["url"])
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == "Hygiène (nouvelle version)"
    assert achievement["criteria"]["narrative"] == "Nouveau."
    assert credential["id"].startswith(f"{base_url}/")
    token = get(formats["ob3"]["jwt_url"]).text
    assert jwt_part(token, 1)["credentialSubject"] == credential["credentialSubject"]
