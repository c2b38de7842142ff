"""Automatic backups: made through the backup API before a merge batch, a plan import and
edits, rotated, listed newest first, and put back with a copy of the current file."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import copy_sqlite
from merge_helpers import table_dump
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.services.backups import (
    KEEP_DEFAULT,
    backup_folder,
    list_backups,
    make_backup,
    newest_backup,
    restore_backup,
)
from app.services.db import open_database, set_setting
from app.services.plans.edit import plan_settings, update_plan_settings


@pytest.fixture
def db_path(tmp_path: Path, tianning_template: Path) -> Path:
    path = tmp_path / "district.db"
    copy_sqlite(tianning_template, path)
    return path


def test_backups_rotate_keeping_the_setting(db_path: Path) -> None:
    made = [make_backup(db_path, "manual") for _ in range(KEEP_DEFAULT + 3)]
    kept = list_backups(db_path)
    assert len(kept) == KEEP_DEFAULT
    assert [b.path for b in kept] == list(reversed(made))[:KEEP_DEFAULT]  # newest first
    assert all(b.path.parent == backup_folder(db_path) for b in kept)
    assert table_dump(kept[0].path) == table_dump(db_path)
    engine = open_database(db_path)
    with Session(engine) as s, s.begin():
        set_setting(s, "backup_keep", "3")
    engine.dispose()
    make_backup(db_path, "manual")
    assert len(list_backups(db_path)) == 3


def test_an_edit_session_makes_one_backup_and_restore_undoes_it(db_path: Path) -> None:
    engine = open_database(db_path)
    before = table_dump(db_path)
    settings = plan_settings(engine, 1)
    update_plan_settings(engine, 1, replace(settings, title="改过的标题"))
    update_plan_settings(engine, 1, replace(settings, title="又改了"))
    engine.dispose()
    backups = list_backups(db_path)
    assert [b.reason for b in backups] == ["edit"]  # one per five minutes of editing
    assert table_dump(backups[0].path) == before
    kept = restore_backup(db_path, backups[0].path)
    assert table_dump(db_path) == before
    assert kept is not None and "又改了" in str(table_dump(kept)["plan"])
    assert newest_backup(db_path) == kept


def test_min_interval_is_per_reason(db_path: Path) -> None:
    a = make_backup(db_path, "edit", min_interval=dt.timedelta(minutes=5))
    assert make_backup(db_path, "edit", min_interval=dt.timedelta(minutes=5)) is None
    b = make_backup(db_path, "merge")
    assert a is not None and b is not None and len(list_backups(db_path)) == 2


def test_restore_refuses_a_damaged_or_foreign_backup(db_path: Path, tmp_path: Path) -> None:
    before = table_dump(db_path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    for bad in (junk, other):
        with pytest.raises(UserFacingError, match="不能用于恢复"):
            restore_backup(db_path, bad)
    assert table_dump(db_path) == before and list_backups(db_path) == []


def test_backup_failure_stops_before_any_change(db_path: Path) -> None:
    backup_folder(db_path).write_text("a file where the folder should be", "utf-8")
    with pytest.raises(UserFacingError, match=r"无法在 .* 中备份数据库"):
        make_backup(db_path, "merge")
