"""The core of the VC-API: the VC data model checks and single-credential verification."""

from datetime import timedelta

import pytest

from badgeforge.core.errors import InvalidDocument, UnresolvedKey
from badgeforge.core.jws import sign_compact
from badgeforge.core.vc_model import (
    DATA_INTEGRITY_CONTEXT,
    VcVersion,
    check_credential,
    prepared_for_signing,
)
from badgeforge.core.verify_proof import (
    INVALID_VERIFICATION_METHOD,
    MALFORMED_PROOF,
    PROOF_VERIFICATION,
    RANGE,
    ResolvedKey,
    entry_bit,
    resolve_did_key_method,
    verify_credential,
    verify_jwt,
)
from tests.vcapi.keys import NOW, DidKeyIssuer, vc1, vc2


def offline_only(method: str) -> ResolvedKey:
    return resolve_did_key_method(method)


class TestDataModel:
    def test_versions(self) -> None:
        assert check_credential(vc2(issuer="did:example:i")) is VcVersion.V2
        assert check_credential(vc1(issuer="did:example:i")) is VcVersion.V1

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"@context": ["https://w3id.org/openbadges/v2"]}, "first @context"),
            ({"type": ["OpenBadgeCredential"]}, "VerifiableCredential"),
            ({"type": []}, "type must be"),
            ({"id": "not a url"}, "id must be a URL"),
            ({"credentialSubject": {}}, "at least one claim"),
            ({"credentialSubject": []}, "non-empty array"),
            ({"credentialSubject": "did:example:x"}, "object"),
            ({"issuer": "nobody"}, "issuer must be"),
            ({"issuer": {"name": "x"}}, "issuer must be"),
            ({"validFrom": "2026-01-01"}, "validFrom"),
            ({"validUntil": "2026-01-01T00:00:00"}, "time zone"),
            ({"credentialStatus": {"id": "https://example.org/s"}}, "needs a type"),
        ],
    )
    def test_vc2_refusals(self, changes: dict[str, object], message: str) -> None:
        credential = vc2(**{"issuer": "did:example:i", **changes})
        with pytest.raises(InvalidDocument, match=message):
            check_credential(credential)

    def test_missing_credential_subject(self) -> None:
        credential = vc2(issuer="did:example:i")
        del credential["credentialSubject"]
        with pytest.raises(InvalidDocument, match="credentialSubject is required"):
            check_credential(credential)

    def test_vc1_needs_issuance_date(self) -> None:
        credential = vc1(issuer="did:example:i")
        del credential["issuanceDate"]
        with pytest.raises(InvalidDocument, match="issuanceDate"):
            check_credential(credential)
        prepared = prepared_for_signing(credential, "did:example:i", NOW)
        assert prepared["issuanceDate"] == "2026-07-01T12:00:00Z"

    def test_vc1_gets_the_data_integrity_context_last_and_vc2_does_not(self) -> None:
        prepared = prepared_for_signing(vc1(), "did:example:i", NOW)
        assert prepared["@context"] == [
            "https://www.w3.org/2018/credentials/v1",
            DATA_INTEGRITY_CONTEXT,
        ]
        assert prepared["issuanceDate"] == "2026-01-01T00:00:00Z"
        again = prepared_for_signing(prepared, "did:example:i", NOW)
        assert again["@context"] == prepared["@context"]
        assert prepared_for_signing(vc2(), "did:example:i", NOW)["@context"] == vc2()["@context"]

    def test_issuer_object_keeps_its_members(self) -> None:
        credential = vc2(issuer={"id": "https://old.example", "name": "ESAT"})
        prepared = prepared_for_signing(credential, "did:example:new", NOW)
        assert prepared["issuer"] == {"id": "did:example:new", "name": "ESAT"}
        assert credential["issuer"]["id"] == "https://old.example"


class TestVerifyDataIntegrity:
    def test_did_key_credentials_verify(self) -> None:
        issuer = DidKeyIssuer()
        for credential in (
            vc2(),
            {**vc1(), "@context": [*vc1()["@context"], DATA_INTEGRITY_CONTEXT]},
        ):
            report = verify_credential(issuer.sign(credential), offline_only, now=NOW)
            assert report.verified, report.errors
            assert report.checks == ["credential", "proof", "validity"]

    def test_tampering_fails(self) -> None:
        signed = DidKeyIssuer().sign(vc2())
        signed["credentialSubject"]["name"] = "Dominique"
        report = verify_credential(signed, offline_only, now=NOW)
        assert not report.verified
        assert [error.type for error in report.errors] == [PROOF_VERIFICATION]

    def test_key_must_be_the_issuers(self) -> None:
        signed = DidKeyIssuer().sign(vc2())
        signed["issuer"] = DidKeyIssuer().did
        report = verify_credential(signed, offline_only, now=NOW)
        assert "not controlled by the issuer" in report.errors[0].detail

    def test_another_did_keys_signature_fails(self) -> None:
        signer, claimed = DidKeyIssuer(), DidKeyIssuer()
        forged = signer.sign(vc2(), issuer=claimed.did)
        forged = {**forged, "issuer": claimed.did}
        forged["proof"] = {**forged["proof"], "verificationMethod": claimed.method}
        report = verify_credential(forged, offline_only, now=NOW)
        assert report.errors[0].type == PROOF_VERIFICATION
        assert "does not verify" in report.errors[0].detail

    def test_unresolvable_method_is_an_error_not_a_fetch(self) -> None:
        issuer = DidKeyIssuer()
        signed = issuer.sign(vc2())
        signed["proof"]["verificationMethod"] = "https://elsewhere.example/keys/1"

        def resolve(method: str) -> ResolvedKey:
            if method.startswith("did:key:"):
                return resolve_did_key_method(method)
            raise UnresolvedKey(f"{method} cannot be resolved offline")

        report = verify_credential(signed, resolve, now=NOW)
        assert report.errors[0].type == INVALID_VERIFICATION_METHOD
        assert "offline" in report.errors[0].detail

    @pytest.mark.parametrize(
        ("proof_changes", "finding"),
        [
            ({"proofValue": "zzz"}, MALFORMED_PROOF),
            ({"proofValue": "u" + "A" * 86}, MALFORMED_PROOF),
            ({"type": "Ed25519Signature2018"}, MALFORMED_PROOF),
            ({"cryptosuite": "ecdsa-rdfc-2019"}, MALFORMED_PROOF),
            ({"verificationMethod": 7}, MALFORMED_PROOF),
            ({"created": "yesterday"}, MALFORMED_PROOF),
            ({"proofPurpose": "authentication"}, PROOF_VERIFICATION),
            ({"expires": "2026-06-30T00:00:00Z"}, PROOF_VERIFICATION),
        ],
    )
    def test_proof_refusals(self, proof_changes: dict[str, object], finding: str) -> None:
        signed = DidKeyIssuer().sign(vc2())
        signed["proof"] = {**signed["proof"], **proof_changes}
        report = verify_credential(signed, offline_only, now=NOW)
        assert [error.type for error in report.errors] == [finding]

    def test_no_proof(self) -> None:
        report = verify_credential(vc2(issuer="did:example:i"), offline_only, now=NOW)
        assert report.errors[0].type == MALFORMED_PROOF

    def test_dates(self) -> None:
        issuer = DidKeyIssuer()
        later = issuer.sign(vc2(validFrom="2026-08-01T00:00:00Z"))
        expired = issuer.sign(vc2(validUntil="2026-06-30T00:00:00Z"))
        for credential, title in ((later, "Not yet valid"), (expired, "Expired")):
            report = verify_credential(credential, offline_only, now=NOW)
            assert [(error.type, error.title) for error in report.errors] == [(RANGE, title)]
        assert verify_credential(expired, offline_only, now=NOW - timedelta(days=2)).verified

    def test_status_is_asked_and_unknown_status_is_a_warning(self) -> None:
        entry = {
            "id": "https://s.example/1#5",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "5",
            "statusListCredential": "https://s.example/1",
        }
        signed = DidKeyIssuer().sign(vc2(credentialStatus=entry))
        unknown = verify_credential(signed, offline_only, now=NOW)
        assert unknown.verified
        assert unknown.warnings
        assert "status" in unknown.checks
        revoked = verify_credential(signed, offline_only, now=NOW, status=lambda e, c: True)
        assert revoked.errors[0].title == "Revocation"

    def test_entry_bit(self) -> None:
        bits = bytes([0b00000100]) + bytes(3)
        assert entry_bit({"statusListIndex": "5"}, bits)
        assert not entry_bit({"statusListIndex": "4"}, bits)
        with pytest.raises(InvalidDocument):
            entry_bit({"statusListIndex": "32"}, bits)
        with pytest.raises(InvalidDocument):
            entry_bit({"statusListIndex": 5}, bits)


def test_other_did_key_types_are_refused() -> None:
    p256 = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"
    with pytest.raises(UnresolvedKey):
        resolve_did_key_method(f"{p256}#{p256[8:]}")
    issuer = DidKeyIssuer()
    with pytest.raises(UnresolvedKey, match="names no key"):
        resolve_did_key_method(f"{issuer.did}#other")


def test_vc_jwt_with_a_did_key() -> None:
    issuer = DidKeyIssuer()
    credential = vc2(issuer=issuer.did)
    token = sign_compact(
        {**credential, "iss": issuer.did, "jti": credential["id"]},
        issuer.private_key,
        {"kid": issuer.method},
    )
    report = verify_jwt(token, offline_only, now=NOW)
    assert report.verified, report.errors
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload[:-4]}AAAA.{signature}"
    assert not verify_jwt(tampered, offline_only, now=NOW).verified
