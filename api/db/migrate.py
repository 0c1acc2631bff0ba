"""Run the Alembic migrations programmatically (``upgrade head``) at service startup."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any constant shared by every SignTax process: serialises concurrent upgrades on PostgreSQL.
_PG_MIGRATION_LOCK_KEY = 0x5167_7A78


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there.

    On PostgreSQL an advisory lock makes several processes starting at once take turns; on
    SQLite the ``BEGIN IMMEDIATE`` transaction (see ``api.db.engine``) does the same.
    """
    config = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK_KEY}
            )
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
