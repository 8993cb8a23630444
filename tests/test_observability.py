"""Request ids, JSON access lines, Prometheus metrics, and the per-key API rate limit."""

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.orm import Session

from badgeforge.app import create_app
from badgeforge.db import make_engine, make_sessionmaker
from badgeforge.migrate import upgrade
from badgeforge.observability import JsonFormatter, JsonLinesHandler, json_line, sole_json_handler
from badgeforge.security import Scope
from badgeforge.settings import Settings
from tests.conftest import TEST_BASE_URL
from tests.factories import create_badge_class, create_issuer, create_key, create_tenant


class TestRequestId:
    def test_kept_when_valid_replaced_when_not_generated_when_absent(
        self, client: TestClient, session: Session
    ) -> None:
        tenant = create_tenant(session)
        kept = client.get("/api/v1/issuers", headers={**tenant.headers, "X-Request-Id": "abc-1.2"})
        assert kept.headers["X-Request-Id"] == "abc-1.2"
        for bad in ("has space", "x" * 129, "<script>"):
            replaced = client.get("/health", headers={"X-Request-Id": bad})
            assert replaced.headers["X-Request-Id"] != bad
            assert len(replaced.headers["X-Request-Id"]) == 32
        missing = client.get("/no/such/page")
        assert missing.status_code == 404
        assert len(missing.headers["X-Request-Id"]) == 32


class TestAccessLog:
    def test_one_json_line_per_request_with_route_template_and_no_secret(
        self, client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        with caplog.at_level(logging.INFO, logger="badgeforge.access"):
            response = client.get(
                f"/api/v1/issuers/{issuer.id}?secret=hunter2", headers=tenant.headers
            )
        records = [r for r in caplog.records if r.name == "badgeforge.access"]
        assert len(records) == 1
        line = json.loads(JsonFormatter().format(records[0]))
        assert line["route"] == "/api/v1/issuers/{issuer_id}"
        assert line["method"] == "GET"
        assert line["status"] == 200
        assert line["request_id"] == response.headers["X-Request-Id"]
        assert line["key_prefix"] == tenant.token.split("_")[1]
        assert line["duration_ms"] >= 0
        text = JsonFormatter().format(records[0])
        assert tenant.token not in text
        assert "hunter2" not in text
        assert str(issuer.id) not in text  # the template, not the path


class TestSoleJsonHandler:
    """Access lines skip the log record only when the JSON handler alone would get it."""

    @staticmethod
    def chain() -> tuple[logging.Logger, logging.Logger, logging.Logger, JsonLinesHandler]:
        root = logging.Logger("root-test")
        package = logging.Logger("badgeforge-test")
        access = logging.Logger("badgeforge-test.access")
        package.parent, access.parent = root, package
        handler = JsonLinesHandler()
        package.addHandler(handler)
        package.setLevel(logging.INFO)
        return root, package, access, handler

    def test_the_default_set_up_writes_lines_straight_to_the_handler(self) -> None:
        _, _, access, handler = self.chain()
        assert sole_json_handler(access, logging.INFO) is handler

    def test_any_other_set_up_gets_log_records(self) -> None:
        root, package, access, handler = self.chain()
        root.addHandler(logging.NullHandler())
        assert sole_json_handler(access, logging.INFO) is None
        package.propagate = False  # the root's handler is not reached any more
        assert sole_json_handler(access, logging.INFO) is handler
        access.addFilter(lambda record: True)
        assert sole_json_handler(access, logging.INFO) is None

    def test_a_filtered_quieter_or_disabled_handler_is_not_bypassed(self) -> None:
        _, package, access, handler = self.chain()
        handler.setLevel(logging.WARNING)
        assert sole_json_handler(access, logging.INFO) is None
        handler.setLevel(logging.INFO)
        handler.addFilter(lambda record: True)
        assert sole_json_handler(access, logging.INFO) is None
        _, package, access, handler = self.chain()
        package.setLevel(logging.WARNING)
        assert sole_json_handler(access, logging.INFO) is None

    def test_a_straight_line_reads_as_a_formatted_record(self, tmp_path: Path) -> None:
        _, _, access, handler = self.chain()
        with (tmp_path / "log").open("w") as stream:
            handler.setStream(stream)
            fields = {"request_id": "r-1", "method": "GET", "status": 200}
            handler.write_line(json_line(0.0, "info", access.name, "request", fields))
            access.info("request", extra={"fields": fields})
        straight, formatted = (json.loads(line) for line in (tmp_path / "log").open())
        assert straight["time"] == "1970-01-01T00:00:00.000+00:00"
        del straight["time"], formatted["time"]
        assert straight == formatted
        assert list(straight) == list(formatted)


class TestMetrics:
    def test_latency_and_awards_counters(
        self, client: TestClient, session: Session, settings: Settings
    ) -> None:
        tenant = create_tenant(session)
        issuer = create_issuer(session, tenant)
        badge_class = create_badge_class(session, tenant, settings, issuer.id)
        before = _sample(
            client.get("/metrics").text, 'badgeforge_awards_issued_total{source="api"}'
        )
        awarded = client.post(
            "/api/v1/awards",
            json={"badge_class_id": str(badge_class.id), "recipient_email": "m@example.org"},
            headers=tenant.headers,
        )
        assert awarded.status_code == 201
        metrics = client.get("/metrics")
        assert metrics.status_code == 200
        assert metrics.headers["content-type"].startswith("text/plain")
        text = metrics.text
        assert _sample(text, 'badgeforge_awards_issued_total{source="api"}') == before + 1
        assert (
            'badgeforge_http_request_duration_seconds_count{method="POST",'
            'route="/api/v1/awards",status_class="2xx"}'
        ) in text
        for name in ("badgeforge_webhook_deliveries", "badgeforge_queue_depth"):
            assert f"# TYPE {name}" in text
        assert "/metrics" not in client.get("/openapi.json").text

    def test_disabled_or_protected_by_a_token(self, settings: Settings, tmp_path: Path) -> None:
        engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        off = settings.model_copy(update={"metrics_enabled": False})
        with TestClient(create_app(off, engine=engine)) as test_client:
            assert test_client.get("/metrics").status_code == 404
        guarded = settings.model_copy(update={"metrics_token": SecretStr("s3cret")})
        with TestClient(create_app(guarded, engine=engine)) as test_client:
            assert test_client.get("/metrics").status_code == 401
            ok = test_client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
            assert ok.status_code == 200
        engine.dispose()


def _sample(text: str, series: str) -> float:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return 0.0


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[tuple[TestClient, list[str]]]:
    """An app on its own database (its counters commit apart) with 3 API requests a minute."""
    url = f"sqlite:///{tmp_path / 'limited.db'}"
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        tenant = create_tenant(session)
        tokens = [tenant.token, create_key(session, tenant, Scope.READ)]
        session.commit()
    settings = Settings(
        data_dir=tmp_path,
        public_base_url=TEST_BASE_URL,  # type: ignore[arg-type]
        rate_limit_api="3/minute",
    )
    with TestClient(create_app(settings, engine=engine)) as test_client:
        yield test_client, tokens
    engine.dispose()


def test_per_key_api_rate_limit_answers_429_with_headers(
    limited: tuple[TestClient, list[str]],
) -> None:
    client, (first, second) = limited
    headers = {"Authorization": f"Bearer {first}"}
    answers = [client.get("/api/v1/issuers", headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].headers["RateLimit-Policy"] == '"api";q=3;w=60'
    assert answers[2].headers["RateLimit"].startswith('"api";r=0;')
    refused = client.get("/api/v1/awards", headers=headers)  # one quota for every route
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "RateLimit" in refused.headers
    other_key = client.get("/api/v1/issuers", headers={"X-API-Key": second})
    assert other_key.status_code == 200  # per key
