"""Merging returned packets: the tianning batch, repeats and old revisions, three-way
merge and conflicts, every kind of refused file (and that it changed no data)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
import shutil
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from conftest import copy_sqlite
from merge_helpers import (
    TOWNS,
    Values,
    cell_of,
    fill_by_hand,
    issue,
    libreoffice_resave,
    office_next,
    office_return,
    patch_zip,
    row_keys,
    soffice,
    table_dump,
    zip_with_extra,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cli.main import main as cli_main
from app.core import clock
from app.core.jobs import Cancelled, Reporter
from app.models import AuditLog, Conflict, Packet, ProgressEntry, Receipt, Task, Unit
from app.services.db import Database, open_database
from app.services.district.audit import list_audit
from app.services.district.check import check_packets, collect_files
from app.services.district.conflicts import list_conflicts, resolve_conflict
from app.services.district.merge import apply_packets, merge_json, preview_result
from app.services.district.progress import period_progress, progress_json
from app.services.district.receipts import receipt_ledger
from app.services.packets.format import SHEET_MANIFEST, SHEET_TASKS

PERIOD = "2021-06"
ENV = "天宁生态环境局"  # a department that also leads indicators
# tables a refused packet may touch: the packet ledger and the receipt (收件登记) record
# the refusal of a packet this database issued; every other table must stay identical
LEDGER_TABLES = ("packet", "receipt")
ON_TIME = dt.datetime(2021, 7, 2, 9, 30)  # 2021-06 is due on 2021-07-05


@dataclass
class IssuedSet:
    db: Path
    packets: dict[tuple[str, str], Path]  # (period, unit) -> issued file

    def path(self, unit: str, period: str = PERIOD) -> Path:
        return self.packets[(period, unit)]


@pytest.fixture(scope="session")
def issued_set(tmp_path_factory: pytest.TempPathFactory, tianning_template: Path) -> IssuedSet:
    """2021-05 and 2021-06 packets issued to the eight towns/streets and one department."""
    folder = tmp_path_factory.mktemp("issued")
    path = folder / "district.db"
    copy_sqlite(tianning_template, path)
    engine = open_database(path)
    packets: dict[tuple[str, str], Path] = {}
    for period in ("2021-05", PERIOD):
        for unit, p in issue(engine, period, [*TOWNS, ENV], folder).items():
            packets[(period, unit)] = p
    engine.dispose()
    return IssuedSet(path, packets)


@pytest.fixture
def mdb(issued_set: IssuedSet, tmp_path: Path) -> Iterator[Database]:
    """A district database (copy) in which the packets of `issued_set` were issued."""
    path = tmp_path / "district.db"
    copy_sqlite(issued_set.db, path)
    engine = open_database(path)
    yield engine
    engine.dispose()


def values_for(unit: str, keys: list[str]) -> Values:
    """What a unit reports: a handful of its rows, different per unit."""
    n = TOWNS.index(unit) + 1 if unit in TOWNS else 9
    tasks = [k for k in keys if k.startswith("T:")]
    out: Values = {
        tasks[0]: {"status": "in_progress", "percent": 10.0 * n,
                   "progress": f"{unit}:完成{n}家企业VOCs治理,\n第二行写法", "problems": "",
                   "next_steps": "继续推进", "responsible": "张三", "phone": "0519-8888000" + str(n)},
        tasks[n]: {"status": "completed", "percent": 100.0, "progress": f"{unit}已完成",
                   "completed_on": f"2021-06-{10 + n:02d}"},
        tasks[n + 10]: {"status": "behind", "percent": 35.5,
                        "progress": "=以等号开头的文字", "problems": f"{unit}资金未到位"},
    }
    inds = [k for k in keys if k.startswith("I:")]
    if inds:
        out[inds[0]] = {"value": "96.5", "note": "监测站数据"}
        out[inds[1]] = {"value": "制定实施", "note": ""}
    return out


def expected_tasks(keys: list[str], values: Values, codes: dict[str, str]
                   ) -> list[dict[str, Any]]:
    """progress --json's task list for the reported rows, in plan order."""
    out = []
    for key in keys:
        if key in values and key.startswith("T:"):
            v = values[key]
            out.append({"code": codes[key], "status": v.get("status"),
                        "percent": v.get("percent"), "progress": v.get("progress", ""),
                        "problems": v.get("problems", ""), "next_steps": v.get("next_steps", ""),
                        "closed": False})
    return out


def task_codes(db: Database) -> dict[str, str]:
    with Session(db) as s:
        return {f"T:{uid}": code for uid, code in s.execute(select(Task.uid, Task.code))}


def ledger(db: Database) -> list[Packet]:
    with Session(db) as s:
        return list(s.scalars(select(Packet).where(Packet.direction == "returned")))


def assert_refused_without_data_change(db: Database, files: list[Path], message: str,
                                       period: str | None = PERIOD) -> dict[str, Any]:
    """Dry run and apply both refuse `files` with `message`; data tables are identical."""
    before_all = table_dump(db)
    previews = check_packets(db, files, period=period)
    assert table_dump(db) == before_all  # a dry run writes nothing at all
    assert [p.status for p in previews] == ["rejected"] * len(files)
    results = apply_packets(db, previews, period=period)
    assert [r.status for r in results] == ["rejected"] * len(files)
    text = " ".join(e.message for r in results for e in r.errors)
    assert message in text, text
    after = table_dump(db)
    for table in before_all:
        if table not in LEDGER_TABLES:
            assert after[table] == before_all[table], table
    return merge_json(results)["packets"][0]


# ---------------------------------------------------------------- the tianning batch

@pytest.fixture(scope="session")
def lo_returns(issued_set: IssuedSet, tmp_path_factory: pytest.TempPathFactory
               ) -> dict[str, Path]:
    """Two hand-filled packets re-saved by LibreOffice (slow: done once)."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("lo")
    out = {}
    for unit in TOWNS[6:]:
        src = issued_set.path(unit)
        hand = fill_by_hand(src, folder / "hand" / f"{unit}.xlsx",
                            values_for(unit, row_keys(src)))
        out[unit] = libreoffice_resave(hand, folder / "resaved")
    return out


def test_the_eight_towns_merge_in_one_batch(mdb: Database, issued_set: IssuedSet,
                                            lo_returns: dict[str, Path], tmp_path: Path
                                            ) -> None:
    files: list[Path] = []
    entered: dict[str, Values] = {}
    for i, unit in enumerate(TOWNS):
        src = issued_set.path(unit)
        values = values_for(unit, row_keys(src))
        entered[unit] = values
        if i < 3:
            files.append(office_return(src, tmp_path / "office" / f"{unit}.xlsx", values,
                                       PERIOD))
        elif i < 6:
            files.append(fill_by_hand(src, tmp_path / "hand" / f"{unit}.xlsx", values))
        else:
            files.append(lo_returns[unit])

    previews = check_packets(mdb, files, period=PERIOD)
    assert [(p.unit, p.status) for p in previews] == [(u, "new") for u in TOWNS], [p.errors for p in previews]
    assert all(p.rows_new == 3 and p.rows_changed == 0 and not p.errors for p in previews)
    assert all(p.rows_unchanged == 47 for p in previews)

    results = apply_packets(mdb, previews, period=PERIOD, received_at=ON_TIME)
    assert [r.status for r in results] == ["applied"] * 8, [r.errors for r in results]
    assert [r.rows_applied for r in results] == [3] * 8

    data = progress_json(period_progress(mdb, PERIOD, 1))
    codes = task_codes(mdb)
    by_unit = {u["name"]: u for u in data["units"]}
    for unit in TOWNS:
        keys = row_keys(issued_set.path(unit))
        assert by_unit[unit]["returned"] is True
        assert by_unit[unit]["late"] is False
        assert by_unit[unit]["tasks"] == expected_tasks(keys, entered[unit], codes), unit
    assert by_unit[ENV]["returned"] is False and by_unit[ENV]["tasks"] == []

    # every stored field is in the 日志 with packet, file hash, sheet and cell, read from
    # the packet ledger: a first value writes no audit row
    with Session(mdb) as s:
        assert s.scalar(select(func.count()).select_from(AuditLog)) == 0
        returned = {p.id: p for p in s.scalars(select(Packet).where(
            Packet.direction == "returned"))}
    audit = list_audit(mdb)
    assert len(audit) == sum(1 for vals in entered.values() for v in vals.values()
                             for x in v.values() if x not in ("", None))
    for a in audit:
        assert a.packet_id in returned and a.file_hash == returned[a.packet_id].file_hash
        assert a.sheet == SHEET_TASKS and a.cell and a.old is None

    # the whole batch again: nothing changes
    before = table_dump(mdb)
    again = apply_packets(mdb, files, period=PERIOD)
    assert [r.status for r in again] == ["unchanged"] * 8
    assert table_dump(mdb) == before


def test_indicator_values_and_text_that_looks_like_a_formula(mdb: Database,
                                                             issued_set: IssuedSet,
                                                             tmp_path: Path) -> None:
    src = issued_set.path(ENV)
    keys = row_keys(src)
    values = values_for(ENV, keys)
    hand = fill_by_hand(src, tmp_path / "env.xlsx", values)
    [result] = apply_packets(mdb, [hand], period=PERIOD)
    assert result.status == "applied", result.errors
    data = progress_json(period_progress(mdb, PERIOD, 1))
    env = next(u for u in data["units"] if u["name"] == ENV)
    inds = [k for k in keys if k.startswith("I:")]
    assert [i["value"] for i in env["indicators"]] == ["96.5", "制定实施"]
    assert len(env["indicators"]) == len([k for k in inds if k in values])
    assert any(t["progress"] == "=以等号开头的文字" for t in env["tasks"])


def test_wrong_cached_dimensions_like_wps(mdb: Database, issued_set: IssuedSet,
                                          tmp_path: Path) -> None:
    """WPS may write a sheet dimension of one cell; every row is still read."""
    src = issued_set.path("茶山街道")
    keys = row_keys(src)
    values = values_for("茶山街道", keys)
    hand = fill_by_hand(src, tmp_path / "wps.xlsx", values)
    patch_zip(hand, {'<dimension ref="A1:O52"/>': '<dimension ref="A1"/>',
                     '<dimension ref="A1:O52" />': '<dimension ref="A1" />'})
    with zipfile.ZipFile(hand) as z:
        assert any(b'<dimension ref="A1"' in z.read(n) for n in z.namelist()
                   if n.startswith("xl/worksheets/"))
    [result] = apply_packets(mdb, [hand], period=PERIOD, received_at=ON_TIME)
    assert result.status == "applied" and result.rows_applied == 3, result.errors
    data = progress_json(period_progress(mdb, PERIOD, 1))
    unit = next(u for u in data["units"] if u["name"] == "茶山街道")
    assert unit["tasks"] == expected_tasks(keys, values, task_codes(mdb))


# ---------------------------------------------------------------- repeats and order

def test_same_file_twice_is_unchanged(mdb: Database, issued_set: IssuedSet,
                                      tmp_path: Path) -> None:
    src = issued_set.path("青龙街道")
    hand = fill_by_hand(src, tmp_path / "a.xlsx", values_for("青龙街道", row_keys(src)))
    copy = tmp_path / "resent" / "a (1).xlsx"
    copy.parent.mkdir()
    shutil.copy(hand, copy)
    assert apply_packets(mdb, [hand], period=PERIOD)[0].status == "applied"
    before = table_dump(mdb)
    [again] = apply_packets(mdb, [copy], period=PERIOD)
    assert again.status == "unchanged" and again.rows_applied == 0
    assert table_dump(mdb) == before
    # and twice inside one batch: counted once
    results = apply_packets(mdb, [hand, copy], period=PERIOD)
    assert [r.status for r in results] == ["unchanged", "unchanged"]


def test_older_revision_after_newer_is_superseded(mdb: Database, issued_set: IssuedSet,
                                                  tmp_path: Path) -> None:
    src = issued_set.path("茶山街道")
    keys = row_keys(src)
    first = {keys[0]: {"status": "in_progress", "percent": 20.0, "progress": "第一次"}}
    second = {keys[0]: {"status": "in_progress", "percent": 40.0, "progress": "第二次"}}
    rev1 = office_return(src, tmp_path / "r1" / "茶山.xlsx", first, PERIOD, times=1)
    # the same office goes on filling and exports again: revision 2 continues revision 1
    rev2 = office_next(rev1, tmp_path / "r2" / "茶山.xlsx", second, PERIOD)
    assert [r.status for r in apply_packets(mdb, [rev2], period=PERIOD)] == ["applied"]
    before = table_dump(mdb)
    [old] = apply_packets(mdb, [rev1], period=PERIOD)
    assert old.status == "superseded" and "第 2 版" in old.reason
    assert table_dump(mdb) == before
    # a hand-filled copy of the issued packet (revision 0) is older still
    hand = fill_by_hand(src, tmp_path / "hand.xlsx", first)
    assert apply_packets(mdb, [hand], period=PERIOD)[0].status == "superseded"
    with Session(mdb) as s:
        e = s.scalar(select(ProgressEntry).join(Unit).where(Unit.name == "茶山街道"))
        assert e is not None and e.percent == 40 and e.progress == "第二次"


def test_in_one_batch_the_export_continuing_another_wins(mdb: Database, issued_set: IssuedSet,
                                               tmp_path: Path) -> None:
    src = issued_set.path("红梅街道")
    keys = row_keys(src)
    rev1 = office_return(src, tmp_path / "r1" / "x.xlsx", {keys[0]: {"percent": 20.0}},
                         PERIOD, times=1)
    rev2 = office_next(rev1, tmp_path / "r2" / "x.xlsx", {}, PERIOD)
    rev3 = office_next(rev2, tmp_path / "r3" / "x.xlsx", {keys[0]: {"percent": 60.0}}, PERIOD)
    previews = check_packets(mdb, [rev3, rev1], period=PERIOD)  # rev3 continues rev1
    assert [p.status for p in previews] == ["new", "superseded"]
    results = apply_packets(mdb, previews, period=PERIOD)
    assert [r.status for r in results] == ["applied", "superseded"]
    data = progress_json(period_progress(mdb, PERIOD, 1))
    unit = next(u for u in data["units"] if u["name"] == "红梅街道")
    assert [t["percent"] for t in unit["tasks"]] == [60.0]


# ---------------------------------------------------------------- three-way merge

def _district_edits(db: Database, unit: str, key: str, **values: Any) -> int:
    """The district corrects a stored entry (what its own form would do)."""
    with Session(db) as s, s.begin():
        uid = key[2:]
        entry = s.scalar(select(ProgressEntry).join(Task).join(Unit, Unit.id ==
                                                               ProgressEntry.unit_id)
                         .where(Unit.name == unit, Task.uid == uid))
        assert entry is not None
        for f, v in values.items():
            setattr(entry, f, v)
        return entry.id


def test_three_way_merge_takes_theirs_keeps_ours_and_queues_conflicts(
        mdb: Database, issued_set: IssuedSet, tmp_path: Path) -> None:
    unit = "天宁街道"
    src = issued_set.path(unit)
    keys = row_keys(src)
    key = keys[0]
    v1 = {key: {"status": "in_progress", "percent": 30.0, "progress": "一月进展",
                "problems": "", "responsible": "李四"}}
    r1 = office_return(src, tmp_path / "o" / "t.xlsx", v1, PERIOD, times=1)
    assert apply_packets(mdb, [r1], period=PERIOD)[0].status == "applied"
    # the district corrects percent and responsible after merging
    entry_id = _district_edits(mdb, unit, key, percent=35.0, responsible="李四(区核)")
    # the office, unaware, sends revision 2: new progress text (only theirs changed),
    # same responsible (only ours changed), a different percent (both changed)
    v2 = {key: {**v1[key], "percent": 50.0, "progress": "二月进展"}}
    r2 = office_next(r1, tmp_path / "o2" / "t.xlsx", v2, PERIOD)
    [preview] = check_packets(mdb, [r2], period=PERIOD)
    assert preview.status == "new" and preview.conflicts == 1
    actions = {c.field: c.action for c in preview.changes}
    assert actions == {"progress": "take", "percent": "conflict"}
    [result] = apply_packets(mdb, [preview], period=PERIOD)
    assert result.status == "applied" and result.conflicts == 1
    [warning] = result.as_json()["warnings"]
    assert warning["cell"] == cell_of(src, key, "percent")[1]
    assert "区里已改为“35”" in warning["message"] and "冲突" in warning["message"]
    with Session(mdb) as s:
        e = s.get(ProgressEntry, entry_id)
        assert e is not None
        assert (e.progress, e.percent, e.responsible) == ("二月进展", 35.0, "李四(区核)")
    [conflict] = list_conflicts(mdb)
    assert (conflict.field, conflict.issued, conflict.returned, conflict.current) == (
        "percent", "30", "50", "35")
    assert conflict.unit == unit and conflict.sheet == SHEET_TASKS
    assert conflict.cell == cell_of(src, key, "percent")[1]

    taken = resolve_conflict(mdb, conflict.id, "take")
    assert taken.status == "taken" and taken.now == "50"
    with Session(mdb) as s:
        assert s.get(ProgressEntry, entry_id).percent == 50.0  # type: ignore[union-attr]
        last = s.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
        assert last is not None and (last.field, last.old, last.new) == ("percent", "35", "50")
    assert list_conflicts(mdb) == []
    with pytest.raises(Exception, match="已处理"):
        resolve_conflict(mdb, conflict.id, "keep")


def test_conflict_kept_leaves_the_district_value(mdb: Database, issued_set: IssuedSet,
                                                 tmp_path: Path) -> None:
    unit = "兰陵街道"
    src = issued_set.path(unit)
    key = row_keys(src)[0]
    r1 = office_return(src, tmp_path / "a" / "x.xlsx", {key: {"status": "in_progress"}},
                       PERIOD, times=1)
    apply_packets(mdb, [r1], period=PERIOD)
    entry_id = _district_edits(mdb, unit, key, status="behind")
    r2 = office_return(src, tmp_path / "b" / "x.xlsx", {key: {"status": "completed",
                                                             "percent": 100.0,
                                                             "completed_on": "2021-06-30"}},
                       PERIOD, times=2)
    [result] = apply_packets(mdb, [r2], period=PERIOD)
    assert result.conflicts == 1
    [c] = list_conflicts(mdb)
    kept = resolve_conflict(mdb, c.id, "keep")
    assert kept.status == "kept"
    with Session(mdb) as s:
        e = s.get(ProgressEntry, entry_id)
        assert e is not None and e.status == "behind" and e.percent == 100.0
        assert e.completed_on == dt.date(2021, 6, 30)
        assert s.scalar(select(Conflict.status)) == "kept"
    # the same return again does not raise the conflict again
    before = table_dump(mdb)
    assert apply_packets(mdb, [r2], period=PERIOD)[0].status == "unchanged"
    assert table_dump(mdb) == before


def test_a_newer_return_replaces_an_undecided_conflict(mdb: Database, issued_set: IssuedSet,
                                                       tmp_path: Path) -> None:
    unit = "红梅街道"
    src = issued_set.path(unit)
    key = row_keys(src)[0]
    r1 = office_return(src, tmp_path / "1" / "x.xlsx", {key: {"percent": 10.0}}, PERIOD, 1)
    apply_packets(mdb, [r1], period=PERIOD)
    _district_edits(mdb, unit, key, percent=15.0)
    r2 = office_return(src, tmp_path / "2" / "x.xlsx", {key: {"percent": 20.0}}, PERIOD, 2)
    r3 = office_return(src, tmp_path / "3" / "x.xlsx", {key: {"percent": 30.0}}, PERIOD, 3)
    assert apply_packets(mdb, [r2], period=PERIOD)[0].conflicts == 1
    assert apply_packets(mdb, [r3], period=PERIOD)[0].conflicts == 1
    [old] = list_conflicts(mdb, status="replaced")
    [new] = list_conflicts(mdb)
    assert (old.returned, new.returned, new.now) == ("20", "30", "15")


# ---------------------------------------------------------------- refused files

def test_last_months_packet_is_refused_naming_both_periods(mdb: Database,
                                                           issued_set: IssuedSet,
                                                           tmp_path: Path) -> None:
    src = issued_set.path("郑陆镇", "2021-05")
    hand = fill_by_hand(src, tmp_path / "may.xlsx", values_for("郑陆镇", row_keys(src)))
    out = assert_refused_without_data_change(mdb, [hand], "2021年5月")
    assert "2021年6月" in out["errors"][0]["message"]
    assert ledger(mdb) == []  # a good packet of another month is not "refused" in the ledger
    # merged in its own period it is fine
    assert apply_packets(mdb, [hand], period="2021-05")[0].status == "applied"


def test_tampered_seal_is_refused_and_recorded(mdb: Database, issued_set: IssuedSet,
                                               tmp_path: Path) -> None:
    src = issued_set.path("雕庄街道")
    hand = fill_by_hand(src, tmp_path / "t.xlsx", values_for("雕庄街道", row_keys(src)))
    wb = openpyxl.load_workbook(hand)
    ws = wb[SHEET_MANIFEST]
    seal_row = next(r for r in range(1, 30) if ws.cell(r, 1).value == "seal")
    ws.cell(seal_row, 2).value = "0" * 64
    wb.save(hand)
    assert_refused_without_data_change(mdb, [hand], "防伪校验")
    [row] = ledger(mdb)
    assert row.outcome == "rejected" and "防伪校验" in row.message
    with Session(mdb) as s:
        r = s.scalar(select(Receipt).join(Unit).where(Unit.name == "雕庄街道",
                                                       Receipt.period_id == row.period_id))
        assert r is not None and r.state == "rejected"


def test_manifest_of_another_unit_is_refused(mdb: Database, issued_set: IssuedSet,
                                             tmp_path: Path) -> None:
    """青龙街道's filled workbook with 茶山街道's manifest sheet copied in."""
    mine = issued_set.path("青龙街道")
    theirs = issued_set.path("茶山街道")
    hand = fill_by_hand(mine, tmp_path / "q.xlsx", values_for("青龙街道", row_keys(mine)))
    src_ws = openpyxl.load_workbook(theirs)[SHEET_MANIFEST]
    wb = openpyxl.load_workbook(hand)
    ws = wb[SHEET_MANIFEST]
    for row in src_ws.iter_rows():
        for c in row:
            ws[c.coordinate] = c.value
    wb.save(hand)
    out = assert_refused_without_data_change(mdb, [hand], "混用了其他单位")
    assert out["errors"][0]["sheet"] == SHEET_TASKS and out["errors"][0]["cell"] == "A1"

    # and with only the unit name changed in the manifest: the seal catches it
    hand2 = fill_by_hand(mine, tmp_path / "q2.xlsx", values_for("青龙街道", row_keys(mine)))
    wb = openpyxl.load_workbook(hand2)
    ws = wb[SHEET_MANIFEST]
    unit_row = next(r for r in range(1, 30) if ws.cell(r, 1).value == "unit")
    ws.cell(unit_row, 2).value = "茶山街道"
    wb.save(hand2)
    assert_refused_without_data_change(mdb, [hand2], "防伪校验")


def test_corrupted_zip_xlsm_and_renamed_xls_are_refused(mdb: Database,
                                                        issued_set: IssuedSet,
                                                        tmp_path: Path) -> None:
    src = issued_set.path("开发区")
    data = fill_by_hand(src, tmp_path / "ok.xlsx",
                        values_for("开发区", row_keys(src))).read_bytes()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(data[: len(data) // 2])
    assert_refused_without_data_change(mdb, [broken], "损坏")
    macro = tmp_path / "filled.xlsm"
    macro.write_bytes(data)
    assert_refused_without_data_change(mdb, [macro], "宏")
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    assert_refused_without_data_change(mdb, [xls], ".xls")
    assert ledger(mdb) == []  # unidentifiable files leave no trace at all


def test_zip_bombs_are_refused_before_parsing(mdb: Database, issued_set: IssuedSet,
                                              tmp_path: Path) -> None:
    src = issued_set.path("开发区")
    hand = fill_by_hand(src, tmp_path / "ok.xlsx", values_for("开发区", row_keys(src)))
    huge = zip_with_extra(hand, tmp_path / "huge.xlsx",
                          {"xl/media/pad.bin": b"\0" * (120 * 1024 * 1024)})
    assert huge.stat().st_size < 2 * 1024 * 1024
    assert_refused_without_data_change(mdb, [huge], "压缩炸弹")
    many = zip_with_extra(hand, tmp_path / "many.xlsx",
                          {f"xl/media/p{i}.bin": b"x" for i in range(1200)})
    assert_refused_without_data_change(mdb, [many], "条目过多")


@pytest.mark.parametrize(("field", "raw", "message"), [
    ("percent", 150, "0–100"),
    ("completed_on", "2021-13-45", "不是日期"),
    ("progress", "正常文字\x07响铃", "控制字符"),
    ("percent", "=50+10", "公式"),
])
def test_invalid_input_refuses_the_whole_packet(mdb: Database, issued_set: IssuedSet,
                                                tmp_path: Path, field: str, raw: Any,
                                                message: str) -> None:
    src = issued_set.path("青龙街道")
    keys = row_keys(src)
    sheet, ref = cell_of(src, keys[4], field)
    hand = fill_by_hand(src, tmp_path / "bad.xlsx", values_for("青龙街道", keys),
                        raw={(sheet, ref): raw})
    out = assert_refused_without_data_change(mdb, [hand], message)
    assert {"sheet": sheet, "cell": ref} == {k: out["errors"][0][k] for k in ("sheet", "cell")}
    [row] = ledger(mdb)
    assert row.outcome == "rejected"


def test_unknown_row_key_refuses_the_packet(mdb: Database, issued_set: IssuedSet,
                                            tmp_path: Path) -> None:
    src = issued_set.path("青龙街道")
    keys = row_keys(src)
    wb = openpyxl.load_workbook(src)
    ws = wb[SHEET_TASKS]
    key_col = next(c.column for c in ws[2] if c.value == "行标识")
    ws.cell(3, key_col).value = "T:" + "f" * 32
    hand = tmp_path / "key.xlsx"
    wb.save(hand)
    fill_by_hand(hand, hand, {keys[1]: {"status": "in_progress"}})
    assert_refused_without_data_change(mdb, [hand], "不是本包下发的行")


def test_edited_fixed_cell_is_a_warning_and_ignored(mdb: Database, issued_set: IssuedSet,
                                                    tmp_path: Path) -> None:
    src = issued_set.path("青龙街道")
    keys = row_keys(src)
    values = values_for("青龙街道", keys)
    hand = fill_by_hand(src, tmp_path / "f.xlsx", values,
                        raw={(SHEET_TASKS, "C3"): "我把任务内容改了"})
    [result] = apply_packets(mdb, [hand], period=PERIOD)
    assert result.status == "applied"
    assert any(w.cell == "C3" and "固定内容被修改" in w.message for w in result.warnings)
    with Session(mdb) as s:
        assert "我把" not in (s.scalar(select(Task.text).where(Task.uid == keys[0][2:])) or "")


def test_issued_file_itself_is_not_a_return(mdb: Database, issued_set: IssuedSet) -> None:
    out = assert_refused_without_data_change(mdb, [issued_set.path("青龙街道")], "原始文件")
    assert out["status"] == "rejected"
    assert ledger(mdb) == []


def test_packet_of_another_database_is_refused(mdb: Database, issued_set: IssuedSet,
                                               tmp_path: Path, tianning_template: Path) -> None:
    other_path = tmp_path / "other.db"
    copy_sqlite(tianning_template, other_path)
    other = open_database(other_path)
    [foreign] = issue(other, PERIOD, ["青龙街道"], tmp_path / "other").values()
    other.dispose()
    hand = fill_by_hand(foreign, tmp_path / "foreign.xlsx", values_for("青龙街道",
                                                                      row_keys(foreign)))
    assert_refused_without_data_change(mdb, [hand], "不是本数据库下发的")


# ---------------------------------------------------------------- batch mechanics

def test_dry_run_writes_nothing_and_folders_are_collected(mdb: Database,
                                                          issued_set: IssuedSet,
                                                          tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    for unit in TOWNS[:3]:
        src = issued_set.path(unit)
        fill_by_hand(src, folder / unit / "返回.xlsx", values_for(unit, row_keys(src)))
    (folder / "说明.txt").write_text("not a packet", "utf-8")
    (folder / "~$返回.xlsx").write_bytes(b"lock")
    (folder / "旧.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    files = collect_files([folder])
    assert sorted(f.name for f in files) == ["旧.xls", "返回.xlsx", "返回.xlsx", "返回.xlsx"]
    before = table_dump(mdb)
    previews = check_packets(mdb, files, period=PERIOD)
    assert sorted(p.status for p in previews) == ["new", "new", "new", "rejected"]
    assert table_dump(mdb) == before


def test_cancel_stops_between_packets(mdb: Database, issued_set: IssuedSet,
                                      tmp_path: Path) -> None:
    files = []
    for unit in TOWNS[:4]:
        src = issued_set.path(unit)
        files.append(fill_by_hand(src, tmp_path / f"{unit}.xlsx",
                                  values_for(unit, row_keys(src))))
    previews = check_packets(mdb, files, period=PERIOD)
    reporter = Reporter()
    steps = []

    def on_step(done: int, total: int, text: str) -> None:
        steps.append(done)
        if done == 1:  # while the second packet is being merged, the user cancels
            reporter.cancel()

    reporter._callback = on_step
    results = apply_packets(mdb, previews, period=PERIOD, reporter=reporter)
    assert [r.status for r in results] == ["applied", "applied", "cancelled", "cancelled"]
    data = progress_json(period_progress(mdb, PERIOD, 1))
    assert sum(u["returned"] for u in data["units"]) == 2
    with pytest.raises(Cancelled):
        cancelled = Reporter()
        cancelled.cancel()
        check_packets(mdb, files, period=PERIOD, reporter=cancelled)


def test_late_return_and_receipt(mdb: Database, issued_set: IssuedSet, tmp_path: Path) -> None:
    src = issued_set.path("郑陆镇")
    hand = fill_by_hand(src, tmp_path / "z.xlsx", values_for("郑陆镇", row_keys(src)))
    late = dt.datetime(2021, 7, 9, 10, 0)  # due 2021-07-05
    [r] = apply_packets(mdb, [hand], period=PERIOD, received_at=late)
    assert r.status == "applied"
    data = progress_json(period_progress(mdb, PERIOD, 1))
    unit = next(u for u in data["units"] if u["name"] == "郑陆镇")
    assert unit["returned"] and unit["late"]


# ---------------------------------------------------------------- command line

def test_cli_json_and_exit_status(issued_set: IssuedSet, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "cli.db"
    copy_sqlite(issued_set.db, db_path)
    src = issued_set.path("青龙街道")
    good = fill_by_hand(src, tmp_path / "good.xlsx", values_for("青龙街道", row_keys(src)))
    bad = tmp_path / "bad.xlsm"
    bad.write_bytes(good.read_bytes())
    before = table_dump(db_path)

    assert cli_main(["merge", "--db", str(db_path), "--dry-run", "--json", str(good)]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry == {"packets": [{"file": str(good), "status": "applied", "unit": "青龙街道",
                                "period": PERIOD, "rows_applied": 3, "errors": []}]}
    assert table_dump(db_path) == before

    assert cli_main(["merge", "--db", str(db_path), "--json", "--period", PERIOD,
                     str(good), str(bad)]) == 1
    out = json.loads(capsys.readouterr().out)["packets"]
    assert [p["status"] for p in out] == ["applied", "rejected"]
    assert set(out[1]) >= {"file", "status", "unit", "period", "rows_applied", "errors"}
    assert set(out[1]["errors"][0]) == {"sheet", "cell", "message"}

    assert cli_main(["merge", "--db", str(db_path), "--json", str(good)]) == 0
    assert json.loads(capsys.readouterr().out)["packets"][0]["status"] == "unchanged"

    assert cli_main(["merge", "--db", str(db_path)]) == 2
    assert cli_main(["merge", "--db", str(db_path), str(tmp_path / "nope.xlsx")]) == 2
    assert cli_main(["merge", "--db", str(tmp_path / "none.db"), str(good)]) == 2
    assert cli_main(["merge", "--db", str(db_path), "--period", "June", str(good)]) == 2
    capsys.readouterr()


def test_superseded_exits_1(issued_set: IssuedSet, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "cli.db"
    copy_sqlite(issued_set.db, db_path)
    src = issued_set.path("茶山街道")
    key = row_keys(src)[0]
    r2 = office_return(src, tmp_path / "b" / "x.xlsx", {key: {"percent": 5.0}}, PERIOD, times=2)
    r1 = fill_by_hand(src, tmp_path / "a.xlsx", {key: {"percent": 1.0}})
    assert cli_main(["merge", "--db", str(db_path), "--json", str(r2)]) == 0
    assert cli_main(["merge", "--db", str(db_path), "--json", str(r1)]) == 1
    out = capsys.readouterr().out
    assert '"superseded"' in out


def test_a_0730_beijing_return_on_the_6th_is_late(mdb: Database, issued_set: IssuedSet,
                                                   tmp_path: Path, beijing_time: None) -> None:
    """Deadlines are local dates: 07:30 in Beijing on the 6th is late for a due date of the 5th,
    although it is still the 5th in UTC (the stored convention)."""
    src = issued_set.path("雕庄街道")
    hand = fill_by_hand(src, tmp_path / "d.xlsx", values_for("雕庄街道", row_keys(src)))
    at = dt.datetime(2021, 7, 6, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    [r] = apply_packets(mdb, [hand], period=PERIOD, received_at=at)
    assert r.status == "applied"
    with Session(mdb) as s:
        stored = s.scalar(select(Receipt.received_at).join(Unit, Unit.id == Receipt.unit_id)
                          .where(Unit.name == "雕庄街道"))
    assert stored == dt.datetime(2021, 7, 5, 23, 30)  # naive UTC
    data = period_progress(mdb, PERIOD, 1)
    unit = next(u for u in data.units if u.name == "雕庄街道")
    assert unit.late and unit.received_at == dt.datetime(2021, 7, 6, 7, 30)  # shown local
    row = next(r for r in receipt_ledger(mdb, 1, PERIOD, today=dt.date(2021, 7, 20)).rows
               if r.unit == "雕庄街道")
    assert (row.state, row.days_late) == ("late", 1)
    assert row.received_at == dt.datetime(2021, 7, 6, 7, 30)


def test_issue_and_merge_in_the_same_second_stamp_the_same_time(
        tianning: Database, tmp_path: Path, beijing_time: None) -> None:
    """Every stored stamp comes from one clock: under UTC+8 an issued packet and its return
    merged at once are not 8 hours apart, and the 日志 shows the local wall-clock time."""
    src = issue(tianning, PERIOD, ["青龙街道"], tmp_path)["青龙街道"]
    hand = fill_by_hand(src, tmp_path / "q.xlsx", values_for("青龙街道", row_keys(src)))
    while time.time() % 1 > 0.2:  # start early in a second: both stamps then fall inside it
        time.sleep(0.02)
    before, wall_before = time.time(), dt.datetime.now()
    again = issue(tianning, PERIOD, ["茶山街道"], tmp_path / "again")["茶山街道"]
    [r] = apply_packets(tianning, [hand], period=PERIOD)
    after = time.time()
    assert again.is_file() and r.status == "applied"
    with Session(tianning) as s:
        issued = s.scalar(select(Packet.created_at).where(Packet.direction == "issued")
                          .order_by(Packet.created_at.desc()).limit(1))
        returned = s.scalar(select(Packet.created_at).where(Packet.direction == "returned"))
        received = s.scalar(select(Receipt.received_at))
    assert issued is not None and returned is not None
    assert dt.timedelta(0) <= returned - issued <= dt.timedelta(seconds=after - before)
    if int(before) == int(after):  # the same second: equal to the second
        assert returned.replace(microsecond=0) == issued.replace(microsecond=0)
    assert received == returned
    assert {a.at for a in list_audit(tianning)} == {clock.to_local(returned)}
    [entry, *_] = list_audit(tianning, plan_id=1)
    assert abs(entry.at - wall_before) <= dt.timedelta(seconds=after - before + 1)


# ---------------------------------------------------------------- the preview is a value

def test_applying_leaves_the_previews_as_they_were_and_compares_once(
        mdb: Database, issued_set: IssuedSet, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.district import check

    compares: list[str] = []
    real = check._compare
    monkeypatch.setattr(check, "_compare", lambda target, packet, *a: (
        compares.append(packet.manifest.unit), real(target, packet, *a))[1])
    files = []
    for unit in TOWNS[:3]:
        src = issued_set.path(unit)
        files.append(office_return(src, tmp_path / unit / "x.xlsx",
                                   values_for(unit, row_keys(src)), PERIOD, times=1))
    previews = check_packets(mdb, files, period=PERIOD)
    assert isinstance(previews, tuple) and sorted(compares) == sorted(TOWNS[:3])
    before = copy.deepcopy(previews)
    with pytest.raises(dataclasses.FrozenInstanceError):
        previews[0].status = "rejected"  # type: ignore[misc]
    results = apply_packets(mdb, previews, period=PERIOD)
    assert [r.status for r in results] == ["applied"] * 3
    assert [r.rows_applied for r in results] == [p.rows_applied for p in previews]
    assert previews == before  # nothing in the previews (their writes included) changed
    assert len(compares) == 3  # the check's compare was reused: nothing changed since


def test_applying_compares_again_when_the_database_moved_since_the_check(
        mdb: Database, issued_set: IssuedSet, tmp_path: Path) -> None:
    unit = "天宁街道"
    src = issued_set.path(unit)
    key = row_keys(src)[0]
    v1 = {key: {"status": "in_progress", "percent": 30.0, "progress": "一月进展"}}
    r1 = office_return(src, tmp_path / "1" / "t.xlsx", v1, PERIOD, times=1)
    assert apply_packets(mdb, [r1], period=PERIOD)[0].status == "applied"
    r2 = office_next(r1, tmp_path / "2" / "t.xlsx", {key: {**v1[key], "percent": 50.0}},
                     PERIOD)  # the same office goes on
    [preview] = check_packets(mdb, [r2], period=PERIOD)
    assert preview.status == "new" and preview.conflicts == 0
    before = copy.deepcopy(preview)
    _district_edits(mdb, unit, key, percent=35.0)  # after the check, before applying
    [result] = apply_packets(mdb, [preview], period=PERIOD)
    assert result.status == "applied" and result.conflicts == 1  # found by checking again
    assert preview == before and preview.conflicts == 0
    [conflict] = list_conflicts(mdb)
    assert (conflict.returned, conflict.current) == ("50", "35")


def test_files_added_to_a_checked_batch_are_ordered_by_the_service(
        mdb: Database, issued_set: IssuedSet, tmp_path: Path) -> None:
    src = issued_set.path("红梅街道")
    keys = row_keys(src)
    rev1 = office_return(src, tmp_path / "r1" / "x.xlsx", {keys[0]: {"percent": 20.0}},
                         PERIOD, times=1)
    rev2 = office_next(rev1, tmp_path / "r2" / "x.xlsx", {keys[0]: {"percent": 60.0}}, PERIOD)
    [first] = check_packets(mdb, [rev1], period=PERIOD)
    assert first.status == "new"
    restated, added = check_packets(mdb, [rev2], period=PERIOD, batch=[first])
    assert (restated.status, added.status) == ("superseded", "new")
    assert "第 2 版" in restated.reason and restated.path == first.path
    assert first.status == "new"  # the earlier preview itself is untouched
    results = apply_packets(mdb, [restated, added], period=PERIOD)
    assert [r.status for r in results] == ["superseded", "applied"]


# ---------------------------------------------------------------- merging from paths

def test_from_paths_each_file_is_read_identified_and_compared_once(
        mdb: Database, issued_set: IssuedSet, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch of files is glanced at, then each file is read, checked and written once
    (no dry pass before the writes: the previews of a batch are not kept)."""
    from app.services.district import check

    calls: dict[str, list[str]] = {"read": [], "identify": [], "compare": []}
    read, identify, compare = check.read_packet, check._identify, check._compare
    monkeypatch.setattr(check, "read_packet", lambda src, **kw: (
        calls["read"].append(kw.get("name", "")), read(src, **kw))[1])
    monkeypatch.setattr(check, "_identify", lambda s, packet, *a: (
        calls["identify"].append(packet.manifest.unit), identify(s, packet, *a))[1])
    monkeypatch.setattr(check, "_compare", lambda target, packet, *a: (
        calls["compare"].append(packet.manifest.unit), compare(target, packet, *a))[1])
    files = []
    for unit in TOWNS[:3]:
        src = issued_set.path(unit)
        files.append(fill_by_hand(src, tmp_path / f"{unit}.xlsx", values_for(unit, row_keys(src))))
    results = apply_packets(mdb, files, period=PERIOD)
    assert [r.status for r in results] == ["applied"] * 3
    assert sorted(calls["read"]) == sorted(f.name for f in files)
    assert sorted(calls["identify"]) == sorted(calls["compare"]) == sorted(TOWNS[:3])


@pytest.mark.parametrize("glancing", ["glanced", "read whole"])
def test_from_paths_the_batch_says_what_its_dry_run_said(
        glancing: str, mdb: Database, issued_set: IssuedSet, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of one packet dropped together are ordered as the dry run orders them (an
    export continued by another loses, a copy counts once), other files merge one by one;
    applying the paths reports the same facts as the dry run of the same files — also
    when no file can be glanced at (each is then read whole first, once)."""
    if glancing == "read whole":
        from app.services.district import check

        monkeypatch.setattr(check, "glance", lambda source: None)
    src = issued_set.path("红梅街道")
    keys = row_keys(src)
    rev1 = office_return(src, tmp_path / "r1" / "x.xlsx", {keys[0]: {"percent": 20.0}},
                         PERIOD, times=1)
    rev2 = office_next(rev1, tmp_path / "r2" / "x.xlsx", {keys[0]: {"percent": 60.0}}, PERIOD)
    copy2 = tmp_path / "copy" / "x (1).xlsx"
    copy2.parent.mkdir()
    shutil.copy(rev2, copy2)
    other_src = issued_set.path("青龙街道")
    other = fill_by_hand(other_src, tmp_path / "青龙.xlsx",
                         values_for("青龙街道", row_keys(other_src)))
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    files = [rev1, other, rev2, broken, copy2]
    previews = check_packets(mdb, files, period=PERIOD)
    dry = merge_json(preview_result(p) for p in previews)
    assert [p["status"] for p in dry["packets"]] == [
        "superseded", "applied", "applied", "rejected", "unchanged"]
    before = table_dump(mdb)
    results = apply_packets(mdb, files, period=PERIOD)
    assert merge_json(results) == dry
    assert [r.reason for r in results] == [p.reason for p in previews]
    assert table_dump(mdb) != before
    data = progress_json(period_progress(mdb, PERIOD, 1))
    unit = next(u for u in data["units"] if u["name"] == "红梅街道")
    assert [t["percent"] for t in unit["tasks"]] == [60.0]


def test_a_glance_reads_a_libreoffice_save(issued_set: IssuedSet,
                                           lo_returns: dict[str, Path]) -> None:
    """A packet re-saved by LibreOffice (its own shared strings and cell layout) is glanced
    at as the reader reads it."""
    from app.services.district.check import glance
    from app.services.packets.reader import read_packet

    for path in lo_returns.values():
        seen, whole = glance(path), read_packet(path)
        assert seen is not None
        assert (seen.packet_uid, seen.file_hash) == (whole.manifest.packet_id, whole.file_hash)


# ---------------------------------------------------------------- reading in worker processes

@pytest.fixture
def town_files(issued_set: IssuedSet, tmp_path: Path) -> list[Path]:
    """The eight towns' returns filled by hand, a broken file among them."""
    files = []
    for unit in TOWNS:
        src = issued_set.path(unit)
        files.append(fill_by_hand(src, tmp_path / "in" / f"{unit}.xlsx",
                                  values_for(unit, row_keys(src))))
    broken = tmp_path / "in" / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    files.insert(3, broken)
    return files


def _counting_takes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The indexes of the files a worker process read (taken from the read-ahead)."""
    from app.services.district import check

    taken: list[int] = []
    take = check.ReadAhead.take

    def counted(self: Any, i: int) -> Any:
        read = take(self, i)
        if read is not None:
            taken.append(i)
        return read

    monkeypatch.setattr(check.ReadAhead, "take", counted)
    return taken


def test_files_read_by_worker_processes_merge_as_files_read_here(
        issued_set: IssuedSet, town_files: list[Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch read ahead by a worker process gives the results and the database that
    reading every file in the merging thread gives, refusals included."""
    from app.services import workers
    from app.services.district import check, merge

    def merged(name: str, readers: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        path = tmp_path / f"{name}.db"
        copy_sqlite(issued_set.db, path)
        engine = open_database(path)
        monkeypatch.setattr(merge, "read_workers", lambda files: readers)
        try:
            results = apply_packets(engine, town_files, period=PERIOD, received_at=ON_TIME)
        finally:
            engine.dispose()
        return merge_json(results)["packets"], table_dump(path)

    import worker_helpers

    refused = town_files[6].with_name("refuse-" + town_files[6].name)
    town_files[6].rename(refused)
    town_files[6] = refused
    # a seal that fails: the worker sends the packet whole, the merge says why
    wb = openpyxl.load_workbook(town_files[7])
    ws = wb[SHEET_MANIFEST]
    ws.cell(next(r for r in range(1, 30) if ws.cell(r, 1).value == "seal"), 2).value = "0" * 64
    wb.save(town_files[7])
    monkeypatch.setattr(check.ReadAhead, "read", staticmethod(worker_helpers.refuse_reading))
    monkeypatch.setattr(check, "read_packet", worker_helpers.refuse_reading)
    here = merged("here", 0)
    assert workers.POOL.start(1, timeout=120) == 1  # up: it reads from the batch's start
    taken = _counting_takes(monkeypatch)
    ahead = merged("ahead", 1)
    # every file but the broken one (the glance could not read it: read whole before)
    assert taken == [0, 1, 2, 4, 5, 6, 7, 8]
    assert ahead == here
    assert [p["status"] for p in here[0]] == ["applied"] * 3 + ["rejected"] + [
        "applied", "applied", "rejected", "rejected", "applied"]
    assert "防伪校验" in here[0][7]["errors"][0]["message"]
    assert "损坏" in here[0][3]["errors"][0]["message"]
    assert here[0][6]["errors"] == [{"sheet": "任务进展", "cell": "H3",
                                     "message": f"“{refused.name}”第 3 行的内容无法读取。"}]
    assert workers.POOL.warm  # kept for the next batch


def test_a_worker_that_dies_leaves_the_files_to_the_merging_thread(
        mdb: Database, town_files: list[Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker process that dies reading a file (as a reader crashing on a hostile file
    would) stops the read-ahead: that file and the rest are read here, nothing is lost,
    and the dead pool is not used again."""
    import worker_helpers

    from app.services import workers
    from app.services.district import check, merge

    dying = town_files[5].with_name("die-" + town_files[5].name)
    town_files[5].rename(dying)
    town_files[5] = dying
    workers.POOL.shutdown()
    assert workers.POOL.start(1, timeout=120) == 1
    monkeypatch.setattr(merge, "read_workers", lambda files: 1)
    monkeypatch.setattr(check.ReadAhead, "read", staticmethod(worker_helpers.die_reading))
    taken = _counting_takes(monkeypatch)
    results = apply_packets(mdb, town_files, period=PERIOD)
    assert [r.status for r in results] == ["applied"] * 3 + ["rejected"] + ["applied"] * 5
    assert 5 not in taken and all(i < 5 for i in taken)  # after the death: read here
    assert not workers.POOL.warm  # dropped: the next batch starts new ones


def test_cancel_with_files_read_ahead(mdb: Database, town_files: list[Path],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancelling stops between packets also while workers read ahead: the files read
    ahead and not merged are dropped, the workers stay for the next batch."""
    from app.services import workers
    from app.services.district import merge

    assert workers.POOL.start(1, timeout=120) == 1
    monkeypatch.setattr(merge, "read_workers", lambda files: 1)
    reporter = Reporter()

    def on_step(done: int, total: int, text: str) -> None:
        if done == 1 and text.startswith("正在导入"):  # while the second is merged
            reporter.cancel()

    reporter._callback = on_step
    results = apply_packets(mdb, town_files, period=PERIOD, reporter=reporter)
    assert [r.status for r in results] == ["applied"] * 2 + ["cancelled"] * 7
    assert sum(u["returned"] for u in progress_json(period_progress(mdb, PERIOD, 1))["units"]) == 2
    assert workers.POOL.warm
    again = apply_packets(mdb, town_files, period=PERIOD)  # the same workers read the rest
    assert [r.status for r in again] == ["unchanged"] * 2 + ["applied", "rejected"] + [
        "applied"] * 5


def test_the_dry_run_reads_ahead_as_merging_does(
        mdb: Database, town_files: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """`check_packets` with files read by a worker process says what it says reading them
    here, and writes nothing."""
    from app.services import workers
    from app.services.district import check

    monkeypatch.setattr(check, "read_workers", lambda files: 0)
    here = merge_json(preview_result(p) for p in check_packets(mdb, town_files, period=PERIOD))
    before = table_dump(mdb)
    assert workers.POOL.start(1, timeout=120) == 1
    monkeypatch.setattr(check, "read_workers", lambda files: 1)
    taken = _counting_takes(monkeypatch)
    ahead = merge_json(preview_result(p) for p in check_packets(mdb, town_files, period=PERIOD))
    assert len(taken) == len(town_files)  # the dry run has no glance: every file read ahead
    assert ahead == here and table_dump(mdb) == before
    assert [p["status"] for p in here["packets"]] == ["applied"] * 3 + ["rejected"] + [
        "applied"] * 5


def test_no_worker_process_to_be_had_reads_here(mdb: Database, town_files: list[Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """When no process can be started (out of processes or memory, a program that cannot
    spawn), the batch is read in the merging thread, and no pool is kept half-made."""
    from concurrent.futures import ProcessPoolExecutor

    from app.services import workers
    from app.services.district import check

    class NoProcesses(ProcessPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            raise OSError(11, "Resource temporarily unavailable")

    workers.POOL.shutdown()
    monkeypatch.setattr(workers, "ProcessPoolExecutor", NoProcesses)
    monkeypatch.setattr(check, "read_workers", lambda files: 1)
    taken = _counting_takes(monkeypatch)
    results = apply_packets(mdb, town_files, period=PERIOD)
    assert [r.status for r in results] == ["applied"] * 3 + ["rejected"] + ["applied"] * 5
    assert taken == [] and not workers.POOL.warm
