"""Opening a database: connection pragmas and Alembic migrations at open time.

A new file gets ``create_all`` and is stamped at head; an older file is first
copied with SQLite's backup API and then upgraded; a file written by a newer
Taizhang is refused rather than guessed at.

Opening an up-to-date database (every start) reads the stored version with one query and
compares it with the head revision read from the migration scripts' own lines; Alembic
(with its imports, ~0.5 s at start-up) is loaded only to create, stamp or upgrade.

SQLite files (not servers) are checked for their environment first and every fault is one
Chinese line naming the file and what to do (``as_user_error`` maps the SQLite/OS errors of
any later command the same way): a missing, unreadable, foreign or damaged file (a bad
page-size header; after an unclean shutdown — a WAL file left behind — ``PRAGMA
quick_check`` runs, and a damaged file is refused with the path of its newest backup), a
locked one, a full disk. A file or folder without write permission opens read-only
(``mode=ro&immutable=1``), so reading commands still work and writing ones fail with a plain
message. Automatic backups (app/services/backups.py) are for SQLite files only; a server
database is backed up with pg_dump before a schema upgrade.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from app.core import clock
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


def _readonly_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def make_engine(target: str | Path | URL, *, password: str | None = None,
                readonly: bool = False) -> Engine:
    """Engine for a SQLite path or a PostgreSQL URL (the password only ever in memory).

    ``readonly``: a SQLite file opened with ``mode=ro&immutable=1`` (no -wal/-shm files
    are created, so a write-protected file or folder can still be read).
    """
    where = target if isinstance(target, URL) else database_target(target)
    if isinstance(where, Path):
        if readonly:
            from app.services.backups import file_uri

            # a URL object: a URL string would have its %XX escapes undone before SQLite
            url = URL.create("sqlite", database=file_uri(where, "mode=ro&immutable=1"),
                             query={"uri": "true"})
        else:
            url = URL.create("sqlite", database=str(where.resolve()))
        engine = create_engine(url, json_serializer=_json_text)
        event.listen(engine, "connect", _readonly_pragmas if readonly else _sqlite_pragmas)
        return engine
    engine = create_engine(where, connect_args=connect_args(where, password),
                           pool_pre_ping=True, json_serializer=_json_text)
    event.listen(engine, "handle_error", _server_gone)
    return engine


def _json_text(value: Any) -> str:
    """JSON columns as UTF-8 text: Chinese is 3 bytes a character instead of a 6-byte
    \\uXXXX escape (a merged return's ledger row is mostly Chinese text: half the size)."""
    return json.dumps(value, ensure_ascii=False)


def _server_gone(context: ExceptionContext) -> None:
    """A server that stops answering mid-command is one Chinese line, not a traceback."""
    if context.is_disconnect and context.engine is not None:
        raise server_error(context.engine.url, context.original_exception)


_PAGE_SIZES = frozenset({1} | {2 ** n for n in range(9, 16)})  # 1 means 65536


def _newest_backup_hint(path: Path) -> str:
    from app.services.backups import newest_backup

    newest = newest_backup(path)
    if newest is None:
        return "没有找到它的自动备份;请用其他备份恢复,或联系技术人员。"
    return (f"最新的自动备份是 {newest},可用“文件 › 从备份恢复…”或 "
            f"python main.py backup restore --db {path} {newest} 恢复。")


def damaged(path: Path, detail: str = "") -> UserFacingError:
    why = f"({detail})" if detail else ""
    return UserFacingError(f"数据库文件已损坏{why}:{path}。为避免进一步损坏,未打开。"
                           + _newest_backup_hint(path))


def as_user_error(exc: BaseException, location: str | Path | None = None
                  ) -> UserFacingError | None:
    """One Chinese line for an environment fault (SQLite or the operating system), naming
    the file and what to do; None for anything else (a bug)."""
    if isinstance(exc, UserFacingError):
        return exc
    inner = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(inner).lower()
    path = Path(str(location)) if location and "://" not in str(location) else None
    if location and path is None:  # a server URL: never print its password
        location = make_url(str(location)).render_as_string(hide_password=True)
    where = f":{location}" if location else ""
    errno = getattr(inner, "errno", None)
    if "disk is full" in text or errno == 28:
        return UserFacingError(f"磁盘空间不足,无法写入{where}。这次的改动没有写入(数据库保持原样);"
                               "请清理磁盘空间后再试。")
    if "readonly" in text or "read-only" in text or errno == 30 or "query_only" in text \
            or "attempt to write" in text:
        return UserFacingError(f"数据库是只读的,无法写入{where}。请检查文件和所在文件夹的写入权限"
                               "(或把它复制到可写的位置)后再试;查看、打印不受影响。")
    if "locked" in text or "busy" in text:
        return UserFacingError(f"数据库正被其他程序占用(已锁定){where}。请关闭其他正在使用它的台账窗口"
                               "或程序后再试。")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return damaged(path) if path else UserFacingError(f"数据库已损坏{where}。")
    if "unable to open" in text or errno == 13 or isinstance(inner, PermissionError):
        return UserFacingError(f"无法打开或写入数据库文件{where}:没有权限,或所在文件夹不存在/不可写。"
                               "请检查路径和权限后再试。")
    if "disk i/o error" in text or errno == 5:
        return UserFacingError(f"读写数据库时发生磁盘错误{where}。请检查磁盘(U 盘是否已拔出)后再试。")
    if isinstance(inner, OSError) and errno == 2:
        return UserFacingError(f"数据库文件已不存在{where}。")
    return None


def _check_file(path: Path) -> bool:
    """Environment checks before SQLite sees the file; True when it must open read-only."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except PermissionError as exc:
        raise UserFacingError(f"无法读取数据库文件:{path}(没有读取权限)。请检查文件权限。") from exc
    except IsADirectoryError as exc:
        raise UserFacingError(f"这是一个文件夹,不是数据库文件:{path}") from exc
    except OSError as exc:
        raise as_user_error(exc, path) or UserFacingError(
            f"无法读取数据库文件:{path}({exc.strerror or exc})。") from exc
    if not header:
        return False
    if header[:16] != b"SQLite format 3\x00":
        raise UserFacingError(f"不是台账数据库文件(不是 SQLite 格式):{path}。请选择台账的数据库文件(.db)。")
    if len(header) < 100 or int.from_bytes(header[16:18], "big") not in _PAGE_SIZES:
        raise damaged(path, "文件头无效")
    folder_writable = os.access(path.parent, os.W_OK)
    return not os.access(path, os.W_OK) or not folder_writable


def _unclean(path: Path) -> bool:
    """A WAL file left with content: the last session did not close (or is still open)."""
    wal = Path(str(path) + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def _quick_check(engine: Engine, path: Path) -> None:
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
    except DBAPIError as exc:
        engine.dispose()
        raise as_user_error(exc, path) or damaged(path) from exc
    if result != "ok":
        engine.dispose()
        raise damaged(path, "完整性检查未通过")


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
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
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
    readonly = False
    if isinstance(where, Path):
        path = where
        if not path.exists() and not create:
            raise UserFacingError(f"数据库文件不存在:{path}")
        if path.exists():
            readonly = _check_file(path)
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise as_user_error(exc, path) or UserFacingError(
                    f"无法创建数据库文件:{path}({exc.strerror or exc})。") from exc
    engine = make_engine(where, password=password, readonly=readonly)
    try:
        if isinstance(where, Path) and _unclean(where):
            _quick_check(engine, where)
        with engine.connect() as conn:
            if not isinstance(where, Path):
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": SCHEMA_LOCK})
                conn.commit()
            try:
                _prepare_schema(conn, where, new=new, password=password,
                                confirm_upgrade=confirm_upgrade or CONFIRM_UPGRADES,
                                readonly=readonly)
            finally:
                if not isinstance(where, Path):
                    conn.rollback()
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SCHEMA_LOCK})
                    conn.commit()
    except DBAPIError as exc:
        engine.dispose()
        if isinstance(where, Path):
            raise as_user_error(exc, where) or exc from exc
        if isinstance(exc, OperationalError):
            raise server_error(where, exc) from None
        raise
    except BaseException:
        engine.dispose()
        raise
    return engine


# The command line's --yes: upgrade a server database without a pg_dump backup.
CONFIRM_UPGRADES = False


def _prepare_schema(conn: Connection, where: Path | URL, *, new: bool, password: str | None,
                    confirm_upgrade: bool, readonly: bool = False) -> None:
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
            raise UserFacingError(
                f"此文件不是台账数据库(缺少版本信息),为避免损坏数据未打开:{where_text}")
        if readonly:
            raise UserFacingError(
                f"数据库是只读的,无法在其中新建台账数据库:{where_text}。请检查写入权限。")
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
    if readonly:
        raise UserFacingError(f"数据库需要升级到新版本,但它是只读的:{where_text}。"
                              "请检查文件和文件夹的写入权限后再打开。")
    if isinstance(where, Path):
        from app.services.backups import make_backup

        dest = make_backup(where, "migrate")
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


def sqlite_stamp(session: Session) -> tuple[Any, int, int] | None:
    """(connection, data_version, total_changes) of the session's SQLite connection: any
    commit by another connection changes the data version, any change made through this
    one its change count — what caches of loaded plans compare (issuing, the summary).
    None on other databases (nothing is cached there)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return None
    raw = conn.connection.dbapi_connection
    if raw is None:
        return None
    version = raw.execute("PRAGMA data_version").fetchone()[0]
    return raw, int(version), int(raw.total_changes)


def connection_closed(raw: Any) -> bool:
    """A cached entry's SQLite connection was closed (its engine disposed)."""
    try:
        raw.total_changes  # noqa: B018 (raises once the connection is closed)
    except Exception:  # sqlite3.ProgrammingError: Cannot operate on a closed database
        return True
    return False


_V = TypeVar("_V")


class ConnectionCache(Generic[_V]):
    """Values loaded through a SQLite connection (a plan, a summary's scope), kept per
    connection while nothing in the database has changed (`sqlite_stamp`): a district
    issues and looks period after period from one process, and loading a city plan's
    30,000 assignments was most of such a call. Nothing is kept for other databases."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._lock = threading.Lock()
        # (key, id of the connection) → (connection, data_version, total_changes, value);
        # the connection is kept with its entry, so its id is never reused meanwhile
        self._entries: dict[tuple[Hashable, int], tuple[Any, int, int, _V]] = {}

    def get(self, session: Session, key: Hashable, load: Callable[[], _V]) -> _V:
        """The value kept for `key` on this session's connection, else `load()`'s."""
        stamp = sqlite_stamp(session)
        if stamp is not None:
            with self._lock:
                entry = self._entries.get((key, id(stamp[0])))
            if entry is not None and entry[0] is stamp[0] and entry[1:3] == stamp[1:3]:
                return entry[3]
        value = load()
        if stamp is not None:
            with self._lock:
                for old in [k for k, e in self._entries.items() if connection_closed(e[0])
                            or (e[0] is stamp[0] and e[1:3] != stamp[1:3])]:
                    del self._entries[old]  # disposed engine, or out of date
                if len(self._entries) >= self.size:
                    self._entries.pop(next(iter(self._entries)))
                self._entries[(key, id(stamp[0]))] = (*stamp, value)
        return value

    def wrote(self, session: Session, before: tuple[Any, int, int] | None) -> None:
        """`session` (in its transaction, flushed) changed nothing a kept value depends on
        since `before` (e.g. issuing's own ledger rows): entries valid then on its
        connection stay valid."""
        after = sqlite_stamp(session)
        if before is None or after is None or after[0] is not before[0]:
            return
        with self._lock:
            for key, (raw, version, changes, value) in list(self._entries.items()):
                if raw is after[0] and changes == before[2]:
                    self._entries[key] = (raw, version, after[2], value)


def driver_rows(s: Session, query: Any) -> list[tuple[Any, ...]]:
    """Rows of a Core select as the database driver's own tuples.

    SQLAlchemy compiles and executes the statement (any dialect, its parameters), but the
    rows skip its per-row objects: ``Row`` construction was most of the Python time of
    reading 30,000 rows. Only for columns whose driver values need no conversion
    (integers, floats, text — not dates on SQLite, JSON or enums)."""
    result = s.connection().execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


# (dialect, table, columns) → the INSERT's text, the parameters in the driver's order
# (None: named parameters), each one's bind processor (None: a plain value), and the
# values of the columns the rows leave to a scalar default
_INSERTS: dict[tuple[str, str, tuple[str, ...]],
               tuple[str, tuple[str, ...] | None, tuple[Callable[[Any], Any] | None, ...],
                     dict[str, Any]]] = {}


def driver_insert_many(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
                       ) -> None:
    """INSERT many rows (each with the same keys) through the driver's own executemany.

    SQLAlchemy's executemany handles every parameter of every row in Python (a dict and
    a processor call per value): a fifth of writing a 200-row packet. Here the statement
    is compiled once per dialect, table and columns; a column's bind processor (dates on
    SQLite, JSON) is applied only where the type has one, a column left out takes its
    scalar default (a callable default must be given), and the driver gets the rows as
    tuples (positional drivers) or dicts. Same connection, so the same transaction."""
    if not rows:
        return
    cols = tuple(rows[0])
    key = (conn.dialect.name, table.name, cols)
    cached = _INSERTS.get(key)
    if cached is None:
        compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(cols))
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
        names = order if order is not None else tuple(compiled.binds)
        defaults: dict[str, Any] = {}
        for name in names:
            if name not in cols:
                default = table.c[name].default
                if default is None or not default.is_scalar:
                    raise ValueError(f"{table.name}.{name}: give it in every row")
                defaults[name] = default.arg  # type: ignore[attr-defined]
        procs: tuple[Callable[[Any], Any] | None, ...] = tuple(
            table.c[c].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            for c in (order if order is not None else cols))
        cached = _INSERTS[key] = (compiled.string, order, procs, defaults)
    sql, order, procs, defaults = cached
    given: Sequence[Mapping[str, Any]] = [{**defaults, **r} for r in rows] if defaults \
        else rows
    if order is not None:
        pick = itemgetter(*order) if len(order) > 1 else (lambda r: (r[order[0]],))
        params: list[Any] = [pick(r) for r in given]
        convert = [(i, p) for i, p in enumerate(procs) if p is not None]
        if convert:
            # the same object in the same column (the batch's one stamp) is processed once
            last: dict[int, tuple[Any, Any]] = {}
            for n, line in enumerate(params):
                values = list(line)
                for i, p in convert:
                    value = values[i]
                    if value is None:
                        continue
                    seen = last.get(i)
                    if seen is not None and seen[0] is value:
                        values[i] = seen[1]
                    else:
                        converted = p(value)
                        last[i] = (value, converted)
                        values[i] = converted
                params[n] = tuple(values)
    else:
        convert_named = [(c, p) for c, p in zip(cols, procs, strict=True) if p is not None]
        params = [{**r, **{c: p(r[c]) for c, p in convert_named if r[c] is not None}}
                  for r in given] if convert_named else list(given)
    conn.exec_driver_sql(sql, params)


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" after its busy timeout: worth another try."""
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()


def file_identity(db: Engine) -> tuple[int, int] | None:
    """(device, inode) of a SQLite database file, to notice it being replaced; None otherwise."""
    from app.services.backups import sqlite_path

    path = sqlite_path(db)
    if path is None:
        return None
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, 0)
    return (st.st_dev, st.st_ino)


def check_same_file(db: Engine, identity: tuple[int, int] | None, done: int = 0) -> None:
    """Stop a batch when its database file was deleted or replaced since ``identity``
    (writing on would go into a file nobody will open again)."""
    if identity is None:
        return
    now = file_identity(db)
    if now == identity:
        return
    location = database_location(db)
    what = "被删除" if now == (0, 0) else "被替换(可能被其他程序覆盖或恢复了备份)"
    raise UserFacingError(f"数据库文件在处理过程中{what}:{location}。已停止,之前完成的 {done} 项"
                          "写入了原来的文件;请确认数据库文件后重新操作。")


def get_setting(session: Session, key: str, default: str = "") -> str:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return default if value is None else value


def current_actor(session: Session) -> str:
    """Who is writing, for the audit: the database's "actor" setting, else the operating-system user."""
    actor = get_setting(session, "actor")
    if actor:
        return actor
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name on this system
        return ""


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
        from app.services.backups import sqlite_path

        path = sqlite_path(db)
        return str(path) if path is not None else str(url.database or "")
    return url.render_as_string(hide_password=True)
