"""End-to-end helpers for issuance tests: set up and award over HTTP, fetch what verifiers fetch.

Everything goes through a live server's public URLs, so the hosting of each document is
tested along with its content. ``verifier_documents`` gathers, by following references
like a verifier would, every document the JavaScript oracle needs to check a credential:
key documents, controller and DID documents, status list credentials and revocation lists.
"""

import base64
import json
import re
from typing import Any

import httpx

from tests.live_server import LiveServer, api

RECIPIENT = "camille.martin@example.org"
Document = dict[str, Any]


def create_issuer(server: LiveServer, **options: Any) -> Document:
    body = {
        "name": "ESAT Les Ateliers du Val",
        "url": "https://ateliers-du-val.example.fr",
        "email": "badges@ateliers-du-val.example.fr",
        **options,
    }
    with api(server) as client:
        response = client.post("/api/v1/issuers", json=body)
    assert response.status_code == 201, response.text
    issuer: Document = response.json()
    return issuer


def create_badge_class(server: LiveServer, issuer_id: str, **options: Any) -> Document:
    body = {
        "issuer_id": issuer_id,
        "name": "Sécurité et hygiène au travail",
        "description": "Applique les règles de sécurité et d'hygiène de l'atelier.",
        "criteria": {"narrative": "- Porte les EPI\n- Range son poste"},
        "publish": True,
        "alignments": [
            {
                "target_name": "Respecter les règles",
                "target_url": "https://competences.example.org/rectec/c4",
                "target_framework": "RECTEC",
                "target_code": "C4",
            }
        ],
        "tags": ["sécurité"],
        **options,
    }
    with api(server) as client:
        response = client.post("/api/v1/badge-classes", json=body)
    assert response.status_code == 201, response.text
    badge_class: Document = response.json()
    return badge_class


def award(server: LiveServer, badge_class_id: str, **options: Any) -> Document:
    body = {"badge_class_id": badge_class_id, "recipient_email": RECIPIENT, **options}
    with api(server) as client:
        response = client.post("/api/v1/awards", json=body)
    assert response.status_code == 201, response.text
    created: Document = response.json()
    return created


def revoke(server: LiveServer, award_id: str, reason: str = "Attribué par erreur.") -> None:
    with api(server) as client:
        response = client.post(f"/api/v1/awards/{award_id}/revoke", json={"reason": reason})
    assert response.status_code == 200, response.text


def get(url: str, *, status: int = 200, **headers: str) -> httpx.Response:
    response = httpx.get(url, headers=headers, timeout=30)
    assert response.status_code == status, f"{url}: {response.status_code} {response.text}"
    return response


def get_json(url: str) -> Document:
    document: Document = get(url).json()
    return document


def jwt_part(token: str, index: int) -> Document:
    """The decoded header (0) or payload (1) of a compact JWS, read here without a library."""
    part = token.split(".")[index]
    decoded: Document = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def did_web_url(did: str) -> str:
    """Where did:web resolution fetches ``did`` (http: the live server has no TLS)."""
    host, *path = did.removeprefix("did:web:").split(":")
    host = host.replace("%3A", ":").replace("%3a", ":")
    return (
        f"http://{host}/{'/'.join(path)}/did.json"
        if path
        else f"http://{host}/.well-known/did.json"
    )


def resolve(reference: str) -> Document:
    """The document a key reference names: an https key document, or a did:web fragment
    dereferenced in the DID document fetched from where did:web resolution looks."""
    if not reference.startswith("did:web:"):
        return get_json(reference)
    did = reference.partition("#")[0]
    document = get_json(did_web_url(did))
    assert document["id"] == did
    (method,) = [item for item in document["verificationMethod"] if item["id"] == reference]
    assert method["controller"] == did
    assert reference in document["assertionMethod"]
    return method  # type: ignore[no-any-return]


def _references(document: Any) -> list[str]:
    """The key, controller, issuer and status URLs a verifier follows from ``document``."""
    if not isinstance(document, dict):
        return []
    found: list[str] = []
    proof = document.get("proof")
    for item in proof if isinstance(proof, list) else [proof]:
        if isinstance(item, dict) and isinstance(item.get("verificationMethod"), str):
            found.append(item["verificationMethod"])
    issuer = document.get("issuer")
    found.append(str(issuer.get("id")) if isinstance(issuer, dict) else str(issuer))
    if isinstance(document.get("controller"), str):
        found.append(document["controller"])
    status = document.get("credentialStatus")
    for entry in status if isinstance(status, list) else [status]:
        if isinstance(entry, dict):
            found.append(str(entry.get("statusListCredential") or entry.get("id")))
    return [reference for reference in found if reference.startswith(("http", "did:"))]


def verifier_documents(*starts: Any, kids: tuple[str, ...] = ()) -> Document:
    """Every document reachable from ``starts`` (documents) and ``kids`` (key ids),
    fetched from where it is published. did:key needs none (the oracle resolves it);
    a document that is not served (404, say a retired key) is left out, so the
    verifier fails on it as it would in the field."""
    documents: Document = {}
    pending = [reference for start in starts for reference in _references(start)] + list(kids)
    while pending:
        reference = pending.pop()
        url = reference.split("#")[0] if reference.startswith("did:") else reference
        if url in documents or url.startswith("did:key:"):
            continue
        fetch = did_web_url(url) if url.startswith("did:web:") else url
        response = httpx.get(fetch, timeout=30)
        if response.status_code != 200:
            continue
        document = response.json()
        documents[url] = document
        pending.extend(_references(document))
    return documents


def signed_payload(jws: str) -> Document:
    """The assertion a compact JWS carries (not verified: for comparisons)."""
    return jwt_part(jws, 1)


def same_path(url: str, base_url: str) -> str:
    """``url`` moved to another server's base URL (same path)."""
    return re.sub(r"^https?://[^/]+", base_url, url)
