"""Environment faults, each met by the real command line in a child process: one Chinese
line naming the file and what to do, exit status 1, nothing half-written.

Disk full is simulated two ways: ``PRAGMA max_page_count`` (SQLite's own "database or
disk is full", everywhere) and, where this user may mount one, a tiny tmpfs. Read-only
uses chmod, or (as root, whom permissions do not stop) a tmpfs remounted read-only.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bounded import PEAK_MB, run_cli
from conftest import copy_sqlite
from merge_helpers import fill_by_hand, issue, row_keys, table_dump

from app.core.errors import UserFacingError
from app.services.backups import list_backups, make_backup
from app.services.db import open_database
from app.services.district.merge import apply_packets

ROOT = Path(__file__).resolve().parents[2]
UNIT = "青龙街道"
CHINESE_LINE = r"^taizhang: .*[\u4e00-\u9fff].*$"


def cli(*args: str, full: bool = False) -> subprocess.CompletedProcess[str]:
    """The real command line in a bounded child (tests/bounded.py), optionally with
    SQLite's page limit set to the file's current size (so any growth is "database or disk
    is full"); its peak memory stays within 200 MB whatever the fault."""
    run = run_cli(list(args), full=full)
    assert run.peak_mb <= PEAK_MB, run.peak_mb
    return subprocess.CompletedProcess(list(args), run.code, run.stdout, run.stderr)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, never a traceback
    assert re.match(CHINESE_LINE, lines[0]), lines[0]
    return lines[0]


@pytest.fixture
def district(tmp_path: Path, tianning_template: Path) -> tuple[Path, Path]:
    """(a tianning database, a filled return of 青龙街道 for 2021-06 ready to merge)."""
    db_path = tmp_path / "d" / "district.db"
    db_path.parent.mkdir()
    copy_sqlite(tianning_template, db_path)
    engine = open_database(db_path)
    packet = issue(engine, "2021-06", [UNIT], tmp_path)[UNIT]
    engine.dispose()
    # every task row filled: the merge must grow the file (a few rows fit in its free
    # pages now that the ledger record is packed, and "disk full" would never come)
    keys = [k for k in row_keys(packet) if k.startswith("T:")]
    filled = fill_by_hand(packet, tmp_path / "回报.xlsx",
                          {k: {"status": "in_progress", "percent": 50,
                               "progress": "完成 3 家" * 20} for k in keys})
    return db_path, filled


def _can_mount(where: Path) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)],
                        capture_output=True).returncode == 0
    if ok:
        subprocess.run(["umount", str(where)], capture_output=True)
    return ok


@pytest.fixture
def mount_point(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "mnt"
    if not _can_mount(where):
        pytest.skip("mounting a tmpfs is not permitted here")
    yield where
    subprocess.run(["umount", str(where)], capture_output=True)


# ---------------------------------------------------------------- disk full

def test_disk_full_during_merge_writes_nothing(district: tuple[Path, Path]) -> None:
    db_path, filled = district
    before = table_dump(db_path)
    line = one_line(cli("merge", "--db", str(db_path), str(filled), full=True))
    assert "磁盘空间不足" in line and str(db_path) in line
    assert table_dump(db_path) == before


def test_disk_full_on_a_tiny_filesystem(district: tuple[Path, Path], mount_point: Path) -> None:
    db_path, filled = district
    size = db_path.stat().st_size
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size + 96 * 1024}", "tmpfs",
                    str(mount_point)], check=True)
    small = mount_point / "district.db"
    copy_sqlite(db_path, small)
    before = table_dump(small)
    line = one_line(cli("merge", "--db", str(small), str(filled)))
    assert "磁盘空间不足" in line
    assert table_dump(small) == before


# ---------------------------------------------------------------- read-only

def _read_only(db_path: Path, mount_point: Path | None) -> Path:
    if os.geteuid() != 0:
        db_path.chmod(0o444)
        db_path.parent.chmod(0o555)
        return db_path
    assert mount_point is not None
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)],
                   check=True)
    copy = mount_point / db_path.name
    copy_sqlite(db_path, copy)
    subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
    return copy


@pytest.fixture
def read_only_mount(tmp_path: Path) -> Iterator[Path | None]:
    if os.geteuid() != 0:
        yield None
        return
    where = tmp_path / "ro"
    if not _can_mount(where):
        pytest.skip("as root, a read-only file needs a read-only mount, not permitted here")
    yield where
    subprocess.run(["umount", str(where)], capture_output=True)


def test_read_only_database_can_be_read_not_written(district: tuple[Path, Path],
                                                    read_only_mount: Path | None) -> None:
    db_path, filled = district
    ro = _read_only(db_path, read_only_mount)
    try:
        for args in (["progress", "--db", str(ro), "--period", "2021-06", "--json"],
                     ["plan", "show", "--db", str(ro), "--json"]):
            result = cli(*args)
            assert result.returncode == 0, result.stderr
            assert result.stdout.lstrip().startswith("{")
        out = db_path.parent.parent / "汇总表.xlsx"
        result = cli("report", "--db", str(ro), "--period", "2021-06", "--xlsx", str(out))
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
        line = one_line(cli("merge", "--db", str(ro), str(filled)))
        assert "只读" in line and str(ro.parent) in line
        assert not Path(str(ro) + "-wal").exists()
    finally:
        if os.geteuid() != 0:
            db_path.parent.chmod(0o755)
            db_path.chmod(0o644)


# ---------------------------------------------------------------- locked

def test_locked_database_is_one_line(district: tuple[Path, Path]) -> None:
    db_path, filled = district
    before = table_dump(db_path)
    holder = sqlite3.connect(db_path, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another program in the middle of writing
    try:
        line = one_line(cli("merge", "--db", str(db_path), str(filled)))
    finally:
        holder.rollback()
        holder.close()
    assert "占用" in line and str(db_path) in line and filled.name in line
    assert table_dump(db_path) == before


# ---------------------------------------------------------------- damaged or foreign

def test_bad_page_size_header_names_the_newest_backup(district: tuple[Path, Path]) -> None:
    db_path, _ = district
    backup = make_backup(db_path, "manual")
    assert backup is not None
    with db_path.open("r+b") as fh:
        fh.seek(16)
        fh.write(b"\x00\x03")
    for args in (["progress", "--db", str(db_path), "--period", "2021-06"],
                 ["plan", "show", "--db", str(db_path), "--json"]):
        line = one_line(cli(*args))
        assert "已损坏" in line and str(db_path) in line and str(backup) in line


def _unclean_shutdown(db_path: Path) -> None:
    """A writer killed mid-session: its WAL stays behind with committed pages in it."""
    code = (f"import sqlite3, os; c = sqlite3.connect({str(db_path)!r}); "
            "c.execute('PRAGMA journal_mode=WAL'); "
            "c.execute(\"UPDATE setting SET value = value WHERE 1\"); c.commit(); "
            "c.execute(\"INSERT INTO setting (key, value) VALUES ('tz_test', 'x')\"); c.commit(); "
            "os._exit(0)")
    subprocess.run([sys.executable, "-c", code], check=True)
    assert Path(str(db_path) + "-wal").stat().st_size > 0


def test_corrupted_mid_file_after_unclean_shutdown_is_refused(
        district: tuple[Path, Path]) -> None:
    db_path, filled = district
    backup = make_backup(db_path, "manual")
    _unclean_shutdown(db_path)
    size = db_path.stat().st_size
    with db_path.open("r+b") as fh:  # garbage over pages in the middle of the file
        fh.seek(size // 2 - (size // 2) % 4096)
        fh.write(os.urandom(4096 * 3))
    for args in (["merge", "--db", str(db_path), str(filled)],
                 ["progress", "--db", str(db_path), "--period", "2021-06", "--json"]):
        line = one_line(cli(*args))
        assert "已损坏" in line and str(backup) in line
    # and restoring the backup brings it back
    result = cli("backup", "restore", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert cli("progress", "--db", str(db_path), "--period", "2021-06").returncode == 0


def test_foreign_files_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("会议纪要", "utf-8")
    line = one_line(cli("progress", "--db", str(text), "--period", "2021-06"))
    assert "不是台账数据库" in line and str(text) in line
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    line = one_line(cli("progress", "--db", str(other), "--period", "2021-06"))
    assert "不是台账数据库" in line
    assert [r[0] for r in sqlite3.connect(other).execute(
        "SELECT name FROM sqlite_master WHERE type='table'")] == ["customers"]


# ---------------------------------------------------------------- replaced under a merge

@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_merge_stops_when_the_file_is_replaced_under_it(how: str, district: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    db_path, filled = district
    second = shutil.copy(filled, tmp_path / "回报2.xlsx")
    engine = open_database(db_path)
    spare = tmp_path / "spare.db"
    copy_sqlite(db_path, spare)

    class Swap:  # between the first and the second packet's transaction
        def step(self, done: int, total: int, text: str = "") -> None:
            if done == 1 and text.startswith("正在导入"):
                if how == "deleted":
                    db_path.unlink()
                else:
                    os.replace(spare, db_path)

    try:
        with pytest.raises(UserFacingError, match=f"被{'删除' if how == 'deleted' else '替换'}"):
            apply_packets(engine, [filled, second], reporter=Swap())  # type: ignore[arg-type]
    finally:
        engine.dispose()
    assert list_backups(db_path)[0].reason == "merge"
