"""Opening a database: connection pragmas and Alembic migrations at open time.

A new file gets ``create_all`` and is stamped at head; an older file is first
copied with SQLite's backup API and then upgraded; a file written by a newer
Taizhang is refused rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.models import Base, Setting

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(target: str | Path) -> Engine:
    """Engine for a SQLite path or a full SQLAlchemy URL (e.g. PostgreSQL)."""
    text = str(target)
    url = text if "://" in text else f"sqlite:///{Path(text).resolve()}"
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def backup_sqlite(path: Path, suffix: str) -> Path:
    """Consistent copy through the SQLite backup API (a file copy can catch a WAL half-written)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    dest = path.with_name(f"{path.stem}.{suffix}.{stamp}.bak{path.suffix}")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return dest


def open_database(target: str | Path, *, create: bool = True) -> Engine:
    """Open (and if needed create or migrate) a Taizhang database."""
    text = str(target)
    is_file = "://" not in text
    if is_file:
        path = Path(text)
        if not path.exists() and not create:
            raise UserFacingError(f"数据库文件不存在:{path}")
        if path.exists() and path.stat().st_size > 0:
            with path.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise UserFacingError(f"不是台账数据库文件(不是 SQLite 格式):{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(target)
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
    if current is None:
        if tables - {"alembic_version"}:
            engine.dispose()
            raise UserFacingError("此文件不是台账数据库(缺少版本信息),为避免损坏数据未打开。")
        Base.metadata.create_all(engine)
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.stamp(cfg, "head")
        return engine
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        engine.dispose()
        raise UserFacingError(
            f"此数据库由更新版本的台账创建(架构版本 {current}),请升级台账后再打开。")
    if current != head:
        if is_file:
            dest = backup_sqlite(Path(text), f"schema-{current}")
            log.info("backed up %s to %s before upgrading", text, dest)
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return engine


def get_setting(session: Session, key: str, default: str = "") -> str:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return default if value is None else value


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


# What views hold: they pass it back to services and never use SQLAlchemy themselves.
Database = Engine


def database_location(db: Engine) -> str:
    """Human-readable location: the file path for SQLite, the URL without password otherwise."""
    url = db.url
    if url.get_backend_name() == "sqlite":
        return str(url.database or "")
    return url.render_as_string(hide_password=True)
