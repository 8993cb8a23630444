"""Schema migrations: Alembic is the only way the schema changes."""

from alembic import command
from alembic.config import Config

from badgeforge.resources import resource_dir

MIGRATIONS_DIR = resource_dir("migrations")


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for ``database_url`` using the project's migrations."""
    if not (MIGRATIONS_DIR / "env.py").is_file():
        raise RuntimeError(f"migrations not found at {MIGRATIONS_DIR}; see badgeforge.resources")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database schema up to ``revision``."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """Take the database schema down to ``revision`` (``base`` for empty)."""
    command.downgrade(alembic_config(database_url), revision)
