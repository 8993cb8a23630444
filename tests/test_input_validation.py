"""No input gives a 500: text, dates and numbers are checked at the edge, on both databases.

PostgreSQL refuses NUL in text (a 500 before this check); SQLite stored it, and characters
XML cannot carry (U+FFFE…) made every baked SVG of the award answer 422 afterwards.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from badgeforge.app import create_app
from badgeforge.fields import RequestModel
from badgeforge.settings import Settings
from tests.factories import (
    Tenant,
    create_award,
    create_badge_class,
    create_issuer,
    create_tenant,
)

ISSUER = {
    "name": "ESAT Les Ateliers",
    "url": "https://esat.example.fr",
    "email": "contact@esat.example.fr",
    "description": "Menuiserie et espaces verts.",
    "telephone": "+33243000000",
    "language": "fr",
}
ALIGNMENT = {
    "target_name": "Respecter les règles",
    "target_url": "https://rectec.example.org/c4",
    "target_description": "Applique les consignes.",
    "target_framework": "RECTEC",
    "target_code": "C4",
}
BADGE_CLASS = {
    "name": "Sécurité au travail",
    "description": "Applique les règles de sécurité.",
    "criteria": {"narrative": "Porte les EPI.", "url": "https://esat.example.fr/criteres"},
    "alignments": [ALIGNMENT],
    "tags": ["sécurité"],
    "language": "fr",
    "image": {"template": "medaillon"},
}
EVIDENCE = {
    "url": "https://portfolio.example.org/camille",
    "narrative": "Observé à l'atelier.",
    "name": "Photos",
    "description": "Trois photos du poste.",
    "genre": "Photo",
    "audience": "Employeurs",
}
AWARD = {
    "recipient_email": "camille@example.org",
    "narrative": "Trois mois d'atelier.",
    "evidence": [EVIDENCE],
}


@dataclass(frozen=True)
class World:
    tenant: Tenant
    issuer_id: str
    badge_class_id: str
    award_id: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: Callable[[World], str]
    body: Callable[[World], dict[str, Any]]


OPERATIONS = {
    "create issuer": Operation("POST", lambda w: "/api/v1/issuers", lambda w: dict(ISSUER)),
    "update issuer": Operation(
        "PATCH", lambda w: f"/api/v1/issuers/{w.issuer_id}", lambda w: dict(ISSUER)
    ),
    "create badge class": Operation(
        "POST",
        lambda w: "/api/v1/badge-classes",
        lambda w: {**BADGE_CLASS, "issuer_id": w.issuer_id},
    ),
    "update badge class": Operation(
        "PATCH", lambda w: f"/api/v1/badge-classes/{w.badge_class_id}", lambda w: BADGE_CLASS
    ),
    "award": Operation(
        "POST", lambda w: "/api/v1/awards", lambda w: {**AWARD, "badge_class_id": w.badge_class_id}
    ),
    "revoke": Operation(
        "POST",
        lambda w: f"/api/v1/awards/{w.award_id}/revoke",
        lambda w: {"reason": "Attribué par erreur."},
    ),
    "create api key": Operation(
        "POST", lambda w: "/api/v1/api-keys", lambda w: {"name": "LMS", "scopes": ["read"]}
    ),
}

TEXT_FIELDS: list[tuple[str, tuple[str | int, ...]]] = [
    *((op, (name,)) for op in ("create issuer", "update issuer") for name in ISSUER),
    *(
        (op, path)
        for op in ("create badge class", "update badge class")
        for path in [
            ("name",),
            ("description",),
            ("criteria", "narrative"),
            ("criteria", "url"),
            *(("alignments", 0, name) for name in ALIGNMENT),
            ("tags", 0),
            ("language",),
            ("image", "template"),
        ]
    ),
    ("award", ("recipient_email",)),
    ("award", ("narrative",)),
    *(("award", ("evidence", 0, name)) for name in EVIDENCE),
    ("revoke", ("reason",)),
    ("create api key", ("name",)),
]

# Characters XML 1.0 cannot carry (or asks authors to avoid), one of each kind.
REFUSED = {
    "NUL": "\x00",
    "ESC": "\x1b",
    "DEL": "\x7f",
    "C1": "\x9b",
    "lone surrogate": "\udc80",
    "U+FDD0": "\ufdd0",
    "U+FFFE": "\ufffe",
    "U+FFFF": "\uffff",
    "U+1FFFF": "\U0001ffff",
}


@pytest.fixture
def world(session: Session, settings: Settings) -> World:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    award = create_award(session, tenant, settings, badge_class.id)
    return World(tenant, str(issuer.id), str(badge_class.id), str(award.id))


def send(
    client: TestClient, world: World, operation: Operation, body: Any, **headers: str
) -> Response:
    """Send ``body`` as JSON with ASCII escapes, as a client would send a lone surrogate."""
    return client.request(
        operation.method,
        operation.path(world),
        content=json.dumps(body),
        headers={**world.tenant.headers, "Content-Type": "application/json", **headers},
    )


def with_text(body: dict[str, Any], path: tuple[str | int, ...], character: str) -> Any:
    """A deep copy of ``body`` with ``character`` inserted inside the value at ``path``."""
    copy: Any = json.loads(json.dumps(body))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    value = parent[path[-1]]
    parent[path[-1]] = value[:3] + character + value[3:]
    return copy


def assert_refused(response: Response, path: tuple[str | int, ...]) -> str:
    """A 422 problem whose ``errors`` name the field at ``path`` (or the list holding it)."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    full = ".".join(str(part) for part in ("body", *path))
    fields = [error["field"] for error in response.json()["errors"]]
    named = [field for field in fields if field != "body" and full.startswith(field)]
    assert named, fields
    return str(response.json()["detail"])


class TestRefusedCharacters:
    @pytest.mark.parametrize(
        ("operation", "path"), TEXT_FIELDS, ids=[f"{op}:{p}" for op, p in TEXT_FIELDS]
    )
    def test_nul_in_any_text_field_is_422_naming_it(
        self, client: TestClient, world: World, operation: str, path: tuple[str | int, ...]
    ) -> None:
        op = OPERATIONS[operation]
        assert_refused(send(client, world, op, with_text(op.body(world), path, "\x00")), path)

    @pytest.mark.parametrize("character", REFUSED.values(), ids=REFUSED.keys())
    @pytest.mark.parametrize(
        ("operation", "path"),
        [
            ("create issuer", ("name",)),
            ("update badge class", ("tags", 0)),
            ("award", ("evidence", 0, "narrative")),
            ("revoke", ("reason",)),
        ],
    )
    def test_characters_xml_cannot_carry_are_422(
        self,
        client: TestClient,
        world: World,
        operation: str,
        path: tuple[str | int, ...],
        character: str,
    ) -> None:
        op = OPERATIONS[operation]
        body = with_text(op.body(world), path, character)
        detail = assert_refused(send(client, world, op, body), path)
        if character != REFUSED["lone surrogate"]:  # pydantic: "not a unicode string"
            assert f"U+{ord(character):04X}" in detail

    @pytest.mark.parametrize("character", ["\t", "\n", "\r", "\x85", "é", "\ufffd", "😀"])
    def test_tab_newlines_and_other_text_are_kept(
        self, client: TestClient, world: World, character: str
    ) -> None:
        op = OPERATIONS["award"]
        body = with_text(op.body(world), ("narrative",), character)
        response = send(client, world, op, body)
        assert response.status_code == 201, response.text
        assert character in response.json()["narrative"]
        assert client.get(response.json()["baked_svg_url"]).status_code == 200

    def test_unknown_field_name_with_a_lone_surrogate_is_422(
        self, client: TestClient, world: World
    ) -> None:
        op = OPERATIONS["create issuer"]
        response = send(client, world, op, {**ISSUER, "n\udc80me": "x"})
        assert response.status_code == 422, response.text

    def test_nul_in_the_recipient_filter_is_422(self, client: TestClient, world: World) -> None:
        response = client.get(
            "/api/v1/awards",
            params={"recipient_email": "camille\x00@example.org"},
            headers=world.tenant.headers,
        )
        assert response.status_code == 422, response.text

    @pytest.mark.parametrize("key", ["a\x00b", "a\x1bb", "caf\xe9"])
    def test_idempotency_key_outside_printable_ascii_is_422(
        self, client: TestClient, world: World, key: str
    ) -> None:
        op = OPERATIONS["award"]
        response = client.post(
            op.path(world),
            json=op.body(world),
            headers={**world.tenant.headers, "Idempotency-Key": key.encode("latin-1")},
        )
        assert response.status_code == 422, response.text
        assert "Idempotency-Key" in response.text

    @pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
    def test_nul_in_an_api_key_is_401(self, client: TestClient, world: World, header: str) -> None:
        token = "bf_3f9a1c7e5b\x00d_" + "x" * 43
        value = f"Bearer {token}" if header == "Authorization" else token
        response = client.get("/api/v1/issuers", headers={header: value})
        assert response.status_code == 401, response.text


def request_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    """``model`` and every model nested in its fields."""
    found = [model]
    for field in model.model_fields.values():
        for candidate in _types(field.annotation):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                found += request_models(candidate)
    return found


def _types(annotation: Any) -> list[Any]:
    return [annotation, *(t for arg in getattr(annotation, "__args__", ()) for t in _types(arg))]


def api_routes(routes: list[Any]) -> list[APIRoute]:
    """Every APIRoute, including those of included routers (FastAPI keeps them apart)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        included = getattr(route, "original_router", None) or getattr(route, "router", None)
        if included is not None:
            found += api_routes(list(included.routes))
    return found


def test_every_request_body_derives_from_request_model(settings: Settings) -> None:
    bodies = [
        param.field_info.annotation
        for route in api_routes(list(create_app(settings).routes))
        for param in route.dependant.body_params
    ]
    models = {
        model
        for body in bodies
        if isinstance(body, type) and issubclass(body, BaseModel)
        for model in request_models(body)
    }
    assert len(models) >= 8
    for model in models:
        assert issubclass(model, RequestModel), model
