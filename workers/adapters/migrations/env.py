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
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    with config.attributes["engine"].connect() as conn:
        run(conn)
        conn.commit()
