"""The digitalbazaar verifier accepts a multilingual, levelled OB 3.0 credential (``related``
with ``inLanguage`` and ``version``, ``resultDescription`` and ``result``) and sees tampering
with a language link."""

import copy
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from badgeforge.core import ob3, status_list
from badgeforge.core.data_integrity import add_proof
from tests.core.test_languages import MULTILINGUAL
from tests.core.test_ob3 import AWARD, ISSUER, LINKS
from tests.oracles.test_vc_js_oracle import (
    CREATED,
    LIST_URL,
    key,
    key_documents,
    signed_status_list,
)
from tests.oracles.vc_js import verify_credential

pytestmark = pytest.mark.validator
__all__ = ["key"]


def test_multilingual_credential_verifies_and_a_changed_language_link_fails(
    key: ed25519.Ed25519PrivateKey,
) -> None:
    method, documents = key_documents(key)
    documents[LIST_URL] = signed_status_list(key, method, [])
    options = ob3.CredentialOptions(
        credential_status=status_list.status_entry(LIST_URL, 12), languages=True
    )
    award = replace(AWARD, level=1)
    document = ob3.open_badge_credential(award, MULTILINGUAL, ISSUER, LINKS, options)
    assert len(document["credentialSubject"]["achievement"]["related"]) == 2
    credential = add_proof(document, key, verification_method=method, created=CREATED)
    verdict = verify_credential(credential, documents)
    assert verdict.verified, verdict.errors
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["achievement"]["related"][0]["inLanguage"] = "de"
    assert not verify_credential(tampered, documents).verified
