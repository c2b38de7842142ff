"""A PostgreSQL server for the tests: one fresh database per test when it is configured.

`TAIZHANG_TEST_DATABASE_URL` (set by scripts/pg_cluster.sh; password in PGPASSWORD) runs the
database-touching tests against PostgreSQL: the `db` and `tianning` fixtures then hand out
a new server database per test.
"""

from __future__ import annotations

import os
import uuid

SERVER_URL = os.environ.get("TAIZHANG_TEST_DATABASE_URL", "")


def server_database(template: str | None = None) -> str:
    """A new, empty (or template-copied) database on the test server; returns its URL."""
    from sqlalchemy import create_engine, make_url, text

    base = make_url(SERVER_URL)
    name = f"tz_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base.set(drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            extra = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{extra}'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_server_database(url: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    name = make_url(url).database
    admin = create_engine(make_url(SERVER_URL).set(drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def at_first_revision(url: str) -> None:
    """A server database as the first released Taizhang left it (revision 0001), with a row."""
    from alembic import command
    from sqlalchemy import create_engine, text

    from app.services.db import alembic_config

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO unit (name, kind, contact) VALUES ('区创建办', "
                          "'district_office', '')"))
    engine.dispose()
