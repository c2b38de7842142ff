"""Shared steps of the migration tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import create_engine

from app.services.db import alembic_config


def downgrade(path: Path, revision: str, *, foreign_keys: bool = False) -> None:
    """Run the migrations of the SQLite file at `path` down to `revision`, in one
    transaction (as the app's own upgrades run)."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        if foreign_keys:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    engine.dispose()
