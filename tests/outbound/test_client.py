"""The fetcher's own HTTP/1.1 client: keep-alive reuse, a closed idle connection retried,
chunked and compressed bodies, and encodings nobody asked for."""

import gzip
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from badgeforge.core.fetching import FetchError, FetchTimeout, ResponseTooLarge, Unreachable
from badgeforge.outbound import OutboundFetcher

from .conftest import LoopbackOnly

JSON = "application/json"
BODY = b'{"id": "https://partner.example/badge"}'


class KeepAliveServer:
    """HTTP/1.1 with persistent connections; counts the connections it accepted."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                server.connections += 1
                super().setup()

            def do_GET(self) -> None:
                server.requests.append(dict(self.headers.items()))
                name = self.path.strip("/").split("?")[0]
                getattr(self, f"answer_{name}", self.answer_json)()

            def reply(self, body: bytes, **headers: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", JSON)
                for header, value in headers.items():
                    self.send_header(header.replace("_", "-"), value)
                if "Transfer_Encoding" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def answer_json(self) -> None:
                self.reply(BODY)

            def answer_chunked(self) -> None:
                chunks = [BODY[:10], BODY[10:]]
                encoded = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
                self.reply(encoded, Transfer_Encoding="chunked")

            def answer_gzip(self) -> None:
                self.reply(gzip.compress(BODY), Content_Encoding="gzip")

            def answer_deflate(self) -> None:
                self.reply(zlib.compress(BODY), Content_Encoding="deflate")

            def answer_brotli(self) -> None:
                self.reply(b"\x0b\x02\x80", Content_Encoding="br")

            def answer_bigzip(self) -> None:
                self.reply(gzip.compress(b" " * 5000), Content_Encoding="gzip")

            def answer_close(self) -> None:
                self.reply(BODY, Connection="close")
                self.close_connection = True

            def answer_linger(self) -> None:  # keep-alive said, then closed once answered
                self.reply(BODY)
                self.close_connection = True

            def answer_continue(self) -> None:
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                self.reply(BODY)

            def answer_garbage(self) -> None:
                self.wfile.write(b"SMTP ready\r\n\r\n")
                self.close_connection = True

            def answer_headers(self) -> None:
                self.send_response(200)
                for index in range(101):
                    self.send_header(f"X-{index}", "y")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def answer_truncated(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", JSON)
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.write(b"{")
                self.close_connection = True

            def answer_stall(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", JSON)
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.write(b"{")
                self.wfile.flush()
                threading.Event().wait(2)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture(scope="module")
def keep_alive() -> Iterator[KeepAliveServer]:
    running = KeepAliveServer()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


@pytest.fixture
def fetcher(make_fetcher: Callable[..., OutboundFetcher]) -> OutboundFetcher:
    return make_fetcher(allow_loopback=True)


def test_one_connection_serves_many_fetches(
    keep_alive: KeepAliveServer, fetcher: OutboundFetcher, network: LoopbackOnly
) -> None:
    before = keep_alive.connections
    for _ in range(5):
        assert fetcher.get(keep_alive.url("/json"), accept=JSON).body == BODY
    assert keep_alive.connections - before == 1
    assert network.connected == ["127.0.0.1"]  # checked once, on its only connect


def test_what_is_sent(keep_alive: KeepAliveServer, fetcher: OutboundFetcher) -> None:
    fetcher.get(keep_alive.url("/json?a=b c&é=1"), accept=JSON)
    sent = keep_alive.requests[-1]
    assert sent["Host"] == f"127.0.0.1:{keep_alive.port}"
    assert sent["Accept"] == JSON
    assert sent["Accept-Encoding"] == "gzip, deflate"
    assert sent["User-Agent"].startswith("badgeforge-verifier/")
    assert "Cookie" not in sent


def test_a_connection_the_server_closes_is_not_reused(
    keep_alive: KeepAliveServer, fetcher: OutboundFetcher
) -> None:
    before = keep_alive.connections
    fetcher.get(keep_alive.url("/close"), accept=JSON)
    fetcher.get(keep_alive.url("/json"), accept=JSON)
    assert keep_alive.connections - before == 2


def test_an_idle_connection_closed_meanwhile_is_retried_once(
    keep_alive: KeepAliveServer, fetcher: OutboundFetcher
) -> None:
    fetcher.get(keep_alive.url("/json"), accept=JSON)
    idle = fetcher._pool._idle  # the connection kept for reuse, closed under its feet
    (connection,) = next(iter(idle.values()))
    connection.shutdown()
    assert fetcher.get(keep_alive.url("/json"), accept=JSON).body == BODY


def test_a_connection_the_server_drops_unannounced_is_retried(
    keep_alive: KeepAliveServer, fetcher: OutboundFetcher
) -> None:
    before = keep_alive.connections
    assert fetcher.get(keep_alive.url("/linger"), accept=JSON).body == BODY
    time.sleep(0.05)  # the server has closed its end by now
    assert fetcher.get(keep_alive.url("/json"), accept=JSON).body == BODY
    assert keep_alive.connections - before == 2


def test_an_interim_answer_is_skipped(
    keep_alive: KeepAliveServer, fetcher: OutboundFetcher
) -> None:
    fetched = fetcher.get(keep_alive.url("/continue"), accept=JSON)
    assert (fetched.status, fetched.body) == (200, BODY)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/garbage", "is not HTTP/1.x"),
        ("/headers", "more than 100 headers"),
        ("/truncated", "in the middle of its answer"),
    ],
)
def test_answers_that_cannot_be_read(
    path: str, message: str, keep_alive: KeepAliveServer, fetcher: OutboundFetcher
) -> None:
    with pytest.raises(Unreachable, match=message):
        fetcher.get(keep_alive.url(path), accept=JSON)


def test_a_header_with_a_line_break_is_not_sent(
    keep_alive: KeepAliveServer, fetcher: OutboundFetcher
) -> None:
    before = len(keep_alive.requests)
    with pytest.raises(FetchError, match="control character"):
        fetcher.get(keep_alive.url("/json"), accept="application/json\r\nX-Injected: 1")
    assert len(keep_alive.requests) == before


@pytest.mark.parametrize("path", ["/chunked", "/gzip", "/deflate"])
def test_chunked_and_compressed_bodies_are_read(
    path: str, keep_alive: KeepAliveServer, fetcher: OutboundFetcher
) -> None:
    fetched = fetcher.get(keep_alive.url(path), accept=JSON)
    assert fetched.body == BODY
    assert fetcher.get(keep_alive.url("/json"), accept=JSON).body == BODY  # still in step


def test_an_encoding_not_asked_for_is_refused(
    keep_alive: KeepAliveServer, fetcher: OutboundFetcher
) -> None:
    with pytest.raises(FetchError, match="encoding not asked for"):
        fetcher.get(keep_alive.url("/brotli"), accept=JSON)


def test_the_cap_applies_to_the_decompressed_body(
    keep_alive: KeepAliveServer, fetcher: OutboundFetcher
) -> None:
    assert len(fetcher.get(keep_alive.url("/bigzip"), accept=JSON, max_bytes=5000).body) == 5000
    with pytest.raises(ResponseTooLarge, match="4999"):
        fetcher.get(keep_alive.url("/bigzip"), accept=JSON, max_bytes=4999)


def test_a_stalled_body_ends_at_the_deadline(
    keep_alive: KeepAliveServer, make_fetcher: Callable[..., OutboundFetcher]
) -> None:
    fetcher = make_fetcher(allow_loopback=True, read_timeout=5, total_timeout=0.3)
    with pytest.raises(FetchTimeout):
        fetcher.get(keep_alive.url("/stall"), accept=JSON)
    assert fetcher.get(keep_alive.url("/json"), accept=JSON).body == BODY
