"""Alembic environment.

The service passes an open connection in ``config.attributes["connection"]`` (see
``api.db.migrate``). Run by hand, the URL comes from ``-x url=...`` or from ``Settings()``
(``SIGNTAX_DATABASE_URL``), which is this entry point's business, not an import side effect.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from api.db.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if url:
        return url
    from api.settings import Settings

    return Settings().database_url


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    given = config.attributes.get("connection")
    if given is not None:
        _run(given)
    else:
        from api.db.engine import make_engine

        engine = make_engine(_url())
        try:
            with engine.begin() as conn:
                _run(conn)
        finally:
            engine.dispose()
