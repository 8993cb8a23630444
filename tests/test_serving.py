"""The serving configuration: canonical header names with httptools, no Nagle stall,
several worker processes sharing one database."""

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from badgeforge.core.keys import KeyVault
from badgeforge.serving import CanonicalHttpToolsProtocol, canonical_head, uvicorn_config
from tests.live_server import free_port
from tests.test_wire_headers import CANONICAL_NAME, header_names


class TestCanonicalHead:
    def test_names_are_rewritten_values_kept(self) -> None:
        head = (
            b"HTTP/1.1 200 OK\r\ndate: Tue, 01 Dec 2026 10:00:00 GMT\r\ncontent-type: "
            b'text/plain; charset=x-Lower\r\netag: "a:b"\r\nconnection: close\r\n\r\n'
        )
        assert canonical_head(head) == (
            b"HTTP/1.1 200 OK\r\nDate: Tue, 01 Dec 2026 10:00:00 GMT\r\nContent-Type: "
            b'text/plain; charset=x-Lower\r\nETag: "a:b"\r\nConnection: close\r\n\r\n'
        )

    def test_the_configuration_uses_the_canonical_protocol(self) -> None:
        async def app(scope: object, receive: object, send: object) -> None:
            return None

        config = uvicorn_config(app, host="127.0.0.1", port=1)
        assert config.http is CanonicalHttpToolsProtocol
        assert config.server_header is False


def keep_alive_latencies(port: int, path: str, count: int) -> list[float]:
    """Seconds per request, sequential, on one keep-alive connection (the stall shows here)."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    latencies = []
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        for _ in range(count):
            started = time.perf_counter()
            connection.sendall(request)
            received = b""
            while b"\r\n\r\n" not in received:
                received += connection.recv(65536)
            head, _, body = received.partition(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            while len(body) < length:
                body += connection.recv(65536)
            latencies.append(time.perf_counter() - started)
    return latencies


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``badgeforge serve --workers 2`` on a fresh SQLite database."""
    data = tmp_path_factory.mktemp("workers")
    port = free_port()
    environment = {
        **os.environ,
        "BADGEFORGE_DATA_DIR": str(data),
        "BADGEFORGE_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "BADGEFORGE_MASTER_KEYS": KeyVault.generate_master_key(),
    }
    command = [sys.executable, "-m", "badgeforge", "serve", "--port", str(port), "--workers", "2"]
    with Path(data / "server.log").open("wb") as log:
        server = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, (data / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield port
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class TestSeveralWorkers:
    def test_two_processes_answer(self, workers: int) -> None:
        # Connections are spread over both workers; each has its own app and engine.
        for _ in range(20):
            with httpx.Client(base_url=f"http://127.0.0.1:{workers}") as client:
                assert client.get("/health").json()["status"] == "ok"

    def test_no_nagle_stall_at_low_concurrency(self, workers: int) -> None:
        latencies = keep_alive_latencies(workers, "/health", 40)
        # A Nagle/delayed-ACK stall costs about 40 ms per request, every request.
        assert statistics.median(latencies) < 0.02, latencies

    def test_header_names_are_canonical(self, workers: int) -> None:
        with socket.create_connection(("127.0.0.1", workers), timeout=10) as connection:
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            received = b""
            while chunk := connection.recv(65536):
                received += chunk
        head = received.partition(b"\r\n\r\n")[0] + b"\r\n"
        names = header_names(head)
        assert b"Content-Type" in names
        assert b"Date" in names
        for name in names:
            assert CANONICAL_NAME.fullmatch(name), head
