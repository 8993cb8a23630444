"""The digitalbazaar verifier (Node.js, did:key resolved offline) accepts what
POST /credentials/issue returns for a did:key issuer, VC 2.0 and VC 1.1, and refuses it
once tampered with: what the W3C eddsa-rdfc-2022 and VC 2.0 suites check of an issuer."""

import copy
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import create_issuer, create_tenant
from tests.oracles.vc_js import verify_credential
from tests.vcapi.keys import vc1, vc2

pytestmark = pytest.mark.validator


@pytest.mark.parametrize("make", [vc2, vc1], ids=["vc2", "vc1"])
def test_issued_credentials_verify_with_digitalbazaar(
    client: TestClient, session: Session, make: Any
) -> None:
    tenant = create_tenant(session)
    issuer = create_issuer(session, tenant)
    issuer.identifier_style = "did:key"
    session.flush()
    body = {"credential": make(), "options": {}}
    response = client.post("/credentials/issue", json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    signed = response.json()["verifiableCredential"]

    verdict = verify_credential(signed)
    assert verdict.verified, verdict.errors

    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["id"] = "did:example:someone-else"
    assert not verify_credential(tampered).verified
    tampered = copy.deepcopy(signed)
    tampered["issuer"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    assert not verify_credential(tampered).verified
