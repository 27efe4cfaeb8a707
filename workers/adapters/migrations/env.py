"""Alembic environment: uses the connection akhbar hands over, or the engine for autogenerate."""

from alembic import context

from workers.adapters.schema import metadata

try:  # the dedupe tables live in their own module on the same metadata
    import workers.adapters.dedupe_store  # noqa: F401
except ImportError:
    pass

config = context.config
connection = config.attributes.get("connection")


def run(conn) -> None:  # type: ignore[no-untyped-def]
    # PostgreSQL: a transaction per migration, so one may commit inside (autocommit_block, for CREATE INDEX
    # CONCURRENTLY) and a long upgrade keeps what it finished; SQLite: the caller's one transaction.
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True,
                      compare_type=True, transaction_per_migration=conn.dialect.name == "postgresql")
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    with config.attributes["engine"].connect() as conn:
        run(conn)
        conn.commit()
