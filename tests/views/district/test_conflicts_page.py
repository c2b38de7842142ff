"""冲突 page: a field both sides changed is shown and decided either way (pytest-qt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from merge_helpers import issue, office_next, office_return, row_keys
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ProgressEntry, Task, Unit
from app.services.db import Database
from app.services.district.conflicts import list_conflicts
from app.services.district.merge import apply_packets
from app.views.district.audit_page import AuditPage
from app.views.district.conflicts_page import ConflictsPage, conflict_columns
from app.views.main_window import MainWindow
from app.views.widgets.table_model import RecordTableModel

PERIOD = "2021-06"



def _set(db: Database, unit: str, key: str, **values: object) -> None:
    with Session(db) as s, s.begin():
        e = s.scalar(select(ProgressEntry).join(Task).join(Unit, Unit.id == ProgressEntry.unit_id)
                     .where(Unit.name == unit, Task.uid == key[2:]))
        assert e is not None
        for k, v in values.items():
            setattr(e, k, v)


def _get(db: Database, unit: str, key: str) -> ProgressEntry:
    with Session(db) as s:
        e = s.scalar(select(ProgressEntry).join(Task).join(Unit, Unit.id == ProgressEntry.unit_id)
                     .where(Unit.name == unit, Task.uid == key[2:]))
        assert e is not None
        return e


@pytest.fixture
def two_conflicts(tianning: Database, tmp_path: Path) -> tuple[Database, list[str]]:
    """青龙街道 returned twice; between the returns the district corrected two fields the
    office then changed again differently."""
    src = issue(tianning, PERIOD, ["青龙街道"], tmp_path)["青龙街道"]
    keys = row_keys(src)
    first = {keys[0]: {"status": "in_progress", "percent": 30.0, "progress": "第一版"}}
    r1 = office_return(src, tmp_path / "1" / "q.xlsx", first, PERIOD, times=1)
    assert apply_packets(tianning, [r1], period=PERIOD)[0].status == "applied"
    _set(tianning, "青龙街道", keys[0], percent=35.0, progress="第一版(区里改)")
    second = {keys[0]: {"status": "in_progress", "percent": 55.0, "progress": "第二版"}}
    r2 = office_next(r1, tmp_path / "2" / "q.xlsx", second, PERIOD)  # the same office
    [result] = apply_packets(tianning, [r2], period=PERIOD)
    assert result.status == "applied" and result.conflicts == 2
    return tianning, keys


def test_conflict_is_shown_and_resolved_both_ways(qtbot: QtBot,
                                                  two_conflicts: tuple[Database, list[str]]
                                                  ) -> None:
    db, keys = two_conflicts
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    window.select_period(PERIOD)
    page = window.page(ConflictsPage)
    assert isinstance(page, ConflictsPage)
    window.show_page(page)
    assert page.proxy.rowCount() == 2
    assert "2 个字段" in page.summary.text()
    shown = {page.proxy.record(r).field: page.proxy.record(r) for r in range(2)}
    pct = shown["percent"]
    assert (pct.shown("issued"), pct.shown("returned"), pct.shown("now")) == ("30", "55", "35")
    assert (pct.unit, pct.sheet) == ("青龙街道", "任务进展")
    assert not page.keep_button.isEnabled()

    # 保留本方 on the percent
    page.select_conflict(pct.id)
    assert page.keep_button.isEnabled() and "55" in page.detail.toPlainText()
    qtbot.mouseClick(page.keep_button, Qt.MouseButton.LeftButton)
    assert page.proxy.rowCount() == 1
    assert _get(db, "青龙街道", keys[0]).percent == 35.0

    # 采用对方 on the progress text
    page.table.selectRow(0)
    assert page.proxy.record(0).field == "progress"
    qtbot.mouseClick(page.take_button, Qt.MouseButton.LeftButton)
    assert page.proxy.rowCount() == 0
    assert page.summary.text() == "没有待处理的冲突。"
    assert _get(db, "青龙街道", keys[0]).progress == "第二版"
    assert list_conflicts(db) == []

    page.show_all.setChecked(True)
    decided = {page.proxy.record(r).field: page.proxy.record(r).status for r in range(2)}
    assert decided == {"percent": "kept", "progress": "taken"}

    # both decisions are in the audit log
    audit = window.page(AuditPage)
    assert isinstance(audit, AuditPage)
    labels = [a.field_label for a in audit.model.records]
    assert "完成进度(%)(冲突:保留本方)" in labels and "本期进展" in labels


def test_conflict_model_passes_qtmodeltester(qtmodeltester,  # type: ignore[no-untyped-def]
                                             two_conflicts: tuple[Database, list[str]]) -> None:
    db, _keys = two_conflicts
    model: RecordTableModel = RecordTableModel(conflict_columns(str))
    model.set_records(list_conflicts(db))
    qtmodeltester.check(model)
