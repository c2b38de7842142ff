"""Automatic backups of a SQLite database, and putting one back.

Before each merge batch, plan import, plan edit (at most one per five minutes of
editing) and migration, the database is copied through SQLite's backup API (a consistent
copy even while another connection writes; a file copy could catch a WAL half-written)
into the ``backups`` folder beside it, as ``<name>-YYYYmmdd-HHMMSS-ffffff-<reason>.db``. The
newest ``backup_keep`` copies (a setting, 10 by default) are kept.

``restore_backup`` checks the chosen copy (``PRAGMA quick_check`` and the Taizhang schema),
first backs up the current file (reason ``before-restore``), then replaces it atomically.
Nothing here applies to a PostgreSQL database (its server has its own backups).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import Engine

from app.core import clock
from app.core.errors import UserFacingError

KEEP_DEFAULT = 10
KEEP_SETTING = "backup_keep"
FOLDER = "backups"
REASONS = {"merge": "汇总导入前", "import": "导入方案前", "edit": "编辑方案前",
           "migrate": "升级数据库前", "before-restore": "恢复备份前", "manual": "手动"}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z-]+)\.db$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where, when, why (a key of ``REASONS``) and how big."""

    path: Path
    created: dt.datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)


def sqlite_path(target: Engine | str | Path) -> Path | None:
    """The database file of an engine or path; None for a server database."""
    if isinstance(target, Engine):
        if target.url.get_backend_name() != "sqlite" or not target.url.database:
            return None
        name = target.url.database
        if name.startswith("file:"):  # opened read-only through a URI
            return Path(unquote(name[5:].split("?", 1)[0]))
        return Path(name)
    text = str(target)
    return None if "://" in text else Path(text)


def file_uri(path: Path, query: str) -> str:
    """A SQLite URI filename for ``path`` (its % ? # escaped) with ``query``."""
    text = str(path.resolve()).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{text}?{query}"


def backup_folder(db_path: Path) -> Path:
    return db_path.resolve().parent / FOLDER


def list_backups(db_path: Path) -> list[BackupInfo]:
    """This database's backups, newest first."""
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    out = []
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if not m or m.group("stem") != db_path.stem or not p.is_file():
            continue
        try:
            created = dt.datetime.strptime(m.group("stamp"), "%Y%m%d-%H%M%S-%f")
        except ValueError:
            continue
        out.append(BackupInfo(p, created, m.group("reason"), p.stat().st_size))
    return sorted(out, key=lambda b: (b.created, b.path.name), reverse=True)


def newest_backup(db_path: Path) -> Path | None:
    backups = list_backups(db_path)
    return backups[0].path if backups else None


def _keep(con: sqlite3.Connection) -> int:
    try:
        row = con.execute("SELECT value FROM setting WHERE key = ?", (KEEP_SETTING,)).fetchone()
    except sqlite3.Error:
        return KEEP_DEFAULT
    try:
        return max(1, int(row[0])) if row else KEEP_DEFAULT
    except (TypeError, ValueError):
        return KEEP_DEFAULT


def _copy(src: sqlite3.Connection, dest: Path) -> None:
    """Backup-API copy into ``dest`` (through a temporary file, so ``dest`` is whole or absent)."""
    tmp = dest.with_name(dest.name + ".part")
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def make_backup(target: Engine | str | Path, reason: str, *,
                min_interval: dt.timedelta | None = None) -> Path | None:
    """Back up a SQLite database now; the new file, or None (a server database, a missing
    file, or a backup of the same reason younger than ``min_interval``).

    Raises UserFacingError when the copy cannot be written (disk full, read-only folder):
    the caller's change has not started, so nothing is lost by stopping.
    """
    path = sqlite_path(target)
    if path is None or not path.is_file():
        return None
    if min_interval is not None:
        recent = next((b for b in list_backups(path) if b.reason == reason), None)
        if recent is not None and clock.local_now() - recent.created < min_interval:
            return None
    folder = backup_folder(path)
    now = clock.local_now()
    dest = folder / f"{path.stem}-{now:%Y%m%d-%H%M%S-%f}-{reason}.db"
    while dest.exists():  # the same microsecond: take the next
        now += dt.timedelta(microseconds=1)
        dest = folder / f"{path.stem}-{now:%Y%m%d-%H%M%S-%f}-{reason}.db"
    try:
        folder.mkdir(exist_ok=True)
        src = sqlite3.connect(file_uri(path, "mode=ro"), uri=True)
        try:
            _copy(src, dest)
            keep = _keep(src)
        finally:
            src.close()
    except (OSError, sqlite3.Error) as exc:
        raise UserFacingError(
            f"无法在 {folder} 中备份数据库({describe_os_error(exc)}),"
            "为安全起见未继续。请腾出磁盘空间或检查文件夹权限后再试。") from exc
    for old in list_backups(path)[keep:]:
        old.path.unlink(missing_ok=True)
    return dest


def describe_os_error(exc: BaseException) -> str:
    """A few words for the usual environment faults."""
    text = str(exc).lower()
    errno = getattr(exc, "errno", None)
    if errno == 28 or "disk is full" in text or "no space" in text:
        return "磁盘空间不足"
    if errno in (13, 30) or "readonly" in text or "read-only" in text or "permission" in text:
        return "没有写入权限或位置是只读的"
    if "locked" in text or "busy" in text:
        return "文件正被其他程序使用"
    return type(exc).__name__


def check_database_file(path: Path) -> str | None:
    """Why ``path`` is not a whole Taizhang database (None if it is one)."""
    try:
        con = sqlite3.connect(file_uri(path, "mode=ro"), uri=True)
    except sqlite3.Error as exc:
        return f"无法打开({exc})"
    try:
        result = con.execute("PRAGMA quick_check").fetchone()
        if not result or result[0] != "ok":
            return "文件已损坏"
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "plan", "setting"} <= tables:
            return "不是台账数据库"
    except sqlite3.Error as exc:
        return f"文件已损坏({exc})"
    finally:
        con.close()
    return None


def _quiesce(db_path: Path) -> None:
    """Fold the WAL into the file and make sure no other program has the database open."""
    if not db_path.is_file():
        return
    try:
        con = sqlite3.connect(db_path, timeout=2)
    except sqlite3.Error:
        return  # damaged beyond opening: nothing to fold in
    try:
        busy = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.DatabaseError:
        busy = None  # damaged: it is moved aside, not folded
    finally:
        con.close()
    if busy and busy[0]:
        raise UserFacingError(f"数据库正被其他程序使用:{db_path}。请关闭其他台账窗口或程序后再恢复。")


def restore_backup(db_path: Path, backup: Path) -> Path | None:
    """Put ``backup`` in place of ``db_path``; returns the copy made of the current file
    first (None when there was no readable current file to keep)."""
    problem = check_database_file(backup)
    if problem:
        raise UserFacingError(f"备份文件不能用于恢复:{backup}({problem})。")
    kept: Path | None = None
    _quiesce(db_path)
    if db_path.is_file() and check_database_file(db_path) is None:
        kept = make_backup(db_path, "before-restore")
    elif db_path.is_file():
        # a damaged current file is kept as it is, beside the backups
        folder = backup_folder(db_path)
        folder.mkdir(exist_ok=True)
        stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
        kept = folder / f"{db_path.stem}-{stamp}-damaged.db.broken"
        try:
            os.replace(db_path, kept)
        except OSError as exc:
            raise UserFacingError(f"无法移走损坏的数据库文件 {db_path}"
                                  f"({describe_os_error(exc)})。") from exc
    tmp = db_path.with_name(db_path.name + ".restoring")
    try:
        src = sqlite3.connect(file_uri(backup, "mode=ro"), uri=True)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)
                out.execute("PRAGMA journal_mode=WAL")
            finally:
                out.close()
        finally:
            src.close()
        for side in ("-wal", "-shm"):
            Path(str(db_path) + side).unlink(missing_ok=True)
        os.replace(tmp, db_path)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise UserFacingError(f"恢复失败,原文件未改动:{db_path}({describe_os_error(exc)})。"
                              ) from exc
    return kept
