"""OB 3.0 credentials from other issuers: every proof format, key route, status and date."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from badgeforge.core import jws, status_list
from badgeforge.core.multibase import base64url_decode, base64url_encode
from badgeforge.core.verification import CheckStatus, Report, Verdict, verify
from tests.core.verification.world import (
    EMAIL,
    KEY_ISSUER,
    KEY_STYLE,
    OTHER_ED25519,
    OTHER_RSA,
    RSA,
    URL_STYLE,
    WEB_STYLE,
    Issuer3,
    MemoryFetcher,
    credential,
    options,
    publish_issuers,
    publish_revocation_list,
    publish_status_list,
    sign_di,
    sign_jwt,
    sign_legacy,
    vc11,
    vc11_jwt,
)

VECTOR = Path(__file__).parents[1] / "files" / "ob3" / "obv3p0-signed-credential.json"
STYLES = {"url": URL_STYLE, "did-web": WEB_STYLE, "did-key": KEY_STYLE}


def status_of(report: Report, check_id: str) -> tuple[CheckStatus, str]:
    check = report.check(check_id)
    assert check is not None, f"no {check_id} check in {[c.id for c in report.checks]}"
    return check.status, check.code


@pytest.fixture
def web() -> MemoryFetcher:
    fetcher = MemoryFetcher()
    publish_issuers(fetcher)
    return fetcher


def sign(document: dict[str, Any], issuer: Issuer3, proof: str) -> Any:
    return sign_di(document, issuer) if proof == "di" else sign_jwt(document, issuer)


def test_the_1edtech_vector_verifies_offline_with_its_fragment_multikey() -> None:
    report = verify(json.loads(VECTOR.read_text()), options(None))
    assert report.verdict is Verdict.VALID
    assert status_of(report, "key") == (CheckStatus.PASSED, "key.issuer")
    assert report.facts.name == "Teamwork"
    assert report.facts.issuer.name == "Example Corp"
    assert report.facts.recipient.subject_id == "did:example:ebfeb1f712ebc6f1c276e12ec21"


def test_the_1edtech_vector_tampered_is_invalid() -> None:
    vector = json.loads(VECTOR.read_text())
    vector["credentialSubject"]["achievement"]["name"] = "Leadership"
    report = verify(vector, options(None))
    assert report.verdict is Verdict.INVALID
    assert status_of(report, "proof") == (CheckStatus.FAILED, "proof.invalid")


@pytest.mark.parametrize("style", ["url", "did-web", "did-key"])
@pytest.mark.parametrize("proof", ["di", "jwt"])
def test_third_party_credentials_verify_with_bitstring_status(
    web: MemoryFetcher, style: str, proof: str
) -> None:
    issuer = STYLES[style]
    if proof == "jwt" and not issuer.kid:
        pytest.skip("did:key issuers sign VC-JWTs with EdDSA below")
    entry = status_list.status_entry(publish_status_list(web, issuer), 7)
    report = verify(sign(credential(issuer, entry), issuer, proof), options(web, recipient=EMAIL))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]
    assert [check.id for check in report.checks] == [
        "input", "structure", "schema", "key", "proof", "status", "validity", "recipient",
        "endorsements",
    ]  # fmt: skip
    assert status_of(report, "status") == (CheckStatus.PASSED, "status.clear")
    assert status_of(report, "recipient") == (CheckStatus.PASSED, "recipient.match")
    assert report.facts.format == ("ob3-jwt" if proof == "jwt" else "ob3-data-integrity")
    assert report.facts.name == "Accueil du public"
    assert report.facts.issuer.id == issuer.id
    assert report.facts.recipient.identity is not None
    assert report.facts.recipient.identity.startswith("sha256$")
    assert report.facts.alignments[0]["targetName"] == "Accueillir"


def test_eddsa_jwt_from_a_did_key_issuer(web: MemoryFetcher) -> None:
    from tests.core.verification.world import ED25519

    document = credential(KEY_STYLE)
    token = jws.sign_compact(
        {**document, "iss": KEY_ISSUER, "jti": document["id"]},
        ED25519,
        {"kid": KEY_STYLE.method, "typ": "JWT"},
    )
    report = verify(token, options(None))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]


@pytest.mark.parametrize("suite", ["eddsa-2022", "Ed25519Signature2020"])
def test_older_proof_suites_are_accepted(suite: str) -> None:
    report = verify(sign_legacy(credential(KEY_STYLE), KEY_STYLE, suite), options(None))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]


def test_vc_1_1_credentials_with_data_integrity_and_jwt(web: MemoryFetcher) -> None:
    signed = sign_di(vc11(credential(KEY_STYLE)), KEY_STYLE)
    assert verify(signed, options(None)).verdict is Verdict.VALID
    token = vc11_jwt(vc11(credential(URL_STYLE)), URL_STYLE)
    report = verify(token, options(web))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]
    assert report.facts.issued_on == "2026-06-01T09:30:00Z"


def test_vc_1_1_expiration_date_counts(web: MemoryFetcher) -> None:
    expired = vc11(credential(KEY_STYLE, expires=datetime(2026, 6, 20, tzinfo=UTC)))
    report = verify(sign_di(expired, KEY_STYLE), options(None))
    assert report.verdict is Verdict.EXPIRED


@pytest.mark.parametrize("proof", ["di", "jwt"])
def test_expired_and_not_yet_valid(web: MemoryFetcher, proof: str) -> None:
    expired = credential(URL_STYLE, expires=datetime(2026, 6, 20, tzinfo=UTC))
    report = verify(sign(expired, URL_STYLE, proof), options(web))
    assert report.verdict is Verdict.EXPIRED
    assert status_of(report, "validity") == (CheckStatus.FAILED, "validity.expired")
    early = credential(URL_STYLE, issued_on=datetime(2026, 8, 1, tzinfo=UTC))
    report = verify(sign(early, URL_STYLE, proof), options(web))
    assert report.verdict is Verdict.NOT_YET_VALID


@pytest.mark.parametrize("proof", ["di", "jwt"])
def test_revoked_by_bitstring_status_list(web: MemoryFetcher, proof: str) -> None:
    entry = status_list.status_entry(publish_status_list(web, WEB_STYLE, revoked=(7,)), 7)
    report = verify(sign(credential(WEB_STYLE, entry), WEB_STYLE, proof), options(web))
    assert report.verdict is Verdict.REVOKED
    assert status_of(report, "status") == (CheckStatus.FAILED, "status.revoked")


def test_suspended_by_bitstring_status_list(web: MemoryFetcher) -> None:
    url = publish_status_list(web, URL_STYLE, revoked=(9,), purpose="suspension")
    entry = status_list.status_entry(url, 9, purpose="suspension")
    report = verify(sign_di(credential(URL_STYLE, entry), URL_STYLE), options(web))
    assert report.verdict is Verdict.SUSPENDED


@pytest.mark.parametrize("proof", ["di", "jwt"])
def test_revoked_by_1edtech_revocation_list(web: MemoryFetcher, proof: str) -> None:
    document = credential(URL_STYLE)
    entry = publish_revocation_list(web, URL_STYLE, [document["id"]])
    report = verify(sign(credential(URL_STYLE, entry), URL_STYLE, proof), options(web))
    assert report.verdict is Verdict.REVOKED
    entry = publish_revocation_list(web, URL_STYLE, ["urn:uuid:someone-else"])
    report = verify(sign(credential(URL_STYLE, entry), URL_STYLE, proof), options(web))
    assert report.verdict is Verdict.VALID


def test_a_forged_status_list_is_refused(web: MemoryFetcher) -> None:
    url = publish_status_list(web, URL_STYLE)
    forged = json.loads(web.pages[url][2])
    forged["credentialSubject"]["encodedList"] = status_list.encode_list(
        status_list.bitstring_with([3])
    )
    web.put(url, forged)
    entry = status_list.status_entry(url, 3)
    report = verify(sign_di(credential(URL_STYLE, entry), URL_STYLE), options(web))
    assert report.verdict is Verdict.INVALID
    assert status_of(report, "status") == (CheckStatus.FAILED, "status.list_unverified")


def test_a_status_list_of_another_issuer_is_refused(web: MemoryFetcher) -> None:
    entry = status_list.status_entry(publish_status_list(web, KEY_STYLE), 3)
    report = verify(sign_di(credential(URL_STYLE, entry), URL_STYLE), options(web))
    assert status_of(report, "status") == (CheckStatus.FAILED, "status.list_issuer")


def test_an_unreachable_status_list_is_a_warning(web: MemoryFetcher) -> None:
    entry = status_list.status_entry("https://gone.example/status", 3)
    report = verify(sign_di(credential(URL_STYLE, entry), URL_STYLE), options(web))
    assert status_of(report, "status") == (CheckStatus.WARNING, "status.unavailable")
    assert report.verdict is Verdict.VALID


@pytest.mark.parametrize("proof", ["di", "jwt"])
def test_tampered_credentials_are_invalid(web: MemoryFetcher, proof: str) -> None:
    signed = sign(credential(WEB_STYLE), WEB_STYLE, proof)
    if proof == "di":
        signed["credentialSubject"]["achievement"]["name"] = "Direction"
    else:
        header, payload, signature = signed.split(".")
        claims = json.loads(base64url_decode(payload))
        claims["credentialSubject"]["achievement"]["name"] = "Direction"
        signed = f"{header}.{base64url_encode(json.dumps(claims).encode())}.{signature}"
    report = verify(signed, options(web))
    assert report.verdict is Verdict.INVALID
    assert status_of(report, "proof") == (CheckStatus.FAILED, "proof.invalid")


def test_wrong_keys_are_refused(web: MemoryFetcher) -> None:
    other = sign_di(credential(URL_STYLE), URL_STYLE, OTHER_ED25519)
    assert status_of(verify(other, options(web)), "proof")[1] == "proof.invalid"
    token = sign_jwt(credential(URL_STYLE), URL_STYLE, OTHER_RSA)
    assert status_of(verify(token, options(web)), "proof")[1] == "proof.invalid"
    # a did:key proof on a credential claiming the URL issuer: the key is not the issuer's
    impostor = sign_di(credential(URL_STYLE), KEY_STYLE)
    report = verify(impostor, options(web))
    assert status_of(report, "key") == (CheckStatus.FAILED, "key.not_issuer")
    assert status_of(report, "proof") == (CheckStatus.SKIPPED, "proof.no_key")
    assert report.verdict is Verdict.INVALID


def test_a_bare_jwk_on_another_origin_is_not_the_issuers(web: MemoryFetcher) -> None:
    from badgeforge.core.keys import public_jwk

    web.put("https://attacker.example/key", public_jwk(OTHER_RSA.public_key()))
    issuer = Issuer3(URL_STYLE.links, URL_STYLE.method, "https://attacker.example/key")
    report = verify(sign_jwt(credential(issuer), issuer, OTHER_RSA), options(web))
    assert status_of(report, "key") == (CheckStatus.FAILED, "key.not_issuer")


@pytest.mark.parametrize("alg", ["none", "HS256", "RS512"])
def test_jwt_algorithms_outside_rs256_es256_eddsa_are_refused(alg: str) -> None:
    header = base64url_encode(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    payload = base64url_encode(json.dumps(credential(URL_STYLE)).encode())
    for token in (f"{header}.{payload}.", f"{header}.{payload}.c2lnbmF0dXJl"):
        report = verify(token, options(None))
        assert report.verdict is Verdict.INVALID
        assert status_of(report, "proof") == (CheckStatus.FAILED, "proof.jwt_algorithm")


def test_unknown_contexts_are_never_fetched(web: MemoryFetcher) -> None:
    signed = sign_di(credential(KEY_STYLE), KEY_STYLE)
    signed["@context"] = [*signed["@context"], "https://contexts.example/extra.json"]
    report = verify(signed, options(web))
    assert status_of(report, "structure") == (CheckStatus.WARNING, "structure.unknown_context")
    assert report.verdict is Verdict.INVALID
    assert "https://contexts.example/extra.json" not in web.calls


def test_did_web_without_a_fetcher_cannot_be_resolved() -> None:
    report = verify(sign_di(credential(WEB_STYLE), WEB_STYLE), options(None))
    assert status_of(report, "key") == (CheckStatus.FAILED, "fetch.offline")
    assert report.verdict is Verdict.INVALID


def test_recipient_match_tries_the_lower_case_form_and_can_fail(web: MemoryFetcher) -> None:
    signed = sign_di(credential(KEY_STYLE), KEY_STYLE)
    for email in (EMAIL, EMAIL.lower()):
        assert verify(signed, options(None, recipient=email)).verdict is Verdict.VALID
    report = verify(signed, options(None, recipient="someone@example.org"))
    assert status_of(report, "recipient") == (CheckStatus.FAILED, "recipient.mismatch")
    assert report.verdict is Verdict.INVALID


def test_jwt_claims_that_contradict_the_credential(web: MemoryFetcher) -> None:
    document = credential(URL_STYLE)
    token = jws.sign_compact(
        {**document, "iss": "https://other.example"},
        RSA,
        {"kid": URL_STYLE.kid},
    )
    report = verify(token, options(web))
    assert status_of(report, "structure") == (CheckStatus.FAILED, "structure.jwt_claims")
    vc2_in_vc_claim = vc11_jwt(document, URL_STYLE)
    report = verify(vc2_in_vc_claim, options(web))
    assert status_of(report, "structure") == (CheckStatus.FAILED, "structure.jwt_claims")


def endorsement(comment: str) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:6f5ae3a4-2f86-4b0e-9d55-0b9f9a4e0c11",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": "Recommandation du réseau",
        "issuer": {"id": KEY_ISSUER, "type": ["Profile"], "name": "Réseau régional"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "https://tilleuls.example.org/achievements/1",
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
    }


def test_embedded_endorsements_are_each_verified(web: MemoryFetcher) -> None:
    good = sign_di(endorsement("Formation sérieuse."), KEY_STYLE)
    bad = copy.deepcopy(good)
    bad["credentialSubject"]["endorsementComment"] = "Falsifié."
    document = credential(URL_STYLE)
    document["endorsement"] = [good]
    report = verify(sign_di(document, URL_STYLE), options(web))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]
    assert status_of(report, "endorsements") == (CheckStatus.PASSED, "endorsements.valid")
    assert report.facts.endorsements[0].comment == "Formation sérieuse."
    assert report.facts.endorsements[0].issuer.name == "Réseau régional"
    document["endorsement"] = [good, bad]
    report = verify(sign_di(document, URL_STYLE), options(web))
    assert status_of(report, "endorsements") == (CheckStatus.WARNING, "endorsements.some_invalid")
    assert [item.verdict for item in report.facts.endorsements] == [Verdict.VALID, Verdict.INVALID]
    assert report.verdict is Verdict.VALID


def test_schema_violations_are_invalid_with_readable_messages() -> None:
    document = credential(KEY_STYLE)
    document["credentialSubject"]["achievement"]["image"] = "https://x.example/i.png"
    report = verify(sign_di(document, KEY_STYLE), options(None))
    check = report.check("schema")
    assert check is not None
    assert (check.status, check.code) == (CheckStatus.FAILED, "schema.invalid")
    assert check.detail is not None
    assert "image" in check.detail
    assert report.verdict is Verdict.INVALID


def test_json_ld_compacted_single_types_pass_the_schema() -> None:
    document = credential(KEY_STYLE)
    document["type"] = ["VerifiableCredential", "OpenBadgeCredential"]
    document["credentialSubject"]["type"] = "AchievementSubject"
    report = verify(sign_di(document, KEY_STYLE), options(None))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]
