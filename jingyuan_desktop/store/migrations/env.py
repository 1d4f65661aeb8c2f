"""Alembic environment: the program passes its own connection in ``config.attributes``.

There is no alembic.ini; ``jingyuan_desktop.store.migrate`` builds the configuration.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from jingyuan_desktop.store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(**kwargs) -> None:
    # Batch mode lets later migrations alter tables on SQLite, which has almost no ALTER TABLE.
    context.configure(target_metadata=target_metadata, render_as_batch=True, compare_type=True, **kwargs)


def run_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("alembic needs the program's connection or a sqlalchemy.url to migrate")
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            _configure(connection=connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
