"""One write per response: the head is held and sent with the first body bytes."""

import socket
from collections.abc import Iterator

import pytest

from badgeforge.serving import _HeldHead, _WithHead
from tests.live_server import LiveServer, live_server


class Recorder:
    """A transport that records what is written and whether it was closed."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def get_extra_info(self, name: str) -> str:
        return f"info:{name}"


HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\n"
CANONICAL = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n"


def test_the_head_is_held_with_canonical_names() -> None:
    recorder = Recorder()
    holder = _HeldHead(recorder)  # type: ignore[arg-type]
    holder.write(HEAD)
    assert holder.head == CANONICAL
    assert recorder.writes == []
    assert holder.get_extra_info("peername") == "info:peername"


def test_head_and_body_go_out_in_one_write() -> None:
    recorder = Recorder()
    carrier = _WithHead(recorder, CANONICAL)  # type: ignore[arg-type]
    carrier.write(b"ok")
    carrier.write(b"!")
    carrier.flush()
    assert recorder.writes == [CANONICAL + b"ok", b"!"]


@pytest.mark.parametrize("closing", [True, False])
def test_a_bodiless_answer_still_sends_its_head(closing: bool) -> None:
    recorder = Recorder()
    carrier = _WithHead(recorder, CANONICAL)  # type: ignore[arg-type]
    if closing:
        carrier.close()
    carrier.flush()
    assert recorder.writes == [CANONICAL]
    assert recorder.closed is closing


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("writes")) as running:
        yield running


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_keep_alive_answers_on_the_wire(server: LiveServer, method: str) -> None:
    host, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        for _ in range(2):  # the second answer proves the first one ended where it should
            request = f"{method} /health HTTP/1.1\r\nHost: {host}\r\n\r\n"
            connection.sendall(request.encode())
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200 OK\r\n")
            assert b"\r\nContent-Type: application/json" in head
            length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            expected = 0 if method == "HEAD" else length
            while len(body) < expected:
                body += connection.recv(65536)
            assert len(body) == expected
