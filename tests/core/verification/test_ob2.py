"""OB 2.0 badges hosted and signed on another origin, and baked images of every format."""

import io
import json

import pytest
from PIL import Image

from badgeforge.core import baking, ob2_signing
from badgeforge.core.verification import CheckStatus, Report, Verdict, verify
from tests.core.verification.world import (
    EMAIL,
    OB2_BASE,
    OB2_REVOCATIONS,
    OTHER_RSA,
    URL_STYLE,
    MemoryFetcher,
    award,
    credential,
    options,
    publish_issuers,
    publish_ob2,
    sign_di,
    sign_jwt,
    signed_ob2,
)

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def outcome(report: Report, check_id: str) -> tuple[CheckStatus, str]:
    check = report.check(check_id)
    assert check is not None, [c.id for c in report.checks]
    return check.status, check.code


@pytest.fixture
def web() -> MemoryFetcher:
    fetcher = MemoryFetcher()
    publish_issuers(fetcher)
    return fetcher


def test_hosted_by_url_with_recipient(web: MemoryFetcher) -> None:
    assertion = publish_ob2(web)
    report = verify(assertion["id"], options(web, recipient=EMAIL))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]
    assert outcome(report, "recipient") == (CheckStatus.PASSED, "recipient.match")
    facts = report.facts
    assert facts.format == "ob2-hosted"
    assert (facts.name, facts.issuer.name) == (
        "Accueil du public",
        "Centre de formation Les Tilleuls",
    )
    assert facts.recipient.type == "email"
    assert facts.recipient.hashed is True
    assert facts.criteria_narrative
    assert facts.evidence
    assert facts.alignments
    assert facts.expires == "2030-01-01T00:00:00Z"


def test_hosted_json_is_checked_against_the_hosted_copy(web: MemoryFetcher) -> None:
    assertion = publish_ob2(web)
    stale = {**assertion, "recipient": {**assertion["recipient"], "identity": "sha256$00"}}
    report = verify(json.dumps(stale), options(web, recipient=EMAIL))
    assert report.verdict is Verdict.VALID
    assert report.document == assertion


def test_hosted_revoked_by_410_or_revoked_flag(web: MemoryFetcher) -> None:
    assertion = publish_ob2(web)
    web.put(assertion["id"], {"id": assertion["id"], "revoked": True}, status=410)
    report = verify(assertion["id"], options(web))
    assert report.verdict is Verdict.REVOKED
    assert outcome(report, "status") == (CheckStatus.FAILED, "status.gone")
    web.put(assertion["id"], {**assertion, "revoked": True, "revocationReason": "erreur"})
    report = verify(json.dumps(assertion), options(web))
    assert report.verdict is Verdict.REVOKED
    assert outcome(report, "status") == (CheckStatus.FAILED, "status.revoked")


def test_hosted_copy_must_declare_its_own_url(web: MemoryFetcher) -> None:
    assertion = publish_ob2(web)
    web.put(f"{OB2_BASE}/elsewhere", {**assertion, "id": f"{OB2_BASE}/third"})
    web.put(f"{OB2_BASE}/third", {**assertion, "id": f"{OB2_BASE}/fourth"})
    report = verify(f"{OB2_BASE}/elsewhere", options(web))
    assert outcome(report, "hosted") == (CheckStatus.FAILED, "hosted.id_mismatch")
    assert report.verdict is Verdict.INVALID


def test_hosted_on_another_origin_than_the_issuer(web: MemoryFetcher) -> None:
    assertion = publish_ob2(web)
    foreign = {**assertion, "id": "https://copycat.example/a"}
    web.put(foreign["id"], foreign)
    report = verify(foreign["id"], options(web))
    assert outcome(report, "hosted") == (CheckStatus.FAILED, "hosted.out_of_scope")
    assert report.verdict is Verdict.INVALID


def test_hosted_expired_and_wrong_recipient(web: MemoryFetcher) -> None:
    from datetime import UTC, datetime

    assertion = publish_ob2(web, award(expires=datetime(2026, 6, 15, tzinfo=UTC)))
    assert verify(assertion["id"], options(web)).verdict is Verdict.EXPIRED
    publish_ob2(web)
    report = verify(assertion["id"], options(web, recipient="autre@example.org"))
    assert outcome(report, "recipient") == (CheckStatus.FAILED, "recipient.mismatch")


def test_hosted_unreachable(web: MemoryFetcher) -> None:
    report = verify("https://nowhere.example/a/1", options(web))
    assert outcome(report, "hosted") == (CheckStatus.FAILED, "fetch.failed")
    assert report.verdict is Verdict.INVALID


def test_signed_valid_tampered_and_wrong_key(web: MemoryFetcher) -> None:
    token = signed_ob2(publish_ob2(web))
    report = verify(token, options(web, recipient=EMAIL))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]
    assert report.facts.format == "ob2-signed"
    header, payload, signature = token.split(".")
    assert verify(f"{header}.{payload[:-4]}AAAA.{signature}", options(web)).verdict is (
        Verdict.INVALID
    )
    forged = signed_ob2(publish_ob2(web), OTHER_RSA)
    assert outcome(verify(forged, options(web)), "proof") == (CheckStatus.FAILED, "proof.invalid")


def test_signed_key_must_be_listed_by_the_issuer(web: MemoryFetcher) -> None:
    assertion = publish_ob2(web)
    profile = json.loads(web.pages[f"{OB2_BASE}/issuer.json"][2])
    web.put(f"{OB2_BASE}/issuer.json", {**profile, "publicKey": f"{OB2_BASE}/keys/2"})
    report = verify(signed_ob2(assertion), options(web))
    assert outcome(report, "key") == (CheckStatus.FAILED, "key.not_issuer")


def test_signed_revoked_by_revocation_list(web: MemoryFetcher) -> None:
    token = signed_ob2(publish_ob2(web))
    revoked = [("urn:uuid:33333333-3333-4333-8333-333333333333", "fraude")]
    listing = ob2_signing.revocation_list(OB2_REVOCATIONS, f"{OB2_BASE}/issuer.json", revoked)
    web.put(OB2_REVOCATIONS, listing)
    report = verify(token, options(web))
    assert report.verdict is Verdict.REVOKED
    del web.pages[OB2_REVOCATIONS]
    report = verify(token, options(web))
    assert outcome(report, "status") == (CheckStatus.WARNING, "status.unavailable")
    assert report.verdict is Verdict.VALID


def test_signed_assertion_given_as_plain_json(web: MemoryFetcher) -> None:
    assertion = publish_ob2(web)
    plain = ob2_signing.signed_assertion_document(assertion, f"{OB2_BASE}/keys/1")
    report = verify(plain, options(web))
    assert outcome(report, "structure") == (CheckStatus.FAILED, "structure.signed_needs_jws")


def baked(kind: str, web: MemoryFetcher) -> list[bytes]:
    if kind == "ob2-hosted":
        assertion = publish_ob2(web)
        text = json.dumps(assertion)
        return [
            baking.bake_png(png(), text),
            baking.bake_svg(SVG, verify=assertion["id"], assertion_json=text),
        ]
    if kind == "ob2-signed":
        token = signed_ob2(publish_ob2(web))
        return [baking.bake_png(png(), token), baking.bake_svg(SVG, verify=token)]
    payload = (
        json.dumps(sign_di(credential(URL_STYLE), URL_STYLE))
        if kind == "ob3-data-integrity"
        else sign_jwt(credential(URL_STYLE), URL_STYLE)
    )
    return [baking.bake_png_credential(png(), payload), baking.bake_svg_credential(SVG, payload)]


@pytest.mark.parametrize("kind", ["ob2-hosted", "ob2-signed", "ob3-data-integrity", "ob3-jwt"])
def test_baked_png_and_svg_of_every_format(web: MemoryFetcher, kind: str) -> None:
    for image in baked(kind, web):
        report = verify(image, options(web))
        assert report.verdict is Verdict.VALID, report.to_json()["checks"]
        assert report.facts.format == kind


def test_a_url_serving_a_baked_image(web: MemoryFetcher) -> None:
    image = baked("ob3-jwt", web)[0]
    web.put("https://share.example/badge.png", image, content_type="image/png")
    report = verify("https://share.example/badge.png", options(web))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]
    assert report.facts.format == "ob3-jwt"
