"""Schema migrations with Alembic, run automatically at start by every service (idempotent, locked).

Every `akhbar` command starts here, so a store already at HEAD costs one SELECT and no Alembic import.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision in migrations/versions; tests/adapters/test_migrations.py checks it is Alembic's own head.
HEAD = "0009"


def alembic_config(engine: Engine, connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def stored_revision(engine: Engine) -> str | None:
    """The store's Alembic revision; None for a store without one (new, or not akhbar's).

    Read on the driver's own connection, outside SQLAlchemy's transactions: on SQLite those begin with the
    write lock (make_engine), which a read at every command's start has no need to wait for."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT version_num FROM alembic_version")
        rows = cursor.fetchall()
        cursor.close()
    except engine.dialect.loaded_dbapi.Error:  # no such table yet; a store that is away fails in upgrade, saying so
        return None
    finally:
        raw.close()  # back to the pool, rolled back
    return str(rows[0][0]) if len(rows) == 1 else None


def _wait_for_lock(conn: Connection) -> None:
    """Take the migration lock, waiting between short transactions: a session waiting inside one would hold
    back the CREATE INDEX CONCURRENTLY of the migration it waits for (which waits for every older
    transaction), and PostgreSQL would end one of them as a deadlock."""
    while not conn.execute(text("SELECT pg_try_advisory_lock(727274)")).scalar():
        conn.commit()
        time.sleep(0.1)
    conn.commit()  # the lock is the session's: Alembic begins (and may commit) its own transactions


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision. On PostgreSQL an advisory lock keeps two services that
    start together from migrating at once; SQLite's write lock does the same there.

    A store at HEAD is left as it is without loading Alembic (revisions only ever move forward, so one
    read at HEAD stays true). On PostgreSQL Alembic runs each migration in its own transaction on a
    connection that is in none, so a migration may use `op.get_context().autocommit_block()`
    (CREATE INDEX CONCURRENTLY): the session-level advisory lock outlives the commits it makes. On SQLite
    all of it is one transaction (no autocommit blocks there: keep them to PostgreSQL).
    """
    if stored_revision(engine) == HEAD:
        return
    from alembic import command

    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            _wait_for_lock(conn)
            try:
                command.upgrade(alembic_config(engine, conn), "head")
                conn.commit()
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(727274)"))
                conn.commit()
    else:  # one transaction, begun with the write lock (BEGIN IMMEDIATE): all of it or none
        with engine.begin() as conn:
            command.upgrade(alembic_config(engine, conn), "head")
