"""Self-tests of the Open Badge Passport oracles: they can pass, and they can fail.

Synthetic responses and assertions only; a raw-socket server proves that the re-check reads
header names in the spelling sent on the wire. Nothing here depends on badgeforge's own code.
"""

import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from .obp_import import ImportedEvidence, ImportRejected, imported_evidence
from .obp_recheck import (
    Recheck,
    RecheckFailed,
    WireResponse,
    check_badge,
    hourly_recheck,
    keywordized_headers,
)

REVOKED_BODY = json.dumps({"revoked": True, "revocationReason": "Erreur"}).encode()


def wire(status: int, *headers: tuple[str, str], body: bytes = REVOKED_BODY) -> WireResponse:
    raw = tuple((name.encode(), value.encode()) for name, value in headers)
    return WireResponse(status, raw, body)


class TestHourlyRecheck:
    def test_lower_case_content_type_makes_the_check_throw_even_on_410(self) -> None:
        with pytest.raises(RecheckFailed, match="Content-Type"):
            check_badge(wire(410, ("content-type", "application/json")))

    def test_canonical_410_is_revoked(self) -> None:
        response = wire(410, ("Content-Type", "application/ld+json"), body=b"")
        assert check_badge(response) is Recheck.REVOKED

    def test_200_with_revoked_true_in_a_json_body_is_revoked(self) -> None:
        response = wire(200, ("Content-Type", "application/json; charset=utf-8"))
        assert check_badge(response) is Recheck.REVOKED

    def test_revoked_is_read_with_clojure_truth(self) -> None:
        zero = wire(200, ("Content-Type", "application/json"), body=b'{"revoked": 0}')
        false = wire(200, ("Content-Type", "application/json"), body=b'{"revoked": false}')
        assert check_badge(zero) is Recheck.REVOKED
        assert check_badge(false) is Recheck.STILL_VALID

    def test_body_of_another_type_is_not_parsed(self) -> None:
        response = wire(200, ("Content-Type", "application/ld+json"))
        assert check_badge(response) is Recheck.STILL_VALID

    def test_a_valid_badge_stays_valid(self) -> None:
        body = json.dumps({"id": "https://e.fr/a/1", "type": "Assertion"}).encode()
        response = wire(200, ("Content-Type", "application/json"), body=body)
        assert check_badge(response) is Recheck.STILL_VALID

    def test_names_keep_their_spelling_and_repeats_become_a_vector(self) -> None:
        headers = keywordized_headers(
            ((b"Content-Type", b"text/html"), (b"X-A", b"1"), (b"x-a", b"2"))
        )
        assert headers == {"Content-Type": "text/html", "X-A": '["1" "2"]'}


@pytest.fixture
def raw_server() -> Iterator[tuple[str, list[bytes]]]:
    """A socket server answering each connection with the next queued raw HTTP response."""
    replies: list[bytes] = []
    listener = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(replies.pop(0))

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/assertion", replies
    listener.close()


def raw_410(content_type_name: bytes) -> bytes:
    return (
        b"HTTP/1.1 410 Gone\r\n" + content_type_name + b": application/json\r\n"
        b"Content-Length: " + str(len(REVOKED_BODY)).encode() + b"\r\n"
        b"Connection: close\r\n\r\n" + REVOKED_BODY
    )


def test_recheck_reads_header_names_as_sent_on_the_wire(
    raw_server: tuple[str, list[bytes]],
) -> None:
    url, replies = raw_server
    replies.extend([raw_410(b"content-type"), raw_410(b"Content-Type")])
    assert hourly_recheck(url) is Recheck.FAILED
    assert hourly_recheck(url) is Recheck.REVOKED


class TestEvidenceCond:
    def test_string_narrative_wins_and_drops_every_evidence_item(self) -> None:
        assertion: dict[str, Any] = {
            "narrative": "Trois mois d'atelier.",
            "evidence": [{"id": "https://p.fr/a", "name": "Photos"}],
        }
        assert imported_evidence(assertion) == [ImportedEvidence(narrative="Trois mois d'atelier.")]

    def test_string_evidence_is_one_url(self) -> None:
        assert imported_evidence({"evidence": "https://p.fr/a"}) == [
            ImportedEvidence(url="https://p.fr/a")
        ]

    def test_one_evidence_object_keeps_its_fields(self) -> None:
        item = {
            "type": "Evidence",
            "id": "https://p.fr/a",
            "narrative": "Vu.",
            "name": "Photos",
            "description": "Atelier bois",
            "genre": "Photo",
            "audience": "Employeurs",
        }
        assert imported_evidence({"narrative": {"x": 1}, "evidence": item}) == [
            ImportedEvidence(
                "https://p.fr/a", "Vu.", "Photos", "Atelier bois", "Photo", "Employeurs"
            )
        ]

    def test_a_list_of_evidence_makes_the_import_fail(self) -> None:
        with pytest.raises(ImportRejected, match="ArityException"):
            imported_evidence({"evidence": [{"id": "https://p.fr/a"}]})
        assert imported_evidence({"evidence": []}) == []

    def test_non_string_fields_fail_the_schema(self) -> None:
        with pytest.raises(ImportRejected, match="schema"):
            imported_evidence({"evidence": {"id": "https://p.fr/a", "name": ["Photos"]}})

    def test_nothing_gives_no_record(self) -> None:
        assert imported_evidence({}) == []
