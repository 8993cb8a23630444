"""Observability: a request id on every request, one JSON log line per request, Prometheus
metrics at ``/metrics``.

- ``X-Request-Id``: a client's value is kept when it looks like an id (1-128 characters of
  letters, digits and ``._:-``), else a new one is made; it is answered on every response,
  written on the request's log line and in the audit log (``current_request_id()``).
- Logs: every ``badgeforge`` logger writes JSON lines to stderr, each with the request id
  of the request it happened in. The access line has the method, the route *template*
  (never the query string), the status, the duration in ms and the API key's public
  prefix (never a secret).
- Metrics: the objects below are shared by every module (webhooks, batches, awards). They
  are per process, unless ``PROMETHEUS_MULTIPROC_DIR`` is set before the processes start
  (prometheus_client's multiprocess mode), in which case ``/metrics`` sums every process.
  ``/metrics`` is served when ``BADGEFORGE_METRICS_ENABLED`` (default true); with
  ``BADGEFORGE_METRICS_TOKEN`` set it needs ``Authorization: Bearer <token>``.
"""

import hmac
import json
import logging
import os
import re
import sys
import time
from contextlib import nullcontext
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.applications import Starlette
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from badgeforge.problems import NotFound, Unauthorized
from badgeforge.security import bearer_token, parse_prefix, sent_key

REQUEST_ID_HEADER = "X-Request-Id"
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")
_request_id: ContextVar[str | None] = ContextVar("badgeforge_request_id", default=None)
access_logger = logging.getLogger("badgeforge.access")

# --------------------------------------------------------------------------------- metrics

HTTP_REQUEST_DURATION = Histogram(
    "badgeforge_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template, method and status class.",
    ["method", "route", "status_class"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
AWARDS_ISSUED = Counter(
    "badgeforge_awards_issued",
    "Awards issued (every format), by source: api or batch.",
    ["source"],
)
WEBHOOK_DELIVERIES = Counter(
    "badgeforge_webhook_deliveries",
    "Webhook delivery attempts, by outcome: delivered, failed (will retry), gave_up.",
    ["outcome"],
)
QUEUE_DEPTH = Gauge(
    "badgeforge_queue_depth",
    "Jobs waiting in a queue (webhook deliveries, batch rows), as last seen by a worker.",
    ["queue"],
    multiprocess_mode="max",
)
BATCH_ROWS = Counter(
    "badgeforge_batch_rows_processed",
    "Award batch rows processed, by outcome: awarded, failed, skipped.",
    ["outcome"],
)
BATCHES_RUNNING = Gauge(
    "badgeforge_batches_running",
    "Award batches not yet finished, as last seen by a worker.",
    multiprocess_mode="max",
)
BATCH_ROWS_PENDING = Gauge(
    "badgeforge_batch_rows_pending",
    "Rows of unfinished award batches still to process, as last seen by a worker.",
    multiprocess_mode="max",
)


def metrics_text() -> bytes:
    """The Prometheus exposition of this process (or of all, in multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


metrics_router = APIRouter(include_in_schema=False)


@metrics_router.get("/metrics")
def get_metrics(request: Request) -> Response:
    """Prometheus metrics (not part of the API contract)."""
    settings = request.app.state.settings
    if not settings.metrics_enabled:
        raise NotFound("Metrics are disabled (BADGEFORGE_METRICS_ENABLED=false).")
    token = settings.metrics_token.get_secret_value()
    if token:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            raise Unauthorized("The metrics need 'Authorization: Bearer <metrics token>'.")
    return Response(metrics_text(), media_type=CONTENT_TYPE_LATEST)


# ------------------------------------------------------------------------------ request id


def current_request_id() -> str | None:
    """The id of the request being handled (None outside a request: CLI, worker)."""
    return _request_id.get()


def request_id_from(header: bytes | None) -> str:
    """The client's request id if it is a plausible id, else a new random one."""
    if header is not None:
        text = header.decode("latin-1").strip()
        if _VALID_ID.fullmatch(text):
            return text
    return os.urandom(16).hex()  # 128 random bits, as uuid4().hex but a third of the cost


# ---------------------------------------------------------------------------------- logging


def json_line(created: float, level: str, logger: str, message: str, fields: dict[str, Any]) -> str:
    """One log line: time, level, logger, message, then ``fields`` (request id first)."""
    line: dict[str, Any] = {
        "time": datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds"),
        "level": level,
        "logger": logger,
        "message": message,
    }
    line.update(fields)
    return json.dumps(line, ensure_ascii=False, default=str)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, fields."""

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = {}
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            fields["request_id"] = request_id
        fields.update(getattr(record, "fields", {}))
        if record.exc_info:
            fields["error"] = self.formatException(record.exc_info)
        level = record.levelname.lower()
        return json_line(record.created, level, record.name, record.getMessage(), fields)


class JsonLinesHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The JSON handler ``configure_logging`` installs; it can also take a line as it is."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(JsonFormatter())

    def write_line(self, line: str) -> None:
        """Write one formatted line (as ``emit`` would, without a log record)."""
        with self.lock or nullcontext():
            try:
                self.stream.write(line + self.terminator)
                self.flush()
            except (OSError, ValueError):  # stderr closed or gone: as logging, carry on
                pass


def configure_logging(level: int = logging.INFO) -> None:
    """Send the ``badgeforge`` loggers to stderr as JSON lines (once per process)."""
    logger = logging.getLogger("badgeforge")
    if any(isinstance(h, JsonLinesHandler) for h in logger.handlers):
        return
    logger.addHandler(JsonLinesHandler())
    logger.setLevel(level)


def sole_json_handler(logger: logging.Logger, level: int) -> JsonLinesHandler | None:
    """The ``JsonLinesHandler`` that alone would write ``logger``'s records of ``level``, or
    None when the record would go anywhere else too (another handler, a filter, pytest's
    capture), or nowhere.

    The access line is written straight to it: the same line, without the log record, the
    caller lookup and the formatter around it (a third of the line's cost per request).
    """
    if not logger.isEnabledFor(level):
        return None
    found: JsonLinesHandler | None = None
    current: logging.Logger | None = logger
    while current is not None:
        if current.filters:
            return None
        for handler in current.handlers:
            if (
                found is not None
                or type(handler) is not JsonLinesHandler
                or handler.filters
                or handler.level > level
            ):
                return None
            found = handler
        current = current.parent if current.propagate else None
    return found


# ------------------------------------------------------------------------------- middleware


def _key_prefix(headers: dict[bytes, bytes]) -> str | None:
    authorization, header = headers.get(b"authorization"), headers.get(b"x-api-key")
    token = sent_key(
        bearer_token(authorization.decode("latin-1") if authorization is not None else None),
        header.decode("latin-1") if header is not None else None,
    )
    return parse_prefix(token) if token else None


class Observability:
    """Outermost layer: request id in and out, timing, access log line, latency metric."""

    def __init__(self, app: ASGIApp, routes: Starlette) -> None:
        self.app = app
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = request_id_from(headers.get(b"x-request-id"))
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra = (REQUEST_ID_HEADER.encode(), request_id.encode())
                message = {**message, "headers": [*message.get("headers", []), extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._observe(scope, headers, status, time.perf_counter() - started)
            _request_id.reset(token)

    def _observe(
        self, scope: Scope, headers: dict[bytes, bytes], status: int, seconds: float
    ) -> None:
        route = self._route(scope)
        _latency(scope["method"], route, status // 100).observe(seconds)
        fields = {
            "request_id": current_request_id(),
            "method": scope["method"],
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "key_prefix": _key_prefix(headers),
        }
        handler = sole_json_handler(access_logger, logging.INFO)
        if handler is None:  # any other logging set-up gets a log record, as every logger
            access_logger.info("request", extra={"fields": fields})
            return
        line = json_line(time.time(), "info", access_logger.name, "request", fields)
        handler.write_line(line)

    def _route(self, scope: Scope) -> str:
        """The matched route's template (bounded label set), or ``unmatched``."""
        route = scope.get("route")
        if route is None:  # HEAD is routed on a copy of the scope (HeadAsGet)
            probe = {**scope, "method": "GET"} if scope["method"] == "HEAD" else scope
            route = next((r for r in self.routes.routes if r.matches(probe)[0] is Match.FULL), None)
        path = getattr(route, "path", None)
        return path if isinstance(path, str) and path else "unmatched"


@lru_cache(maxsize=4096)
def _latency(method: str, route: str, status_class: int) -> Histogram:
    """The latency histogram's child for these labels (``labels()`` costs a lookup and a lock)."""
    return HTTP_REQUEST_DURATION.labels(method, route, f"{status_class}xx")


def install_observability(app: Starlette) -> None:
    """Make Observability the outermost layer of ``app`` (around the response headers)."""
    configure_logging()
    build_stack = app.build_middleware_stack

    def build_observed() -> ASGIApp:
        return Observability(build_stack(), app)

    app.build_middleware_stack = build_observed  # type: ignore[method-assign]
