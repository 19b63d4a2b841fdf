"""Alembic environment: runs migrations on the connection the app hands it.

The app calls Alembic programmatically (``frontdesk.db.schema``), passing an open connection
in ``config.attributes["connection"]``, so migrations use the same engine settings
(foreign keys, busy timeout) as the rest of the app.
"""

from __future__ import annotations

from alembic import context

from frontdesk.db import models  # noqa: F401  (registers the tables)
from frontdesk.db.base import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        url = context.config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError("Alembic was given neither a connection nor sqlalchemy.url")
        engine = create_engine(url, hide_parameters=True)
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
