"""A real webhook receiver on 127.0.0.1: verifies each POST with ``standardwebhooks``."""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    webhook_id: str
    verified_with: list[int]
    body: dict[str, Any] | None
    signatures: int


@dataclass
class Receiver:
    """What arrived, and how to answer: ``answer(n)`` gives (status, delay) for request n."""

    secrets: list[str]
    answer: Callable[[int], tuple[int, float]] = lambda _n: (200, 0.0)
    received: list[Received] = field(default_factory=list)
    in_flight: dict[str, int] = field(default_factory=dict)
    overlaps: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def ids(self) -> list[str]:
        with self.lock:
            return [item.webhook_id for item in self.received]

    def wait_for(self, count: int, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > end:
                raise AssertionError(f"{len(self.received)} deliveries, expected {count}")
            time.sleep(0.02)


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = dict(self.headers.items())
            webhook_id = headers.get("webhook-id", "")
            verified, body = [], None
            for index, secret in enumerate(receiver.secrets):
                try:
                    body = Webhook(secret).verify(data, headers)
                    verified.append(index)
                except WebhookVerificationError:
                    pass
            with receiver.lock:
                number = len(receiver.received)
                if receiver.in_flight.get(webhook_id):
                    receiver.overlaps.append(webhook_id)
                receiver.in_flight[webhook_id] = receiver.in_flight.get(webhook_id, 0) + 1
                signatures = len(headers.get("webhook-signature", "").split())
                receiver.received.append(Received(webhook_id, verified, body, signatures))
            status, delay = receiver.answer(number)
            time.sleep(delay)
            with receiver.lock:
                receiver.in_flight[webhook_id] -= 1
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass

    return Handler


@contextmanager
def receiving(receiver: Receiver) -> Iterator[Receiver]:
    """Serve ``receiver`` on a free loopback port until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
