"""The VC-API endpoints on both databases: issue any credential, verify one credential."""

import copy
import json
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from badgeforge.core.keys import KeyAlgorithm
from badgeforge.core.vc_model import DATA_INTEGRITY_CONTEXT
from badgeforge.issuance.models import IssuedAward
from badgeforge.issuers.models import Issuer
from badgeforge.security import Scope
from badgeforge.settings import Settings
from badgeforge.signing import service as signing
from badgeforge.signing.vault import vault_from_settings
from tests.factories import (
    Tenant,
    create_award,
    create_badge_class,
    create_issuer,
    create_key,
    create_tenant,
)
from tests.vcapi.keys import DidKeyIssuer, vc1, vc2

ISSUE, VERIFY = "/credentials/issue", "/credentials/verify"


@pytest.fixture
def tenant(session: Session) -> Tenant:
    return create_tenant(session)


def styled_issuer(session: Session, tenant: Tenant, style: str) -> Issuer:
    issuer = create_issuer(session, tenant)
    issuer.identifier_style = style
    session.flush()
    return issuer


def issue(client: TestClient, tenant: Tenant, credential: dict[str, Any], **options: Any) -> Any:
    body = {"credential": credential, "options": options}
    return client.post(ISSUE, json=body, headers=tenant.headers)


def verify(client: TestClient, credential: dict[str, Any] | str, **options: Any) -> Any:
    return client.post(VERIFY, json={"verifiableCredential": credential, "options": options})


class TestIssue:
    @pytest.mark.parametrize("make", [vc2, vc1], ids=["vc2", "vc1"])
    def test_did_key_issuer_signs_any_credential(
        self, client: TestClient, session: Session, tenant: Tenant, make: Any
    ) -> None:
        issuer = styled_issuer(session, tenant, "did:key")
        response = issue(client, tenant, make(issuer="did:example:placeholder"))
        assert response.status_code == 201, response.text
        signed = response.json()["verifiableCredential"]
        assert signed["issuer"].startswith("did:key:z6Mk")
        proof = signed["proof"]
        assert proof["verificationMethod"] == f"{signed['issuer']}#{signed['issuer'][8:]}"
        assert proof["type"] == "DataIntegrityProof"
        assert proof["cryptosuite"] == "eddsa-rdfc-2022"
        assert proof["proofPurpose"] == "assertionMethod"
        key = signing.published_keys(session, issuer.id, KeyAlgorithm.ED25519)[0]
        assert key.public_key_multibase is not None
        assert signed["issuer"] == f"did:key:{key.public_key_multibase}"
        expected_context = make()["@context"]
        if make is vc1:
            expected_context = [*expected_context, DATA_INTEGRITY_CONTEXT]
        assert signed["@context"] == expected_context
        assert verify(client, signed).status_code == 200

    @pytest.mark.parametrize("style", ["url", "did:web"])
    def test_hosted_identifiers_verify_from_the_database(
        self, client: TestClient, session: Session, tenant: Tenant, style: str
    ) -> None:
        issuer = styled_issuer(session, tenant, style)
        response = issue(client, tenant, vc2(issuer={"id": "https://x.example", "name": "ESAT"}))
        assert response.status_code == 201, response.text
        signed = response.json()["verifiableCredential"]
        url = f"http://testserver/ob3/issuers/{issuer.id}"
        expected = url if style == "url" else f"did:web:testserver:ob3:issuers:{issuer.id}"
        assert signed["issuer"] == {"id": expected, "name": "ESAT"}
        result = verify(client, signed)
        assert result.status_code == 200, result.text
        assert result.json() == {
            "verified": True,
            "checks": ["credential", "proof", "validity"],
            "warnings": [],
            "errors": [],
        }

    def test_undefined_term_is_refused(
        self, client: TestClient, session: Session, tenant: Tenant
    ) -> None:
        styled_issuer(session, tenant, "did:key")
        credential = vc1(credentialSubject={"id": "did:example:x", "favouriteColour": "vert"})
        response = issue(client, tenant, credential)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert "favouriteColour" in response.json()["detail"]

    def test_missing_credential_subject_is_refused(
        self, client: TestClient, session: Session, tenant: Tenant
    ) -> None:
        styled_issuer(session, tenant, "did:key")
        credential = vc2()
        del credential["credentialSubject"]
        response = issue(client, tenant, credential)
        assert response.status_code == 422
        assert "credentialSubject" in response.json()["detail"]

    @pytest.mark.parametrize(
        "credential",
        [
            vc2(type=["OpenBadgeCredential"]),
            vc2(**{"@context": ["https://w3id.org/openbadges/v2"]}),
            vc2(validFrom="demain"),
            DidKeyIssuer().sign(vc2()),
            vc2(**{"@context": ["https://www.w3.org/ns/credentials/v2", "relative"]}),
            vc2(credentialSubject={"@context": "", "name": "Camille"}),
        ],
        ids=["type", "context", "date", "already-signed", "relative-context", "empty-context"],
    )
    def test_invalid_credentials_are_refused(
        self, client: TestClient, session: Session, tenant: Tenant, credential: dict[str, Any]
    ) -> None:
        styled_issuer(session, tenant, "did:key")
        assert issue(client, tenant, credential).status_code == 422

    def test_issuer_choice(self, client: TestClient, session: Session, tenant: Tenant) -> None:
        assert issue(client, tenant, vc2()).status_code == 422  # no issuer yet
        first = styled_issuer(session, tenant, "url")
        second = styled_issuer(session, tenant, "did:web")
        response = issue(client, tenant, vc2())
        assert response.status_code == 422
        assert "options.issuerId" in response.json()["detail"]
        response = issue(client, tenant, vc2(), issuerId=str(second.id))
        assert response.json()["verifiableCredential"]["issuer"].startswith("did:web:")
        response = issue(client, tenant, vc2(), issuerId=str(first.id))
        assert response.json()["verifiableCredential"]["issuer"].startswith("http://testserver")
        other = create_tenant(session, "Autre ESAT")
        foreign = create_issuer(session, other)
        assert issue(client, tenant, vc2(), issuerId=str(foreign.id)).status_code == 404
        assert issue(client, tenant, vc2(), issuerId=str(uuid4())).status_code == 404

    def test_options_are_checked(
        self, client: TestClient, session: Session, tenant: Tenant
    ) -> None:
        styled_issuer(session, tenant, "did:key")
        assert issue(client, tenant, vc2(), type="DataIntegrityProof").status_code == 201
        assert issue(client, tenant, vc2(), cryptosuite="ecdsa-rdfc-2019").status_code == 422
        assert issue(client, tenant, vc2(), credentialStatus={}).status_code == 422

    def test_needs_the_issue_scope(
        self, client: TestClient, session: Session, tenant: Tenant
    ) -> None:
        styled_issuer(session, tenant, "did:key")
        body = {"credential": vc2()}
        assert client.post(ISSUE, json=body).status_code == 401
        reader = create_key(session, tenant, Scope.READ)
        headers = {"Authorization": f"Bearer {reader}"}
        assert client.post(ISSUE, json=body, headers=headers).status_code == 403
        issuer_key = create_key(session, tenant, Scope.ISSUE)
        headers = {"Authorization": f"Bearer {issuer_key}"}
        assert client.post(ISSUE, json=body, headers=headers).status_code == 201


class TestVerify:
    def test_credential_of_another_did_key(self, client: TestClient) -> None:
        signed = DidKeyIssuer().sign(vc2())
        response = verify(client, signed)
        assert response.status_code == 200, response.text
        assert response.json()["verified"] is True

        tampered = copy.deepcopy(signed)
        tampered["credentialSubject"]["name"] = "Dominique"
        response = verify(client, tampered)
        assert response.status_code == 422
        body = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        assert body["type"] == "/problems/verification-failed"
        assert body["verified"] is False
        assert body["checks"] == ["credential", "proof", "validity"]
        assert body["errors"][0]["type"] == "https://w3id.org/security#PROOF_VERIFICATION_ERROR"

    def test_vc1_credential_of_another_did_key(self, client: TestClient) -> None:
        credential = vc1()
        credential["@context"] = [*credential["@context"], DATA_INTEGRITY_CONTEXT]
        assert verify(client, DidKeyIssuer().sign(credential)).status_code == 200

    def test_foreign_key_is_not_fetched(self, client: TestClient) -> None:
        signed = DidKeyIssuer().sign(vc2(), issuer="https://issuer.example")
        signed["proof"]["verificationMethod"] = "https://issuer.example/keys/1"
        response = verify(client, signed)
        assert response.status_code == 422
        assert "cannot be resolved offline" in response.json()["errors"][0]["detail"]

    def test_not_a_credential(self, client: TestClient) -> None:
        assert verify(client, {"hello": "world"}).status_code == 422
        assert verify(client, "not.a.jwt").status_code == 422
        response = client.post(VERIFY, json={"verifiableCredential": 42})
        assert response.status_code == 422

    def test_challenge_and_domain_options(self, client: TestClient) -> None:
        signed = DidKeyIssuer().sign(vc2())
        assert verify(client, signed, challenge="abc").status_code == 422
        assert verify(client, signed, checks=["proof"]).status_code == 200


class TestIssuedAwards:
    """Awards' own credentials verify here, in both proof formats, until revoked."""

    @pytest.mark.parametrize("style", ["url", "did:web", "did:key"])
    def test_award_formats_and_revocation(
        self,
        client: TestClient,
        session: Session,
        tenant: Tenant,
        settings: Settings,
        style: str,
    ) -> None:
        issuer = styled_issuer(session, tenant, style)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
        award = create_award(session, tenant, settings, badge_class.id)
        issued = session.get(IssuedAward, award.id)
        assert issued is not None
        credential = json.loads(issued.ob3_credential)
        for document in (credential, issued.ob3_jwt):
            response = verify(client, document)
            assert response.status_code == 200, response.text
            checks = response.json()["checks"]
            assert sorted(checks) == ["credential", "proof", "status", "validity"]

        header, payload, signature = issued.ob3_jwt.split(".")
        assert verify(client, f"{header}.{payload}.{signature[:-6]}AAAAAA").status_code == 422

        response = client.post(
            f"/api/v1/awards/{award.id}/revoke", json={"reason": "Erreur"}, headers=tenant.headers
        )
        assert response.status_code == 200, response.text
        for document in (credential, issued.ob3_jwt):
            response = verify(client, document)
            assert response.status_code == 422
            assert response.json()["errors"][0]["title"] == "Revocation"

    def test_retired_key_no_longer_verifies(
        self, client: TestClient, session: Session, tenant: Tenant, settings: Settings
    ) -> None:
        issuer = styled_issuer(session, tenant, "url")
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
        award = create_award(session, tenant, settings, badge_class.id)
        issued = session.get(IssuedAward, award.id)
        assert issued is not None
        vault = vault_from_settings(settings)
        key = signing.rotate(session, vault, issuer, KeyAlgorithm.ED25519)
        assert key.id != issued.ed25519_key_id
        credential = json.loads(issued.ob3_credential)
        assert verify(client, credential).status_code == 200
        signing.retire(session, tenant.principal, issued.ed25519_key_id)
        response = verify(client, credential)
        assert response.status_code == 422
        assert "not a published key" in response.json()["errors"][0]["detail"]


def test_1edtech_revocation_list_is_read(
    client: TestClient, session: Session, tenant: Tenant, settings: Settings
) -> None:
    issuer = styled_issuer(session, tenant, "url")
    issuer.ob3_status = "1edtech"
    session.flush()
    badge_class = create_badge_class(session, tenant, settings, issuer.id)
    award = create_award(session, tenant, settings, badge_class.id)
    issued = session.get(IssuedAward, award.id)
    assert issued is not None
    credential = json.loads(issued.ob3_credential)
    assert credential["credentialStatus"]["type"] == "1EdTechRevocationList"
    assert verify(client, credential).status_code == 200
    revoke = f"/api/v1/awards/{award.id}/revoke"
    client.post(revoke, json={"reason": "Erreur"}, headers=tenant.headers)
    response = verify(client, credential)
    assert response.status_code == 422
    assert response.json()["errors"][0]["title"] == "Revocation"
