"""The design workflow: draft → in review → published → archived, versions, levels."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from badgeforge.core.ob3_schema import schema_errors
from badgeforge.webhooks.models import WebhookEvent
from tests.factories import Tenant, create_issuer, create_tenant

MATRIX: dict[str, Any] = {
    "name": "Travailler en équipe",
    "description": "Avec ce badge, je montre que je sais travailler avec mes collègues.",
    "audience": "Toute personne qui travaille dans une équipe d'atelier.",
    "criteria": {"narrative": "- J'aide un collègue\n- Je partage une tâche"},
    "evidence_expectations": "Une attestation de mon moniteur.",
    "endorsement_expectations": "Mon moniteur, un collègue.",
    "achievement_type": "Competency",
    "human_code": "C3",
    "field_of_study": "Compétences transversales",
    "levels": [
        {"name": "Cercle 1 : j'identifie"},
        {"name": "Cercle 2 : j'applique"},
        {"name": "Cercle 3 : j'adapte"},
        {"name": "Cercle 4 : je planifie et j'organise pour une équipe"},
    ],
    "translations": {
        "en": {"name": "Working in a team", "description": "I work with my colleagues."},
        "fr-x-falc": {"name": "Travailler en équipe", "description": "J'aide mes collègues."},
    },
}


@pytest.fixture
def tenant(session: Session) -> Tenant:
    return create_tenant(session)


@pytest.fixture
def draft(client: TestClient, session: Session, tenant: Tenant) -> dict[str, Any]:
    issuer = create_issuer(session, tenant)
    body = {"issuer_id": str(issuer.id), **MATRIX}
    response = client.post("/api/v1/badge-classes", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def act(client: TestClient, tenant: Tenant, badge_class: dict[str, Any], action: str) -> Any:
    url = f"/api/v1/badge-classes/{badge_class['id']}/{action}"
    return client.post(url, headers=tenant.headers)


def award(client: TestClient, tenant: Tenant, badge_class: dict[str, Any], **extra: Any) -> Any:
    body = {"badge_class_id": badge_class["id"], "recipient_email": "lea@example.org", **extra}
    return client.post("/api/v1/awards", json=body, headers=tenant.headers)


def test_a_new_badge_class_is_a_draft_that_cannot_be_awarded(
    client: TestClient, tenant: Tenant, draft: dict[str, Any]
) -> None:
    assert (draft["state"], draft["version_number"], draft["published_version"]) == (
        "draft",
        1,
        None,
    )
    refused = award(client, tenant, draft)
    assert refused.status_code == 409
    assert "not published" in refused.json()["detail"]
    assert client.get(draft["public_url"]).status_code == 404


def test_a_draft_image_is_seen_by_its_designers_only_until_published(
    client: TestClient, tenant: Tenant, draft: dict[str, Any]
) -> None:
    public = f"/ob2/badge-classes/{draft['id']}/image.svg"
    assert client.get(public).status_code == 404  # nobody else sees a draft
    preview = client.get(draft["image_svg_url"], headers=tenant.headers)
    assert preview.status_code == 200
    assert "<svg" in preview.text
    assert client.get(draft["image_svg_url"]).status_code == 401  # the preview is private
    act(client, tenant, draft, "publish")
    published = client.get(public)
    assert published.status_code == 200
    assert published.content == preview.content


def test_review_then_publish_then_archive_and_restore(
    client: TestClient, tenant: Tenant, draft: dict[str, Any]
) -> None:
    url = f"/api/v1/badge-classes/{draft['id']}"
    assert act(client, tenant, draft, "submit").json()["state"] == "in_review"
    locked = client.patch(url, json={"name": "Autre nom"}, headers=tenant.headers)
    assert locked.status_code == 409
    assert "in review" in locked.json()["detail"]
    assert act(client, tenant, draft, "return").json()["state"] == "draft"
    assert act(client, tenant, draft, "submit").status_code == 200
    published = act(client, tenant, draft, "publish").json()
    assert (published["state"], published["published_version"]) == ("published", 1)
    assert award(client, tenant, draft).status_code == 201
    assert act(client, tenant, draft, "archive").json()["state"] == "archived"
    archived = award(client, tenant, draft)
    assert archived.status_code == 409
    assert "archived" in archived.json()["detail"]
    assert client.patch(url, json={"name": "X"}, headers=tenant.headers).status_code == 409
    assert act(client, tenant, draft, "restore").json()["state"] == "published"
    assert award(client, tenant, draft).status_code == 201


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ((), "return"),
        ((), "archive"),
        ((), "restore"),
        (("submit",), "submit"),
        (("submit",), "archive"),
        (("publish",), "publish"),
        (("publish",), "submit"),
        (("publish",), "return"),
        (("publish",), "restore"),
        (("publish", "archive"), "archive"),
        (("publish", "archive"), "publish"),
        (("publish", "archive"), "submit"),
    ],
)
def test_every_illegal_transition_is_refused_with_a_clear_problem(
    client: TestClient,
    tenant: Tenant,
    draft: dict[str, Any],
    steps: tuple[str, ...],
    action: str,
) -> None:
    for step in steps:
        assert act(client, tenant, draft, step).status_code == 200
    before = client.get(f"/api/v1/badge-classes/{draft['id']}", headers=tenant.headers).json()
    refused = act(client, tenant, draft, action)
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert f"This badge class is {before['state']}." in refused.json()["detail"]
    after = client.get(f"/api/v1/badge-classes/{draft['id']}", headers=tenant.headers).json()
    assert after == before


def test_editing_a_published_class_makes_a_new_version_and_old_awards_keep_theirs(
    client: TestClient, tenant: Tenant, draft: dict[str, Any]
) -> None:
    url = f"/api/v1/badge-classes/{draft['id']}"
    act(client, tenant, draft, "publish")
    first = award(client, tenant, draft).json()
    first_badge = client.get(client.get(first["assertion_url"]).json()["badge"]).json()
    edited = client.patch(url, json={"name": "Coopérer"}, headers=tenant.headers).json()
    assert (edited["state"], edited["version_number"], edited["published_version"]) == (
        "draft",
        2,
        1,
    )
    while_drafting = award(client, tenant, draft).json()
    assert while_drafting["badge_class_version_id"] == first["badge_class_version_id"]
    act(client, tenant, draft, "publish")
    second = award(client, tenant, draft).json()
    assert second["badge_class_version_id"] != first["badge_class_version_id"]
    second_badge = client.get(client.get(second["assertion_url"]).json()["badge"]).json()
    assert (first_badge["name"], second_badge["name"]) == ("Travailler en équipe", "Coopérer")
    assert (first_badge["version"], second_badge["version"]) == ("1", "2")
    again = client.get(client.get(first["assertion_url"]).json()["badge"]).json()
    assert again == first_badge
    versions = client.get(f"{url}/versions", headers=tenant.headers).json()
    assert [(v["number"], v["status"], v["name"]) for v in versions] == [
        (1, "published", "Travailler en équipe"),
        (2, "published", "Coopérer"),
    ]
    hosted = client.get(versions[0]["public_url"]).json()
    assert hosted == first_badge


def test_a_draft_of_a_published_class_can_be_discarded(
    client: TestClient, tenant: Tenant, draft: dict[str, Any]
) -> None:
    url = f"/api/v1/badge-classes/{draft['id']}"
    nothing = client.delete(f"{url}/draft", headers=tenant.headers)
    assert nothing.status_code == 409
    act(client, tenant, draft, "publish")
    client.patch(url, json={"name": "Coopérer"}, headers=tenant.headers)
    back = client.delete(f"{url}/draft", headers=tenant.headers).json()
    assert (back["state"], back["version_number"], back["name"]) == (
        "published",
        1,
        "Travailler en équipe",
    )
    missing = client.get(f"{url}/versions/2", headers=tenant.headers)
    assert missing.status_code == 404


def test_a_stale_if_match_refuses_a_transition(
    client: TestClient, tenant: Tenant, draft: dict[str, Any]
) -> None:
    url = f"/api/v1/badge-classes/{draft['id']}"
    etag = client.get(url, headers=tenant.headers).headers["etag"]
    client.patch(url, json={"name": "Coopérer"}, headers=tenant.headers)
    stale = client.post(f"{url}/publish", headers={**tenant.headers, "If-Match": etag})
    assert stale.status_code == 412
    assert client.get(url, headers=tenant.headers).json()["state"] == "draft"


def test_publish_and_archive_are_webhook_events(
    client: TestClient, session: Session, tenant: Tenant, draft: dict[str, Any]
) -> None:
    act(client, tenant, draft, "publish")
    act(client, tenant, draft, "archive")
    session.expire_all()
    events = session.scalars(
        select(WebhookEvent)
        .where(WebhookEvent.organisation_id == tenant.organisation_id)
        .order_by(WebhookEvent.created_at)
    ).all()
    assert [(event.type, event.payload["version"]) for event in events] == [
        ("badge_class.published", 1),
        ("badge_class.archived", 1),
    ]


def test_the_matrix_and_the_level_reached_are_published_in_ob3(
    client: TestClient, tenant: Tenant, draft: dict[str, Any]
) -> None:
    act(client, tenant, draft, "publish")
    too_high = award(client, tenant, draft, level=5)
    assert too_high.status_code == 422
    assert "4 level(s)" in too_high.json()["detail"]
    created = award(client, tenant, draft, level=2).json()
    assert created["level"] == 2
    credential = client.get(created["formats"]["ob3"]["url"]).json()
    assert schema_errors(credential) == []
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    assert (achievement["achievementType"], achievement["humanCode"]) == ("Competency", "C3")
    assert achievement["fieldOfStudy"] == "Compétences transversales"
    rubric = achievement["resultDescription"][0]
    assert [level["name"] for level in rubric["rubricCriterionLevel"]] == [
        level["name"] for level in MATRIX["levels"]
    ]
    assert subject["result"] == [
        {
            "type": ["Result"],
            "resultDescription": rubric["id"],
            "achievedLevel": rubric["rubricCriterionLevel"][1]["id"],
        }
    ]
    narrative = achievement["criteria"]["narrative"]
    for text in (MATRIX["audience"], MATRIX["evidence_expectations"], "### Pour qui ?"):
        assert text in narrative
    assertion = client.get(created["assertion_url"]).json()
    badge = client.get(assertion["badge"]).json()
    assert MATRIX["endorsement_expectations"] in badge["criteria"]["narrative"]
    assert json.dumps(badge, ensure_ascii=False).count("Cercle") == 0


def test_the_history_says_who_did_what_and_when(
    client: TestClient, tenant: Tenant, draft: dict[str, Any]
) -> None:
    url = f"/api/v1/badge-classes/{draft['id']}"
    client.patch(url, json={"audience": "Les travailleurs de l'atelier."}, headers=tenant.headers)
    act(client, tenant, draft, "submit")
    act(client, tenant, draft, "publish")
    steps = client.get(f"{url}/history", headers=tenant.headers).json()
    assert [(step["action"], step["version_number"]) for step in steps] == [
        ("create", 1),
        ("edit", 1),
        ("submit", 1),
        ("publish", 1),
    ]
    assert steps[1]["changes"] == {
        "audience": {"before": MATRIX["audience"], "after": "Les travailleurs de l'atelier."}
    }
    assert {step["author"]["kind"] for step in steps} == {"api_key"}
    assert steps[0]["author"]["name"].startswith("test key (")


def test_an_alignment_can_name_a_framework_item(
    client: TestClient, session: Session, tenant: Tenant
) -> None:
    frameworks = client.get("/api/v1/frameworks", headers=tenant.headers).json()["items"]
    rectec = next(framework for framework in frameworks if framework["slug"] == "rectec")
    items = client.get(f"/api/v1/frameworks/{rectec['id']}/items", headers=tenant.headers)
    c3 = next(item for item in items.json()["items"] if item["code"] == "C3")
    issuer = create_issuer(session, tenant)
    body = {
        "issuer_id": str(issuer.id),
        **MATRIX,
        "alignments": [{"framework_item_id": c3["id"]}],
    }
    created = client.post("/api/v1/badge-classes", json=body, headers=tenant.headers)
    assert created.status_code == 201, created.text
    (alignment,) = created.json()["alignments"]
    assert (alignment["target_code"], alignment["target_name"]) == ("C3", c3["name"])
    assert alignment["target_framework"] == rectec["name"]
    unknown = {**body, "alignments": [{"framework_item_id": str(tenant.organisation_id)}]}
    refused = client.post("/api/v1/badge-classes", json=unknown, headers=tenant.headers)
    assert refused.status_code == 404
    assert str(tenant.organisation_id) in refused.json()["detail"]
