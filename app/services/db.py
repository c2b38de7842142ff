"""Opening a database: connection pragmas and Alembic migrations at open time.

A new file gets ``create_all`` and is stamped at head; an older file is first
copied with SQLite's backup API and then upgraded; a file written by a newer
Taizhang is refused rather than guessed at.

Opening an up-to-date database (every start) reads the stored version with one query and
compares it with the head revision read from the migration scripts' own lines; Alembic
(with its imports, ~0.5 s at start-up) is loaded only to create, stamp or upgrade.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.engine import URL, ExceptionContext
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.models import Base, Setting
from app.services.server import (
    connect_args,
    database_target,
    save_keyring_password,
    server_error,
    server_name,
)

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


_REVISION = re.compile(r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:['"]([^'"]+)['"]|None)""",
                       re.M)


def scripted_revisions() -> tuple[str | None, frozenset[str]]:
    """(head, every revision) from the `revision = "…"`/`down_revision = …` lines of the
    migration scripts, without importing Alembic; head is None when the scripts do not
    say plainly (several heads, a tuple of parents): then ask Alembic."""
    revisions: dict[str, str | None] = {}
    for script in (MIGRATIONS / "versions").glob("*.py"):
        found = {k: v for k, v in _REVISION.findall(script.read_text("utf-8"))}
        if "revision" in found:
            if "down_revision" not in found:
                return None, frozenset(revisions)
            revisions[found["revision"]] = found["down_revision"] or None
    parents = set(revisions.values())
    heads = [r for r in revisions if r not in parents]
    return (heads[0] if len(heads) == 1 else None), frozenset(revisions)


def _stored_revision(conn: Connection) -> str | None:
    """The version stored in the database (None when there is no version table)."""
    try:
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        current = None
    conn.rollback()  # (PostgreSQL: a failed statement aborts the transaction)
    return None if current is None else str(current)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(target: str | Path | URL, *, password: str | None = None) -> Engine:
    """Engine for a SQLite path or a PostgreSQL URL (the password only ever in memory)."""
    where = target if isinstance(target, URL) else database_target(target)
    if isinstance(where, Path):
        engine = create_engine(f"sqlite:///{where.resolve()}")
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(where, connect_args=connect_args(where, password),
                           pool_pre_ping=True)
    event.listen(engine, "handle_error", _server_gone)
    return engine


def _server_gone(context: ExceptionContext) -> None:
    """A server that stops answering mid-command is one Chinese line, not a traceback."""
    if context.is_disconnect and context.engine is not None:
        raise server_error(context.engine.url, context.original_exception)


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


# The one PostgreSQL advisory lock (bigint key space: "taizhang" in ASCII) held while a
# database is checked, created, stamped or upgraded, so simultaneous first opens queue up.
SCHEMA_LOCK = 0x7461697A68616E67


class UpgradeNeedsConfirmation(UserFacingError):
    """A server database needs a schema upgrade and no pg_dump is at hand to back it up first."""


def backup_server(url: URL, current: str, password: str | None) -> Path | None:
    """`pg_dump -Fc` of a server database into the data folder; None where pg_dump is missing."""
    exe = shutil.which("pg_dump")
    if exe is None:
        return None
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("Taizhang", appauthor=False)) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{url.host}_{url.port or 5432}_{url.database}")
    dest = folder / f"{name}.schema-{current}.{stamp}.dump"
    env = dict(os.environ)
    given = connect_args(url, password).get("password")
    if given:
        env["PGPASSWORD"] = given  # the child's environment, never its arguments
    args = [exe, "-Fc", "-f", str(dest), "-h", url.host or "localhost",
            "-p", str(url.port or 5432), "-d", str(url.database)]
    if url.username:
        args += ["-U", url.username]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600,
                          check=False)
    if done.returncode != 0:
        raise UserFacingError(f"升级前备份数据库服务器 {server_name(url)} 失败(pg_dump):"
                              f"{(done.stderr.strip().splitlines() or [''])[-1]}。未升级。")
    return dest


def open_database(target: str | Path | URL, *, create: bool = True, new: bool = False,
                  password: str | None = None, confirm_upgrade: bool = False) -> Engine:
    """Open (and if needed create or migrate) a Taizhang database: a file or a server.

    ``new``: the caller is about to fill a new database (`init`), so one that already holds
    a Taizhang schema is refused instead of being filled twice. On a server the whole
    check-create-upgrade runs under an advisory lock; an upgrade there is backed up with
    pg_dump first, or needs ``confirm_upgrade`` (the command line's ``--yes``) without it.
    """
    where = target if isinstance(target, URL) else database_target(target)
    if isinstance(where, Path):
        path = where
        if not path.exists() and not create:
            raise UserFacingError(f"数据库文件不存在:{path}")
        if path.exists() and path.stat().st_size > 0:
            with path.open("rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise UserFacingError(f"不是台账数据库文件(不是 SQLite 格式):{path}")
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(where, password=password)
    try:
        with engine.connect() as conn:
            if not isinstance(where, Path):
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": SCHEMA_LOCK})
                conn.commit()
            try:
                _prepare_schema(conn, where, new=new, password=password,
                                confirm_upgrade=confirm_upgrade or CONFIRM_UPGRADES)
            finally:
                if not isinstance(where, Path):
                    conn.rollback()
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SCHEMA_LOCK})
                    conn.commit()
    except OperationalError as exc:
        engine.dispose()
        if isinstance(where, Path):
            raise
        raise server_error(where, exc) from None
    except BaseException:
        engine.dispose()
        raise
    return engine


# The command line's --yes: upgrade a server database without a pg_dump backup.
CONFIRM_UPGRADES = False


def _prepare_schema(conn: Connection, where: Path | URL, *, new: bool, password: str | None,
                    confirm_upgrade: bool) -> None:
    """Create and stamp a new database, or upgrade an older one (a backup first)."""
    where_text = str(where) if isinstance(where, Path) else server_name(where)
    current = _stored_revision(conn)
    if new and current is not None:
        raise UserFacingError(f"数据库 {where_text} 已有台账数据,不会覆盖。")
    if current is not None and current == scripted_revisions()[0]:
        return  # the everyday case: nothing to do, Alembic never imported
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    current = MigrationContext.configure(conn).get_current_revision()
    tables = set(inspect(conn).get_table_names())
    conn.rollback()
    cfg = alembic_config()
    if current is None:
        if tables - {"alembic_version"}:
            raise UserFacingError("此文件不是台账数据库(缺少版本信息),为避免损坏数据未打开。")
        with conn.begin():
            Base.metadata.create_all(conn)
            cfg.attributes["connection"] = conn
            command.stamp(cfg, "head")
        return
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise UserFacingError(
            f"此数据库由更新版本的台账创建(架构版本 {current}),请升级台账后再打开。")
    if current == head:
        return
    if isinstance(where, Path):
        dest = backup_sqlite(where, f"schema-{current}")
        log.info("backed up %s to %s before upgrading", where, dest)
    else:
        dumped = backup_server(where, current, password)
        if dumped is None and not confirm_upgrade:
            raise UpgradeNeedsConfirmation(
                f"数据库服务器 {where_text} 需要升级架构(版本 {current} → {head}),"
                "但本机没有 pg_dump 无法先备份。请先在服务器上备份,再加 --yes 确认升级"
                "(图形界面中勾选确认)。")
        log.info("backed up %s to %s before upgrading", where_text, dumped)
    with conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def connect_server(url_text: str, password: str | None = None, *, remember: bool = False,
                   confirm_upgrade: bool = False) -> Engine:
    """Open a server database from the window's connection form (or a start-up URL).

    The password stays in memory (connect_args); with ``remember`` it goes to the OS keyring
    once the server has accepted it.
    """
    target = database_target(url_text)
    engine = open_database(target, password=password or None, confirm_upgrade=confirm_upgrade)
    if remember and password and not isinstance(target, Path):
        save_keyring_password(target, password)
    return engine


def begin_write(s: Session) -> bool:
    """Make this transaction a writer from its first statement; True on SQLite.

    SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock before anything is read (a
    WAL reader that writes later fails with "database is locked" when another writer
    committed in between, and two such merges interleaved their reads and writes). It must
    be the transaction's first statement. On a server nothing happens here: the caller
    takes a finer lock with ``lock_keys`` (PostgreSQL reads see every commit made before
    the lock was granted).
    """
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        return False
    conn.exec_driver_sql("BEGIN IMMEDIATE")
    return True


def lock_keys(s: Session, a: int, b: int) -> None:
    """PostgreSQL advisory lock on (a, b) until this transaction ends (no-op on SQLite)."""
    if s.connection().dialect.name == "postgresql":
        s.execute(select(func.pg_advisory_xact_lock(a, b)))


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" after its busy timeout: worth another try."""
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()


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
