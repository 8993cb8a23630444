"""The serving configuration: canonical header names with httptools, no Nagle stall,
several worker processes sharing one database, each with its own listening socket."""

import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from badgeforge.core.keys import KeyVault
from badgeforge.serving import CanonicalHttpToolsProtocol, canonical_head, uvicorn_config
from badgeforge.supervisor import EARLY_DEATH_SECONDS
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


@dataclass(frozen=True)
class Served:
    port: int
    pid: int
    started: float
    log: Path

    def workers(self) -> list[int]:
        """The worker processes: the server's children started by ``multiprocessing``."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if parent == self.pid and b"spawn_main" in command:
                found.append(int(entry.name))
        return sorted(found)

    def connections(self, pid: int) -> int:
        """How many established connections to the port process ``pid`` holds."""
        inodes = set()
        for descriptor in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(descriptor)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        count = 0
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == self.port and fields[3] == "01" and fields[9] in inodes:
                    count += 1
        return count


@contextlib.contextmanager
def served_workers(data: Path) -> Iterator[tuple[Served, subprocess.Popen[bytes]]]:
    """``badgeforge serve --workers 2`` on a fresh SQLite database under ``data``."""
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
        yield Served(port, server.pid, time.monotonic(), data / "server.log"), server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``badgeforge serve --workers 2`` on a fresh SQLite database."""
    with served_workers(tmp_path_factory.mktemp("workers")) as (served, _):
        yield served


def test_sigint_stops_every_process_cleanly(tmp_path: Path) -> None:
    with served_workers(tmp_path) as (served, server):
        children = served.workers()
        assert httpx.get(f"http://127.0.0.1:{served.port}/health").status_code == 200
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in children)
    log = served.log.read_text()
    assert "Traceback" not in log, log
    assert log.count("Application shutdown complete") == 2, log


def test_workers_stop_when_their_parent_is_killed(tmp_path: Path) -> None:
    with served_workers(tmp_path) as (served, server):
        children = served.workers()
        assert len(children) == 2
        server.kill()  # SIGKILL: the parent cannot stop them itself
        server.wait()
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{pid}").exists() for pid in children):
            assert time.monotonic() < deadline, "orphaned workers still run"
            time.sleep(0.2)


class TestSeveralWorkers:
    def test_a_burst_of_connections_is_dealt_in_turn(self, workers: Served) -> None:
        # The parent hands each new connection to the next worker. With one shared socket
        # the first worker awake took them all (wrk: half the rate); with one socket per
        # worker the kernel's hash gave one worker all of a few connections now and then.
        assert len(workers.workers()) == 2
        burst = [socket.create_connection(("127.0.0.1", workers.port)) for _ in range(24)]
        try:
            for connection in burst:
                connection.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            for connection in burst:
                assert connection.recv(65536).startswith(b"HTTP/1.1 200")
            held = [workers.connections(pid) for pid in workers.workers()]
            assert sum(held) == 24
            assert max(held) - min(held) <= 1, held
        finally:
            for connection in burst:
                connection.close()

    def test_each_request_writes_one_json_access_line(self, workers: Served) -> None:
        request_id = f"serving-{time.monotonic_ns()}"
        url = f"http://127.0.0.1:{workers.port}/ob2/assertions/{uuid.uuid4()}?secret=x"
        assert httpx.get(url, headers={"X-Request-Id": request_id}).status_code == 404
        deadline = time.monotonic() + 5
        while request_id not in workers.log.read_text():
            assert time.monotonic() < deadline, "no access line"
            time.sleep(0.05)
        (line,) = [
            json.loads(text) for text in workers.log.read_text().splitlines() if request_id in text
        ]
        assert set(line) == {
            "time",
            "level",
            "logger",
            "message",
            "request_id",
            "method",
            "route",
            "status",
            "duration_ms",
            "key_prefix",
        }
        assert line["logger"] == "badgeforge.access"
        assert line["route"] == "/ob2/assertions/{award_id}"
        assert (line["method"], line["status"], line["key_prefix"]) == ("GET", 404, None)
        assert line["time"].endswith("+00:00")

    def test_no_nagle_stall_at_low_concurrency(self, workers: Served) -> None:
        latencies = keep_alive_latencies(workers.port, "/health", 40)
        # A Nagle/delayed-ACK stall costs about 40 ms per request, every request.
        assert statistics.median(latencies) < 0.02, latencies

    def test_header_names_are_canonical(self, workers: Served) -> None:
        with socket.create_connection(("127.0.0.1", workers.port), timeout=10) as connection:
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

    def test_a_worker_that_dies_is_replaced(self, workers: Served) -> None:
        # (last: it waits until the workers are past their start, when a death stops all)
        time.sleep(max(0.0, EARLY_DEATH_SECONDS + 0.5 - (time.monotonic() - workers.started)))
        victim = workers.workers()[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not (len(workers.workers()) == 2 and victim not in workers.workers()):
            assert time.monotonic() < deadline, workers.workers()
            time.sleep(0.2)
        for _ in range(10):
            with httpx.Client(base_url=f"http://127.0.0.1:{workers.port}") as client:
                assert client.get("/health").status_code == 200
