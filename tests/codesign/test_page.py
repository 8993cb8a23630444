# ruff: noqa: RUF001 - French typography: apostrophes are intended
"""The co-design page: both languages, the forms end to end (PRG), errors next to fields,
roles, the workflow, and every edit and comment recorded under the invitee's name."""

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.badge_classes import service as badge_class_service
from badgeforge.badge_classes.models import BadgeClass
from badgeforge.badge_classes.workflow import Action
from tests.codesign.conftest import INVITEE, invite, matrix, post
from tests.factories import Tenant


def history(client: TestClient, tenant: Tenant, badge_class: BadgeClass) -> list[dict[str, Any]]:
    url = f"/api/v1/badge-classes/{badge_class.id}/history"
    steps: list[dict[str, Any]] = client.get(url, headers=tenant.headers).json()
    return steps


def test_the_page_speaks_french_by_default_and_english_on_request(
    client: TestClient, tenant: Tenant, badge_class: BadgeClass
) -> None:
    invited = invite(client, tenant, badge_class)
    french = client.get(invited.path)
    assert french.status_code == 200
    assert '<html lang="fr">' in french.text
    assert "Co-construire le badge « Travailler en équipe »" in french.text
    assert "Brouillon" in french.text
    assert "Pour qui est ce badge ?" in french.text
    assert "Écrivez à la première personne" in french.text
    assert "Que faut-il montrer pour l’obtenir ?" in french.text
    assert "Quels documents peuvent le prouver ?" in french.text
    assert "Qui peut le recommander ?" in french.text
    assert f'href="{invited.path}?lang=en"' in french.text
    for headers in ({"Accept-Language": "en-GB,en;q=0.9"}, {}):
        url = invited.path if headers else f"{invited.path}?lang=en"
        english = client.get(url, headers=headers)
        assert '<html lang="en">' in english.text
        assert "Co-design the badge “Travailler en équipe”" in english.text
        assert "Who is this badge for?" in english.text
        assert "Draft" in english.text
    assert french.headers["cache-control"] == "no-store"
    assert french.headers["referrer-policy"] == "no-referrer"
    assert "form-action 'self'" in french.headers["content-security-policy"]


def test_an_editor_saves_the_matrix_and_the_history_names_them(
    client: TestClient, session: Session, tenant: Tenant, badge_class: BadgeClass
) -> None:
    invited = invite(client, tenant, badge_class)
    sent = matrix(
        audience="Toute personne qui travaille dans une équipe d'atelier.",
        evidence_expectations="Une attestation de mon moniteur.",
        endorsement_expectations="Mon moniteur, un collègue.",
    )
    saved = post(client, invited, **sent)
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{invited.path}?lang=fr&done=saved#status"
    assert saved.headers["cache-control"] == "no-store"
    page = client.get(saved.headers["location"])
    assert "La fiche est enregistrée." in page.text
    assert "Toute personne qui travaille dans une équipe d&#39;atelier." in page.text
    edit = history(client, tenant, badge_class)[-1]
    assert edit["action"] == "edit"
    assert edit["author"] == {"kind": "invitation", "id": invited.body["id"], "name": INVITEE}
    changes = edit["changes"]
    assert isinstance(changes, dict)
    assert set(changes) == {"audience", "evidence_expectations", "endorsement_expectations"}
    assert f"{INVITEE} a modifié : Pour qui ?" in page.text
    again = post(client, invited, **sent)
    assert again.headers["location"].endswith("done=unchanged#status")
    assert len(history(client, tenant, badge_class)) == 2


def test_mistakes_are_shown_next_to_each_field_and_summarised(
    client: TestClient, tenant: Tenant, badge_class: BadgeClass
) -> None:
    invited = invite(client, tenant, badge_class)
    refused = post(client, invited, **matrix(name="", description="x" * 20_001, audience="Tous"))
    assert refused.status_code == 422
    html = refused.text
    assert 'class="error-summary" role="alert"' in html
    assert '<a href="#f-name">Nom du badge\u00a0: Remplissez ce champ.</a>' in html
    assert "20000 caractères au plus" in html
    assert re.search(r'<input id="f-name"[^>]*aria-describedby="f-name-hint f-name-error"', html)
    assert re.search(r'<input id="f-name"[^>]*aria-invalid="true"', html)
    assert re.search(r'<textarea id="f-description"[^>]*aria-invalid="true"', html)
    assert '<p id="f-name-error" class="field-error">' in html
    assert ">Tous</textarea>" in html  # what they typed is kept
    assert len(history(client, tenant, badge_class)) == 1
    english = post(client, invited, lang="en", **matrix(name=""))
    assert "Name of the badge: Fill in this field." in english.text


def test_comments_on_a_field_appear_in_its_thread_and_the_history(
    client: TestClient, tenant: Tenant, badge_class: BadgeClass
) -> None:
    invited = invite(client, tenant, badge_class, role="commenter", name="Marc, tuteur")
    body = "Et les stagiaires ? Ils sont aussi concernés."
    added = post(client, invited, action="comment", field="audience", body=body)
    assert added.status_code == 303
    assert added.headers["location"].endswith("done=commented#comments-audience")
    page = client.get(added.headers["location"])
    thread = page.text.split('id="comments-audience"')[1].split("</section>")[0]
    assert body in thread
    assert "Marc, tuteur" in thread
    step = history(client, tenant, badge_class)[-1]
    assert step["action"] == "comment"
    assert step["author"]["name"] == "Marc, tuteur"
    assert "Marc, tuteur a commenté « Pour qui ? »" in page.text
    listed = client.get(
        f"/api/v1/badge-classes/{badge_class.id}/comments?field=audience", headers=tenant.headers
    ).json()
    assert [(c["body"], c["author"]["kind"]) for c in listed["items"]] == [(body, "invitation")]
    empty = post(client, invited, action="comment", field="criteria", body="  ")
    assert empty.status_code == 422
    assert '<a href="#c-criteria">Pour l’obtenir\u00a0: Remplissez ce champ.</a>' in empty.text
    too_long = post(client, invited, action="comment", field="general", body="x" * 2001)
    assert too_long.status_code == 422
    assert "2000 caractères au plus" in too_long.text
    unknown = post(client, invited, action="comment", field="salary", body="Non")
    assert unknown.status_code == 400


def test_a_commenter_can_neither_edit_nor_submit(
    client: TestClient, session: Session, tenant: Tenant, badge_class: BadgeClass
) -> None:
    invited = invite(client, tenant, badge_class, role="commenter")
    page = client.get(invited.path)
    assert 'name="action" value="save"' not in page.text
    assert 'name="action" value="submit"' not in page.text
    assert 'name="action" value="comment"' in page.text
    edit = post(client, invited, **matrix(name="Autre nom"))
    assert edit.status_code == 403
    assert "seulement de lire et de commenter" in edit.text
    submit = post(client, invited, action="submit")
    assert submit.status_code == 403
    session.refresh(badge_class)
    assert (badge_class.name, badge_class.state) == ("Travailler en équipe", "draft")


def test_an_editor_submits_for_review_then_cannot_edit_and_no_token_publishes(
    client: TestClient, session: Session, tenant: Tenant, badge_class: BadgeClass
) -> None:
    invited = invite(client, tenant, badge_class)
    for action in ("publish", "archive", "return"):
        assert post(client, invited, action=action).status_code == 400
    submitted = post(client, invited, action="submit")
    assert submitted.status_code == 303
    session.refresh(badge_class)
    assert (badge_class.state, badge_class.published_number) == ("in_review", None)
    page = client.get(submitted.headers["location"])
    assert "En relecture" in page.text
    assert "elle ne peut pas être modifiée pour l’instant" in page.text
    assert 'name="action" value="save"' not in page.text
    refused = post(client, invited, **matrix(name="Pendant la relecture"))
    assert refused.status_code == 409
    assert "La fiche ne peut pas être modifiée maintenant : elle est en relecture." in refused.text
    assert post(client, invited, action="submit").status_code == 409
    still = post(client, invited, action="comment", field="general", body="Bien.")
    assert still.status_code == 303
    session.refresh(badge_class)
    assert (badge_class.name, badge_class.state) == ("Travailler en équipe", "in_review")
    assert [s["action"] for s in history(client, tenant, badge_class)] == [
        "create",
        "submit",
        "comment",
    ]


def test_editing_a_published_badge_starts_a_new_draft_version(
    client: TestClient, session: Session, tenant: Tenant, badge_class: BadgeClass
) -> None:
    badge_class_service.transition(
        session, tenant.principal, badge_class.id, Action.PUBLISH, base_url="http://testserver"
    )
    invited = invite(client, tenant, badge_class)
    assert "Publié" in client.get(invited.path).text
    saved = post(client, invited, **matrix(audience="Les apprentis."))
    assert saved.status_code == 303
    session.refresh(badge_class)
    assert (badge_class.state, badge_class.latest_number, badge_class.published_number) == (
        "draft",
        2,
        1,
    )


def test_a_stale_form_is_not_saved_over_someone_elses_edit(
    client: TestClient, tenant: Tenant, badge_class: BadgeClass
) -> None:
    lea = invite(client, tenant, badge_class)
    marc = invite(client, tenant, badge_class, name="Marc, tuteur")
    seen = re.search(r'name="concurrency" value="(\d+)"', client.get(marc.path).text)
    assert seen is not None
    assert post(client, lea, **matrix(audience="Léa écrit ceci.")).status_code == 303
    stale = post(client, marc, concurrency=seen.group(1), **matrix(audience="Marc écrit cela."))
    assert stale.status_code == 409
    assert "Quelqu’un a modifié la fiche pendant que vous écriviez" in stale.text
    assert ">Marc écrit cela.</textarea>" in stale.text
    edits = [s for s in history(client, tenant, badge_class) if s["action"] == "edit"]
    assert [e["author"]["name"] for e in edits] == [INVITEE]


def test_staff_comment_through_the_api_and_list_by_field_in_pages(
    client: TestClient, tenant: Tenant, badge_class: BadgeClass
) -> None:
    url = f"/api/v1/badge-classes/{badge_class.id}/comments"
    for n in range(3):
        made = client.post(
            url, json={"field": "criteria", "body": f"Critère {n}"}, headers=tenant.headers
        )
        assert made.status_code == 201, made.text
    client.post(url, json={"body": "Bravo"}, headers=tenant.headers)
    first = client.get(f"{url}?field=criteria&limit=2", headers=tenant.headers).json()
    second = client.get(
        f"{url}?field=criteria&limit=2&cursor={first['next']}", headers=tenant.headers
    ).json()
    bodies = [c["body"] for c in first["items"] + second["items"]]
    assert bodies == ["Critère 0", "Critère 1", "Critère 2"]
    assert second["next"] is None
    assert first["items"][0]["author"]["kind"] == "api_key"
    assert client.get(url, headers=tenant.headers).json()["total"] == 4
    long = client.post(url, json={"body": "x" * 2001}, headers=tenant.headers)
    assert long.status_code == 422
    invited = invite(client, tenant, badge_class)
    assert "L’équipe (test key)" in client.get(invited.path).text
