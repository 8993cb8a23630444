"""Shared helpers of the benchmarks: databases, a tenant with a badge class, statistics, tables.

Not a benchmark itself; ``bench_awards.py``, ``bench_http.py`` and ``bench_issuance.py``
import it (the scripts run as ``python bench/<script>.py``, so this folder is on
``sys.path``).
"""

from __future__ import annotations

import os
import platform
import statistics
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from badgeforge.access import service as access_service
from badgeforge.awards.schemas import AwardCreate
from badgeforge.badge_classes import service as badge_class_service
from badgeforge.badge_classes.schemas import BadgeClassCreate
from badgeforge.core.keys import KeyVault
from badgeforge.issuers import service as issuer_service
from badgeforge.issuers.schemas import IssuerCreate
from badgeforge.security import Principal, Scope, effective_scopes
from badgeforge.settings import Settings
from badgeforge.signing.vault import vault_from_settings

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/badgeforge_bench"

ISSUER = {
    "name": "ESAT Les Ateliers du Val",
    "url": "https://ateliers-du-val.example.fr",
    "email": "badges@ateliers-du-val.example.fr",
    "description": "Menuiserie, espaces verts, restauration.",
}
BADGE_CLASS = {
    "name": "Sécurité et hygiène au travail",
    "description": "Applique les règles de sécurité et d'hygiène de l'atelier.",
    "criteria": {"narrative": "- Porte les EPI\n- Range son poste"},
    "alignments": [
        {
            "target_name": "Respecter les règles",
            "target_url": "https://competences.example.org/rectec/c4",
            "target_framework": "RECTEC",
            "target_code": "C4",
        }
    ],
    "tags": ["sécurité", "hygiène"],
    "expires_after_days": 730,
    "publish": True,
}
AWARD_EXTRA = {
    "narrative": "A appliqué les consignes de sécurité pendant trois mois d'atelier.",
    "evidence": [
        {
            "url": "https://portfolio.example.org/atelier",
            "name": "Photos de l'atelier",
            "genre": "Photo",
        }
    ],
}


# --------------------------------------------------------------------------- databases


def postgres_url(raw: str) -> URL:
    """The URL with the psycopg 3 driver (``postgresql://`` would ask for psycopg2)."""
    url = make_url(raw)
    if url.get_backend_name() != "postgresql":
        raise SystemExit(f"--database-url must be a PostgreSQL URL, not {url.drivername}")
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if not url.database or url.database in ("postgres", "template0", "template1"):
        raise SystemExit("--database-url must name a scratch database, e.g. /badgeforge_bench")
    return url


@contextmanager
def scratch_postgres(raw: str) -> Iterator[str]:
    """Create the database named in ``raw`` (it must not exist yet), yield its URL, drop it.

    Only a database this function created is dropped, so an existing one is never touched.
    """
    url = postgres_url(raw)
    name = url.database
    assert name is not None
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    quoted = admin.dialect.identifier_preparer.quote(name)
    try:
        with admin.connect() as connection:
            found = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if found:
                raise SystemExit(
                    f"database {name!r} already exists; drop it or name another one "
                    "(the benchmark only drops databases it created)"
                )
            connection.execute(text(f"CREATE DATABASE {quoted}"))
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
    finally:
        admin.dispose()


def postgres_version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            version = connection.scalar(text("SHOW server_version"))
    finally:
        engine.dispose()
    return f"PostgreSQL {str(version).split()[0]}"


def bench_settings(
    data_dir: Path, base_url: str, database_url: str = "", master_keys: str | None = None
) -> Settings:
    """Settings independent of the caller's environment and ``.env`` file.

    ``master_keys`` defaults to a fresh master key (so no ``master.key`` file and no demo
    warning); processes that share a database must share it.
    """
    return Settings(
        _env_file=None,
        data_dir=data_dir,
        database_url=database_url,
        public_base_url=base_url,
        master_keys=KeyVault.generate_master_key() if master_keys is None else master_keys,
    )


def bench_vault(settings: Settings) -> KeyVault:
    """The key vault the service would use with ``settings``."""
    return vault_from_settings(settings)


# --------------------------------------------------------------------------- a tenant


@dataclass(frozen=True)
class Tenant:
    """An organisation, its admin key and one issuer with one badge class."""

    principal: Principal
    token: str
    issuer_id: UUID
    badge_class_id: UUID


def create_organisation(session: Session) -> tuple[Principal, str]:
    """An organisation and an admin key, as ``badgeforge create-organisation`` makes them."""
    organisation = access_service.create_organisation(session, "ESAT Benchmark")
    key, token = access_service.create_key(session, organisation.id, "bench", [Scope.ADMIN])
    return Principal(organisation.id, key.id, effective_scopes(key.scopes)), token


def create_tenant(session: Session, settings: Settings) -> Tenant:
    """Organisation, key, issuer and a template-rendered badge class, through the services."""
    principal, token = create_organisation(session)
    issuer = issuer_service.create(session, principal, IssuerCreate.model_validate(ISSUER))
    badge_class = badge_class_service.create(
        session,
        principal,
        BadgeClassCreate.model_validate({"issuer_id": issuer.id, **BADGE_CLASS}),
        settings,
    )
    return Tenant(principal, token, issuer.id, badge_class.id)


def award_data(badge_class_id: UUID, index: int) -> AwardCreate:
    """The body of award number ``index`` (a distinct, mixed-case recipient email)."""
    return AwardCreate.model_validate(
        {
            "badge_class_id": badge_class_id,
            "recipient_email": f"Apprenant.{index}@Example.org",
            **AWARD_EXTRA,
        }
    )


# --------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile (0..1) by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub Markdown table; columns after the first are right-aligned."""
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join([":---"] + ["---:"] * (len(header) - 1)) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (the machine is shared)."""
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def machine() -> str:
    """One line describing where the numbers come from."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPU ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )
