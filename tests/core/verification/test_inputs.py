"""Hostile and malformed inputs: always a report, quickly, never an exception; FR/EN texts."""

import json
import re
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from badgeforge.core.verification import CheckStatus, Report, Verdict, VerifyOptions, verify
from badgeforge.core.verification.inputs import MAX_JSON_DEPTH, MAX_TEXT_BYTES
from badgeforge.core.verification.messages import codes, text
from tests.core.verification.world import NOW, MemoryFetcher, options

FILES = Path(__file__).parents[1] / "files"
PACKAGE = Path(__file__).parents[3] / "src" / "badgeforge" / "core" / "verification"


def input_code(report: Report) -> str:
    check = report.checks[0]
    assert check.id == "input"
    return check.code


def assert_refused(report: Report) -> None:
    assert report.verdict is Verdict.INVALID
    assert all(check.code != "internal.error" for check in report.checks), report.checks
    for check in report.checks:
        assert check.message.en
        assert check.message.fr


def test_json_bombs_are_refused_without_recursing() -> None:
    for bomb in ("[" * 200_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        report = verify(bomb, options(None))
        assert input_code(report) in ("input.json_too_deep", "input.too_large")
        assert_refused(report)
    nested: Any = "x"
    for _ in range(MAX_JSON_DEPTH + 1):
        nested = [nested]
    report = verify({"@context": nested}, options(None))
    assert input_code(report) == "input.json_too_deep"
    wide = json.dumps({"a": [[0] * 100] * 2500})
    assert input_code(verify(wide, options(None))) == "input.json_too_large"


def test_oversized_and_malformed_inputs() -> None:
    cases: dict[bytes | str, str] = {
        b"x" * (MAX_TEXT_BYTES + 1): "input.too_large",
        b"": "input.empty",
        b"{not json": "input.malformed_json",
        b"[1, 2]": "input.not_object",
        b"\xff\xfe\x00garbage": "input.unrecognised",
        b"\x89PNG\r\n\x1a\n" + b"\0" * 40: "input.not_baked",
        b"<svg xmlns='http://www.w3.org/2000/svg'>": "input.not_baked",
        "1" * 5000: "input.unrecognised",
        "ftp://example.org/badge": "input.unrecognised",
    }
    for data, code in cases.items():
        report = verify(data, options(None))
        assert input_code(report) == code, (data[:20], report.checks)
        assert_refused(report)


def test_hostile_svgs_are_refused() -> None:
    for name in ("xxe.svg", "billion_laughs.svg", "script.svg", "external_href.svg"):
        report = verify((FILES / name).read_bytes(), options(None))
        assert input_code(report) == "input.not_baked"
        assert_refused(report)


def test_a_url_is_never_fetched_without_a_fetcher_and_non_http_is_refused() -> None:
    report = verify("https://badges.example/assertions/1", options(None))
    assert report.checks[1].code == "fetch.offline"
    fetcher = MemoryFetcher()
    report = verify({"type": "Assertion", "id": "file:///etc/passwd"}, options(fetcher))
    assert_refused(report)
    assert fetcher.calls == []


def test_fetch_budget_bounds_one_verification() -> None:
    fetcher = MemoryFetcher()
    for index in range(40):
        fetcher.put(f"https://loop.example/{index}", {"id": f"https://loop.example/{index + 1}"})
    report = verify(
        "https://loop.example/0", VerifyOptions(now=NOW, fetcher=fetcher, max_fetches=5)
    )
    assert_refused(report)
    assert len(fetcher.calls) <= 5


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(["@context", "type", "id", "proof", "issuer", "credentialSubject", "x"])
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=30,
)


def check_fast_report(data: Any) -> None:
    start = time.perf_counter()
    report = verify(data, options(MemoryFetcher()))
    assert time.perf_counter() - start < 2
    assert isinstance(report.verdict, Verdict)
    assert report.checks
    assert all(check.code != "internal.error" for check in report.checks), report.checks
    json.dumps(report.to_json())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_always_give_a_report(data: bytes) -> None:
    check_fast_report(data)
    check_fast_report(b"\x89PNG\r\n\x1a\n" + data)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=500))
def test_random_strings_always_give_a_report(data: str) -> None:
    check_fast_report(data)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_random_json_always_gives_a_report(value: Any) -> None:
    check_fast_report(json.dumps(value))
    if isinstance(value, dict):
        check_fast_report(value)
        vc = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            **value,
        }
        check_fast_report(vc)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefXYZ0123456789-_", min_size=1, max_size=40), json_values)
def test_random_jws_shapes_always_give_a_report(segment: str, payload: Any) -> None:
    from badgeforge.core.multibase import base64url_encode

    encoded = base64url_encode(json.dumps(payload).encode())
    for header in ({"alg": "RS256", "kid": "https://k.example/1"}, {"alg": "EdDSA"}, {}):
        head = base64url_encode(json.dumps(header).encode())
        check_fast_report(f"{head}.{encoded}.{segment}")


def test_every_message_exists_in_french_and_english() -> None:
    for code in codes():
        message = text(code, url="https://x.example", date="2026", count=1, total=2)
        assert message.en.strip()
        assert message.fr.strip()
        assert message.en != message.fr, code
        assert "{" not in message.en + message.fr, code


def test_every_code_used_in_the_package_has_a_message() -> None:
    pattern = re.compile(
        r'"((?:input|fetch|structure|schema|key|proof|status|validity|recipient|'
        r'endorsements|hosted|verdict|internal)\.[a-z_0-9]+)"'
    )
    used = {match for path in PACKAGE.glob("*.py") for match in pattern.findall(path.read_text())}
    assert used, "no code found"
    assert used <= codes(), used - codes()


def test_report_json_carries_both_languages() -> None:
    report = verify("nothing", options(None))
    body = report.to_json()
    assert body["verdict"] == "invalid"
    assert body["valid"] is False
    assert set(body["message"]) == {"en", "fr"}
    assert body["checks"][0]["status"] == CheckStatus.FAILED.value
    assert set(body["checks"][0]["message"]) == {"en", "fr"}
