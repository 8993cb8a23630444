"""Command line of badgeforge.

``badgeforge serve | migrate | downgrade | demo | create-organisation | create-key |
reseal-keys | openapi``
"""

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from uuid import UUID

from pydantic import AnyHttpUrl

from badgeforge.private_files import create_private_dir, create_private_sqlite_file
from badgeforge.settings import Settings


def _settings() -> Settings:
    settings = Settings()
    if not settings.database_url:
        create_private_dir(settings.data_dir)
    create_private_sqlite_file(settings.resolved_database_url)
    return settings


def _serve(settings: Settings, arguments: argparse.Namespace) -> None:
    from badgeforge.jobs.worker import runs_in_process, start_thread
    from badgeforge.serving import serve_workers

    if runs_in_process(settings):  # SQLite by default: the demo needs no second process
        start_thread(settings)
    serve_workers(
        settings,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        proxy_headers=True,
        forwarded_allow_ips=arguments.forwarded_allow_ips,
    )


def _migrate(settings: Settings) -> None:
    """Upgrade the schema, then issue (sign and freeze) awards made before issuance existed."""
    from badgeforge.db import make_engine, make_sessionmaker
    from badgeforge.issuance.service import backfill
    from badgeforge.migrate import upgrade
    from badgeforge.signing.vault import vault_from_settings

    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    with make_sessionmaker(engine, writer=True)() as session, session.begin():
        issued = backfill(session, vault_from_settings(settings), settings.base_url)
    engine.dispose()
    if issued:
        _print(f"issued {issued} earlier award(s) in every format under {settings.base_url}")


def _reseal_keys(settings: Settings) -> None:
    from badgeforge.db import make_engine, make_sessionmaker
    from badgeforge.signing.service import reseal_all
    from badgeforge.signing.vault import vault_from_settings
    from badgeforge.webhooks.signing import reseal_all as reseal_webhook_secrets

    engine = make_engine(settings.resolved_database_url)
    vault = vault_from_settings(settings)
    with make_sessionmaker(engine, writer=True)() as session, session.begin():
        count = reseal_all(session, vault)
        secrets = reseal_webhook_secrets(session, vault)
    engine.dispose()
    _print(
        f"{count} private key(s) and {secrets} webhook secret(s) re-encrypted "
        "under the first master key"
    )


def _print(*lines: str) -> None:
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


def _demo(settings: Settings, arguments: argparse.Namespace) -> None:
    from badgeforge.db import make_engine, make_sessionmaker
    from badgeforge.demo import seed

    host, port = arguments.host, arguments.port
    if "public_base_url" not in settings.model_fields_set:
        public_host = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host  # noqa: S104
        settings = settings.model_copy(
            update={"public_base_url": AnyHttpUrl(f"http://{public_host}:{port}")}
        )
    _migrate(settings)
    engine = make_engine(settings.resolved_database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        demo = seed(session, settings)
    engine.dispose()
    base = settings.base_url
    revoked = ["  (the demo key printed by the previous start is now revoked)"]
    _print(
        "",
        "badgeforge demo is ready.",
        f"  Admin API key (shown once): {demo.admin_key}",
        *(revoked if demo.revoked_keys else []),
        f"  Swagger UI:                 {base}/docs  (click Authorize, paste the key)",
        f"  Demo issuer:                {base}/ob2/issuers/{demo.issuer_id}",
        f"  Demo badge class:           {base}/ob2/badge-classes/{demo.badge_class_id}",
        "",
        "Award the demo badge:",
        f"  curl -sS -X POST {base}/api/v1/awards \\",
        f"    -H 'Authorization: Bearer {demo.admin_key}' \\",
        "    -H 'Content-Type: application/json' \\",
        f'    -d \'{{"badge_class_id": "{demo.badge_class_id}", '
        '"recipient_email": "apprenant@example.org"}\'',
        "",
    )
    _serve(settings, arguments)


def _create_organisation(settings: Settings, name: str) -> None:
    from badgeforge.access import service
    from badgeforge.db import make_engine, make_sessionmaker
    from badgeforge.security import Scope

    engine = make_engine(settings.resolved_database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        organisation = service.create_organisation(session, name)
        _, token = service.create_key(session, organisation.id, "admin", [Scope.ADMIN])
    engine.dispose()
    _print(f"organisation {organisation.id} created", f"admin API key (shown once): {token}")


def _create_key(settings: Settings, organisation: UUID, name: str, scopes: list[str]) -> None:
    from badgeforge.access import service
    from badgeforge.access.models import Organisation
    from badgeforge.db import make_engine, make_sessionmaker
    from badgeforge.security import Scope

    engine = make_engine(settings.resolved_database_url)
    with make_sessionmaker(engine)() as session, session.begin():
        if session.get(Organisation, organisation) is None:
            raise SystemExit(f"no organisation {organisation}")
        _, token = service.create_key(session, organisation, name, [Scope(s) for s in scopes])
    engine.dispose()
    _print(f"API key (shown once): {token}")


def openapi_json(settings: Settings) -> str:
    """The OpenAPI document, as committed in ``openapi/openapi.json``."""
    import json

    from badgeforge.app import create_app
    from badgeforge.db import make_engine

    engine = make_engine("sqlite://")
    document = create_app(settings, engine=engine).openapi()
    engine.dispose()
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="badgeforge", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("serve", "migrate the database, then serve the API"),
        ("demo", "migrate, create the demo organisation, print a key, then serve"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("--host", default="127.0.0.1")
        command.add_argument("--port", type=int, default=8000)
        command.add_argument(
            "--workers",
            type=int,
            default=1,
            help="server processes (several share the database and rate limits; see "
            "docs/production.md)",
        )
        command.add_argument(
            "--forwarded-allow-ips",
            default=None,
            help="addresses of the reverse proxies whose X-Forwarded-For/-Proto are trusted "
            "(comma-separated, '*' for any; default: $FORWARDED_ALLOW_IPS or 127.0.0.1)",
        )
    commands.add_parser(
        "migrate",
        help="upgrade the database schema to the latest version and issue earlier awards",
    )
    commands.add_parser(
        "reseal-keys",
        help="re-encrypt every issuer private key under the first of BADGEFORGE_MASTER_KEYS",
    )
    commands.add_parser("openapi", help="print the OpenAPI document of the HTTP API")
    commands.add_parser(
        "worker", help="run background work (webhook deliveries, expiry scan) until SIGTERM"
    )
    down = commands.add_parser("downgrade", help="downgrade the schema to a revision")
    down.add_argument("revision", help="an Alembic revision, or 'base' for an empty schema")
    org = commands.add_parser("create-organisation", help="create a tenant and its admin key")
    org.add_argument("name")
    key = commands.add_parser("create-key", help="create an API key for an organisation")
    key.add_argument("--organisation", type=UUID, required=True)
    key.add_argument("--name", required=True)
    key.add_argument(
        "--scope",
        dest="scopes",
        action="append",
        required=True,
        choices=["read", "issue", "manage", "admin"],
    )
    batch = commands.add_parser(
        "award-batch",
        help="award a badge class to every recipient of a CSV file (email/courriel, "
        "narrative/récit, evidence_url, evidence_name, issued_on/date), with a progress bar; "
        "exits 1 if some row failed",
    )
    batch.add_argument("file", type=Path)
    batch.add_argument("--badge-class", type=UUID, required=True)
    batch.add_argument("--organisation", type=UUID, default=None)
    batch.add_argument("--ob3-proof", choices=["data-integrity", "vc-jwt"], default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``badgeforge`` console script."""
    arguments = build_parser().parse_args(argv)
    settings = _settings()
    if arguments.command == "serve":
        _migrate(settings)
        _serve(settings, arguments)
    elif arguments.command == "demo":
        _demo(settings, arguments)
    elif arguments.command == "migrate":
        _migrate(settings)
    elif arguments.command == "downgrade":
        from badgeforge.migrate import downgrade

        downgrade(settings.resolved_database_url, arguments.revision)
    elif arguments.command == "create-organisation":
        _migrate(settings)
        _create_organisation(settings, arguments.name)
    elif arguments.command == "openapi":
        _print(openapi_json(settings))
    elif arguments.command == "create-key":
        _create_key(settings, arguments.organisation, arguments.name, arguments.scopes)
    elif arguments.command == "reseal-keys":
        _reseal_keys(settings)
    elif arguments.command == "worker":
        from badgeforge.jobs.worker import run_process

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        run_process(settings)
    elif arguments.command == "award-batch":
        from badgeforge.batches.cli import award_batch

        sys.exit(
            award_batch(
                settings,
                arguments.file,
                arguments.badge_class,
                arguments.organisation,
                arguments.ob3_proof,
            )
        )


if __name__ == "__main__":
    main()
