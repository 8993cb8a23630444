"""Independent documents are fetched at the same time, once each, failures remembered."""

import threading

import pytest

from badgeforge.core import status_list
from badgeforge.core.fetching import Fetched
from badgeforge.core.verification import Verdict, verify
from badgeforge.core.verification.context import ACCEPT_JSON, Session, Unfetchable
from badgeforge.core.verification.status import ACCEPT_STATUS
from tests.core.verification.world import (
    URL_STYLE,
    MemoryFetcher,
    credential,
    options,
    publish_issuers,
    publish_ob2,
    publish_status_list,
    sign_di,
    signed_ob2,
)


class Rendezvous(MemoryFetcher):
    """Answers ``together`` only once all of them are asked at the same moment."""

    def __init__(self, together: set[str]) -> None:
        super().__init__()
        self.together = together
        self.barrier = threading.Barrier(len(together), timeout=5)
        self.accepts: dict[str, str] = {}

    def get(self, url: str, *, accept: str, max_bytes: int = 1_048_576) -> Fetched:
        self.accepts.setdefault(url, accept)
        if url in self.together:
            self.barrier.wait()  # BrokenBarrierError (a failed test) if fetched one by one
        return super().get(url, accept=accept, max_bytes=max_bytes)


@pytest.fixture
def world() -> MemoryFetcher:
    fetcher = MemoryFetcher()
    publish_issuers(fetcher)
    return fetcher


def test_a_signed_badge_fetches_its_badge_class_and_key_together(world: MemoryFetcher) -> None:
    token = signed_ob2(publish_ob2(world))
    probe = MemoryFetcher()
    verify(token, options(probe))  # which URLs: the first two asked are the independent ones
    badge_class, key = probe.calls[:2]
    web = Rendezvous({badge_class, key})
    web.pages = world.pages
    report = verify(token, options(web))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]
    assert sorted(web.calls) == sorted(set(web.calls))  # each document once


def test_a_credential_fetches_its_key_and_status_list_together(world: MemoryFetcher) -> None:
    list_url = publish_status_list(world, URL_STYLE)
    document = sign_di(credential(URL_STYLE, status_list.status_entry(list_url, 7)), URL_STYLE)
    key = document["proof"]["verificationMethod"].split("#")[0]
    web = Rendezvous({key, list_url})
    web.pages = world.pages
    report = verify(document, options(web))
    assert report.verdict is Verdict.VALID, report.to_json()["checks"]
    assert web.accepts[list_url] == ACCEPT_STATUS  # as the status check itself asks
    assert web.accepts[key] == ACCEPT_JSON


def test_a_failed_prefetch_is_reported_by_the_check_and_not_fetched_again() -> None:
    web = MemoryFetcher()
    web.put("https://ok.example/a", {"id": "a"})
    session = Session(options(web))
    session.prefetch(
        [("https://ok.example/a", ACCEPT_JSON), ("https://down.example/b", ACCEPT_JSON)]
    )
    assert session.fetch_json("https://ok.example/a") == {"id": "a"}
    with pytest.raises(Unfetchable, match="cannot connect"):
        session.fetch("https://down.example/b")
    assert sorted(web.calls) == ["https://down.example/b", "https://ok.example/a"]
    session.prefetch([("did:web:x.example", ACCEPT_JSON), (None, ACCEPT_JSON)])  # not HTTP
    assert session.fetches == 2
