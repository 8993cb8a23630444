"""How a request's API key is read: one rule for authentication, rate limits and the log."""

import pytest

from badgeforge.security import bearer_token, sent_key


@pytest.mark.parametrize(
    ("authorization", "expected"),
    [
        ("Bearer bf_a_b", "bf_a_b"),
        ("bearer bf_a_b", "bf_a_b"),
        ("BEARER  bf_a_b ", " bf_a_b "),
        ("Basic dXNlcjpwYXNz", None),
        ("Bearer", None),
        ("", None),
        (None, None),
    ],
)
def test_bearer_token(authorization: str | None, expected: str | None) -> None:
    assert bearer_token(authorization) == expected


@pytest.mark.parametrize(
    ("bearer", "header", "expected"),
    [
        (" bf_bearer ", "bf_header", "bf_bearer"),
        (None, " bf_header ", "bf_header"),
        ("   ", "bf_header", "bf_header"),
        (None, None, ""),
        ("", "", ""),
    ],
)
def test_sent_key_prefers_the_bearer_token(
    bearer: str | None, header: str | None, expected: str
) -> None:
    assert sent_key(bearer, header) == expected
