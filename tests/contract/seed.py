"""Real data for the contract run, made through the API of the live server before it starts.

Some operations take identifiers that no response names as a field, so no OpenAPI link can
carry them (an image blob's digest, a badge class version, a status list id: they only appear
inside URLs), and some need a state that random calls rarely reach (a rotated key to retire, a
credential with a valid proof to verify). This module makes that state the way a client would
(issuer, badge class, awards, a key rotation, a VC-API issuance) and returns, per operation,
realistic parameter values that the hooks (``tests/contract/hooks.py``) mix into what
Schemathesis generates. Links still drive the stateful phase.
"""

import re
from typing import Any
from urllib.parse import urlparse

import httpx

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "credentialSubject": {"id": "did:example:learner", "name": "Camille"},
    "validFrom": "2026-06-01T09:30:00Z",
}
"""An unsigned VC 2.0 credential, as in the ``/credentials/issue`` example."""


def _created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code in (200, 201, 202), response.text
    body: dict[str, Any] = response.json()
    return body


def _segments(url: str, pattern: str) -> tuple[str, ...]:
    match = re.fullmatch(pattern, urlparse(url).path)
    assert match is not None, (url, pattern)
    return match.groups()


def seed(client: httpx.Client) -> dict[str, Any]:
    """Make the data; return ``{"path": {operation: params}, "body": {operation: fields}}``."""
    issuer = _created(
        client.post(
            "/api/v1/issuers",
            json={
                "name": "ESAT Contrat",
                "url": "https://contrat.example.org",
                "email": "badges@contrat.example.org",
            },
        )
    )
    badge_class = _created(
        client.post(
            "/api/v1/badge-classes",
            json={
                "issuer_id": issuer["id"],
                "name": "Sécurité au poste",
                "description": "Applique les consignes de sécurité.",
                "criteria": {"narrative": "Porte les équipements de protection."},
                "translations": {
                    "en": {"name": "Safety at work", "description": "Follows safety rules."}
                },
                "publish": True,
            },
        )
    )
    # Badge classes where each workflow action is possible (the run's own are published or
    # drafts at random): one draft to submit, one to publish, one in review to send back.
    designs = {
        action: _created(
            client.post(
                "/api/v1/badge-classes",
                json={
                    "issuer_id": issuer["id"],
                    "name": f"Conception ({action})",
                    "description": "Un badge en cours de conception.",
                    "criteria": {"narrative": "À définir avec les travailleurs."},
                },
            )
        )
        for action in ("submit", "publish", "return")
    }
    _created(client.post(f"/api/v1/badge-classes/{designs['return']['id']}/submit"))
    award, revocable = (
        _created(
            client.post(
                "/api/v1/awards",
                json={"badge_class_id": badge_class["id"], "recipient_email": email},
            )
        )
        for email in ("camille@example.org", "dominique@example.org")
    )
    assertion = _created(client.get(f"/ob2/assertions/{award['id']}"))
    credential = _created(client.get(f"/ob3/credentials/{award['id']}"))
    _, version = _segments(assertion["badge"], r"/ob2/badge-classes/([^/]+)/versions/([^/]+)")
    digest, extension = _segments(credential["image"]["id"], r"/ob2/images/([0-9a-f]{64})\.(\w+)")
    (list_id,) = _segments(
        credential["credentialStatus"]["statusListCredential"], r"/ob3/status-lists/([^/]+)"
    )
    keys = _created(client.get(f"/api/v1/issuers/{issuer['id']}/keys"))["items"]
    rsa = next(key for key in keys if key["algorithm"] == "RSA")
    rotated = next(key for key in keys if key["algorithm"] == "Ed25519")
    ed25519 = _created(
        client.post(f"/api/v1/issuers/{issuer['id']}/keys/rotate", json={"algorithm": "Ed25519"})
    )
    signed = _created(
        client.post(
            "/credentials/issue",
            json={"credential": CREDENTIAL, "options": {"issuerId": issuer["id"]}},
        )
    )["verifiableCredential"]
    assert client.post("/credentials/verify", json={"verifiableCredential": signed}).is_success
    endpoint = _created(
        client.post(
            "/api/v1/webhook-endpoints",
            json={
                "url": "https://hooks.contrat.example.org/badges",
                "event_types": ["award.issued"],
            },
        )
    )
    delivery = _created(client.post(f"/api/v1/webhook-endpoints/{endpoint['id']}/test"))
    batch = _created(
        client.post(
            "/api/v1/award-batches",
            json={
                "badge_class_id": badge_class["id"],
                "rows": [{"recipient_email": "eden@example.org"}],
            },
        )
    )
    invitation = _created(
        client.post(f"/api/v1/badge-classes/{badge_class['id']}/invitations", json={"name": "Léa"})
    )

    awarded = {"award_id": award["id"]}
    path = {
        "GET /api/v1/awards/{award_id}": awarded,
        "GET /ob2/assertions/{award_id}": awarded,
        "GET /ob2/assertions/{award_id}/baked.{extension}": awarded,
        "GET /ob2/assertions/{award_id}/signed": awarded,
        "GET /ob2/assertions/{award_id}/signed/baked.{extension}": awarded,
        "GET /ob3/credentials/{award_id}": awarded,
        "GET /ob3/credentials/{award_id}/baked.{extension}": awarded,
        "GET /ob3/credentials/{award_id}/jwt": awarded,
        "POST /api/v1/awards/{award_id}/revoke": {"award_id": revocable["id"]},
        "GET /ob2/badge-classes/{badge_class_id}/versions/{version}": {
            "badge_class_id": badge_class["id"],
            "version": version,
        },
        "GET /ob2/badge-classes/{badge_class_id}/versions/{version}/{language}": {
            "badge_class_id": badge_class["id"],
            "version": version,
            "language": "en",
        },
        "GET /ob2/images/{digest}.{extension}": {"digest": digest, "extension": extension},
        "GET /ob3/status-lists/{list_id}": {"list_id": list_id},
        "GET /ob2/keys/{key_id}": {"key_id": rsa["id"]},
        "GET /ob3/keys/{key_id}": {"key_id": ed25519["id"]},
        "POST /api/v1/keys/{key_id}/retire": {"key_id": rotated["id"]},
        "POST /api/v1/issuers/{issuer_id}/keys/rotate": {"issuer_id": issuer["id"]},
        **{
            f"{method} /api/v1/webhook-endpoints/{{endpoint_id}}{path}": {
                "endpoint_id": endpoint["id"]
            }
            for method, path in (
                ("GET", ""),
                ("PATCH", ""),
                ("GET", "/deliveries"),
                ("POST", "/test"),
                ("POST", "/rotate-secret"),
            )
        },
        "POST /api/v1/webhook-deliveries/{delivery_id}/redeliver": {"delivery_id": delivery["id"]},
        **{
            f"POST /api/v1/badge-classes/{{badge_class_id}}/{action}": {
                "badge_class_id": design["id"]
            }
            for action, design in designs.items()
        },
        "GET /api/v1/award-batches/{batch_id}": {"batch_id": batch["id"]},
        "POST /api/v1/award-batches/{batch_id}/cancel": {"batch_id": batch["id"]},
        **{
            f"{method} /api/v1/badge-classes/{{badge_class_id}}/{path}": {
                "badge_class_id": badge_class["id"]
            }
            for method, path in (
                ("POST", "invitations"),
                ("GET", "invitations"),
                ("GET", "comments"),
                ("POST", "comments"),
            )
        },
        "GET /api/v1/badge-class-templates/{key}": {"key": "rectec-c3"},
        "POST /api/v1/badge-class-templates/{key}/import": {"key": "rectec-c3"},
        "DELETE /api/v1/badge-classes/{badge_class_id}/invitations/{invitation_id}": {
            "badge_class_id": badge_class["id"],
            "invitation_id": invitation["id"],
        },
    }
    body = {
        "POST /api/v1/badge-classes": {"publish": True, "image": {"title": "Badge"}},
        "POST /api/v1/awards": {"badge_class_id": badge_class["id"]},
        "POST /api/v1/badge-class-templates/{key}/import": {"issuer_id": issuer["id"]},
        "POST /api/v1/award-batches": {"badge_class_id": badge_class["id"]},
        "POST /credentials/issue": {"credential": CREDENTIAL, "issuerId": issuer["id"]},
        "POST /credentials/verify": {"verifiableCredential": signed},
    }
    return {"path": path, "body": body}
