"""The /verify page template (wired by the coordinator): a form without JavaScript that
renders the verification core's report."""

import html5lib

from badgeforge.core.verification.report import CheckStatus, Report
from badgeforge.pages.templating import render


def test_form_in_both_languages() -> None:
    french = render("verify.html", "fr", "/verify")
    html5lib.HTMLParser(strict=True).parse(french)
    assert 'method="post" action="/verify?lang=fr" enctype="multipart/form-data"' in french
    assert '<label for="verify-file">Fichier du badge</label>' in french
    assert "<script" not in french
    assert "Verify a badge" in render("verify.html", "en", "/verify")


def test_report_rendered_with_named_checks() -> None:
    report = Report()
    report.facts.name = "Soudure <b>"
    report.facts.issuer.name = "ESAT"
    report.passed("structure", "structure.ob3")
    report.add("proof", CheckStatus.FAILED, "proof.invalid", "bad signature")
    assert report.verdict != "valid"
    english = render("verify.html", "en", "/verify", report=report)
    html5lib.HTMLParser(strict=True).parse(english)
    assert "Badge not verified" in english
    assert "Soudure &lt;b&gt;" in english
    assert report.checks[1].message.en in english
    french = render("verify.html", "fr", "/verify", report=report)
    assert report.checks[1].message.fr in french
    assert "Échec" in french
