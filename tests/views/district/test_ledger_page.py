"""台账 page on tianning after three months of returns from the eight towns/streets:
the grid and its filters, the cell pane, 更正/审核/销号 from the pane, the unit view and
the 整改清单 of a rectification plan."""

from __future__ import annotations

from pathlib import Path

from merge_helpers import TOWNS
from pytestqt.qtbot import QtBot

from app.core import clock
from app.services.db import Database, open_database
from app.services.district.ledger import cell_detail
from app.services.plans.importing.writing import import_plan_workbook
from app.views.district.ledger_dialogs import CloseOutDialog, EditDialog
from app.views.district.ledger_model import LedgerFilter, LedgerModel
from app.views.district.ledger_page import LedgerPage
from app.views.main_window import MainWindow

PERIOD = "2021-06"
ROOT = Path(__file__).resolve().parents[3]


def settled(qtbot: QtBot, page: LedgerPage) -> None:
    """The grid the page reads off the GUI thread has arrived (the window stayed live)."""
    if page.loading:
        with qtbot.waitSignal(page.loaded, timeout=30_000):
            pass
    assert not page.loading


def open_ledger(qtbot: QtBot, db: Database) -> tuple[MainWindow, LedgerPage]:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    page = window.page(LedgerPage)
    assert isinstance(page, LedgerPage)
    settled(qtbot, page)
    # anything received: the window opens on the 台账, at the latest period with returns
    assert window.stack.currentWidget() is page
    assert page.grid is not None and page.grid.period.key == PERIOD
    return window, page


def test_filter_behind_select_a_cell_edit_a_field_and_see_it(qtbot: QtBot,
                                                             ledger_db: Database) -> None:
    window, page = open_ledger(qtbot, ledger_db)
    model = page.model
    assert [u.name for u in model.units][:len(TOWNS)] == list(TOWNS) or set(TOWNS) <= {
        u.name for u in model.units}
    all_rows = len(model.tasks)
    assert all_rows == 50 and model.rowCount() == 51  # + the 已报/应报 row
    assert model.data(model.index(50, 0)) == "已报/应报"

    page.behind.setChecked(True)
    assert 0 < len(model.tasks) < all_rows
    behind_cells = [(r, c) for r in range(len(model.tasks))
                    for c in range(1, len(model.units) + 1)
                    if (cell := model.cell_at(r, c)) is not None and cell.behind]
    assert behind_cells
    row, col = behind_cells[0]
    assert "!" in model.data(model.index(row, col))
    unit = model.unit_at(col)
    task = model.task_at(row)
    assert unit is not None and task is not None and unit.name in ("雕庄街道", "茶山街道")
    page.table.setCurrentIndex(model.index(row, col))
    pane = page.pane
    assert pane.detail is not None and pane.detail.unit == unit.name
    assert pane.detail.task_code == task.code
    assert "滞后" in pane.state.text()
    assert pane.fields["problems"].text() == f"{unit.name}资金未到位"
    assert [h.period for h in pane.history_model.records] == ["2021-04", "2021-05", PERIOD]
    assert pane.source.text().startswith(f"来源:{unit.name}.xlsx")
    with qtbot.waitSignal(pane.chart_job.signals.finished, timeout=30_000):  # type: ignore[union-attr]
        pass
    assert pane.chart.pixmap() is not None and not pane.chart.pixmap().isNull()

    # 更正… from the pane: the 说明 is required
    pane.open_edit()
    dialog = pane.dialog
    assert isinstance(dialog, EditDialog)
    dialog.texts["problems"].setPlainText("资金已于7月到位,进度将赶上")
    dialog.save()
    assert "更正说明" in dialog.message.text() and dialog.isVisible()
    dialog.reason.setText("电话核实")
    dialog.status.setCurrentIndex(dialog.status.findData("in_progress"))
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    settled(qtbot, page)
    # the page refreshed (bus): the row left 只看滞后, the pane still shows the report
    assert pane.detail is not None and pane.detail.unit == unit.name
    assert pane.detail.task_code == task.code
    assert pane.fields["problems"].text() == "资金已于7月到位,进度将赶上"
    assert "滞后" not in pane.state.text() and "区里更正" in pane.source.text()
    assert any(c.kind == "district_edit" and c.note == "电话核实"
               for c in pane.changes_model.records)
    stored = cell_detail(ledger_db, PERIOD, unit.name, task.code, 1)
    assert stored.values is not None and stored.values["status"] == "in_progress"
    assert model.index_of(task.id, unit.id).isValid() is False
    page.behind.setChecked(False)
    cell = model.cell_at(*_pos(model, task.id, unit.id))
    assert cell is not None and cell.edited and "✎" in model.data(model.index(
        *_pos(model, task.id, unit.id)))
    window.close()


def _pos(model: LedgerModel, task_id: int, unit_id: int) -> tuple[int, int]:
    index = model.index_of(task_id, unit_id)
    assert index.isValid()
    return index.row(), index.column()


def test_approve_and_close_out_from_the_pane(qtbot: QtBot, ledger_db: Database) -> None:
    window, page = open_ledger(qtbot, ledger_db)
    grid = page.grid
    assert grid is not None
    unit = next(u for u in grid.units if u.name == "天宁街道")
    done = next(c for c in grid.cells.values() if c.unit_id == unit.id
                and c.status == "completed")
    assert page.select_cell(done.task_id, unit.id)
    pane = page.pane
    assert pane.approve_button.text() == "审核通过"
    pane.toggle_approval()
    settled(qtbot, page)
    assert pane.detail is not None and pane.detail.approved_at is not None
    assert pane.approve_button.text() == "取消审核"
    index = page.model.index_of(done.task_id, unit.id)
    assert "✓" in page.model.data(index)
    pane.toggle_close_out()
    dialog = pane.dialog
    assert isinstance(dialog, CloseOutDialog)
    dialog.save()
    assert "销号说明" in dialog.message.text()
    dialog.note.setText("验收材料齐全")
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    settled(qtbot, page)
    assert pane.detail is not None and pane.detail.closed_on == clock.today()
    assert "销号" in page.model.data(page.model.index_of(done.task_id, unit.id))
    pane.toggle_close_out()  # 撤销销号
    settled(qtbot, page)
    assert pane.detail is not None and pane.detail.closed_on is None
    pane.toggle_approval()
    settled(qtbot, page)
    assert pane.detail is not None and pane.detail.approved_at is None
    window.close()


def test_filters_units_sections_text_and_unit_view(qtbot: QtBot, ledger_db: Database) -> None:
    window, page = open_ledger(qtbot, ledger_db)
    model = page.model
    page.units.setCurrentIndex(page.units.findData("towns"))
    assert {u.name for u in model.units} == set(TOWNS)
    assert model.data(model.index(len(model.tasks), 1)) == "6/50"
    page.unreported.setChecked(True)
    assert len(model.tasks) == 44  # every town reported the same six items
    page.unreported.setChecked(False)
    page.changed.setChecked(True)
    assert len(model.tasks) == 5  # the sixth item stayed at 100%
    page.changed.setChecked(False)
    page.search.setText(model.tasks[3].code)
    assert len(model.tasks) >= 1
    page.search.clear()
    page.units.setCurrentIndex(page.units.findData("role:lead"))
    assert model.units and all(u.kind not in ("town", "street", "zone") for u in model.units)
    page.units.setCurrentIndex(0)
    page.sections.setCurrentIndex(1)
    assert 0 < len(model.tasks) < 50
    page.tabs.setCurrentIndex(1)
    page.unit_choice.setCurrentIndex(page.unit_choice.findText("青龙街道"))
    assert page.unit_loading and "正在读取青龙街道" in page.unit_summary.text()
    with qtbot.waitSignal(page.unit_loaded, timeout=30_000):
        pass
    rows = page.unit_model.records
    assert len(rows) == 50 and sum(r.values is not None for r in rows) == 6
    assert "已填 6/50" in page.unit_summary.text()
    assert not page.tabs.isTabVisible(2)  # tianning is not a rectification plan
    window.close()


def test_ledger_model_passes_the_model_tester(qtmodeltester: object, ledger_db: Database) -> None:
    from app.services.district.ledger import ledger_grid

    model = LedgerModel(lambda s: s)
    model.set_grid(ledger_grid(ledger_db, PERIOD, 1))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_filter(LedgerFilter(units="towns", behind_only=True))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_grid(None)
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_rectification_list_of_the_wuxi_plan(qtbot: QtBot, tmp_path: Path,
                                             qtmodeltester: object) -> None:
    db = open_database(tmp_path / "wuxi.db")
    try:
        result = import_plan_workbook(db, ROOT / "tests" / "fixtures" / "plans" /
                                      "wuxi_rectification.xlsx")
        window = MainWindow(db)
        qtbot.addWidget(window)
        window.show()
        page = window.page(LedgerPage)
        assert isinstance(page, LedgerPage)
        window.show_page(page)
        settled(qtbot, page)
        assert page.tabs.isTabVisible(2)
        page.tabs.setCurrentIndex(2)
        items = page.rect_model.records
        assert len(items) == result.tasks == 22
        first = items[1]  # 1.2 健全绿色发展考核评估制度, 整改时限 2018-12: overdue today
        assert first.deadline == "2018-12" and first.state == "overdue"
        assert page.rect_model.data(page.rect_model.index(1, 5)) == "逾期"
        assert "整改事项 22 项" in page.rect_summary.text()
        qtmodeltester.check(page.rect_model)  # type: ignore[attr-defined]
        window.close()
    finally:
        db.dispose()


def test_batch_approve_from_receipts(qtbot: QtBot, ledger_db: Database) -> None:
    from app.views.district.receipts_page import ReceiptsPage

    window, ledger = open_ledger(qtbot, ledger_db)
    page = window.page(ReceiptsPage)
    assert isinstance(page, ReceiptsPage)
    window.show_page(page)
    assert page.approve_button.isEnabled()
    page.approve_all()
    assert {r.unit for r in page.model.records if r.approved_at} == set(TOWNS)
    assert all(r.approved_at is None for r in page.model.records if r.unit not in TOWNS)
    assert not page.approve_button.isEnabled()
    settled(qtbot, ledger)
    assert ledger.grid is not None
    assert {u.name for u in ledger.grid.units if u.approved} == set(TOWNS)
    window.close()


def test_the_grid_is_read_off_the_gui_thread_and_the_latest_switch_wins(
        qtbot: QtBot, ledger_db: Database) -> None:
    """Switching period returns at once with the grid shown kept; of quick switches, the
    last one's grid is what ends up shown (a read in progress is followed by one more,
    never overtaken by an older grid)."""
    import dataclasses

    window, page = open_ledger(qtbot, ledger_db)
    ctx = page.context
    assert ctx is not None and ctx.plan is not None
    by_key = {p.key: p for p in ctx.plan.periods}
    shown: list[str | None] = []
    page.loaded.connect(lambda: shown.append(page.grid.period.key if page.grid else None))
    page.set_context(dataclasses.replace(ctx, period=by_key["2021-04"]))
    assert page.loading and page.grid is not None and page.grid.period.key == PERIOD
    assert "正在读取" in page.summary.text()
    page.set_context(dataclasses.replace(ctx, period=by_key["2021-05"]))
    settled(qtbot, page)
    assert page.grid is not None and page.grid.period.key == "2021-05"
    assert shown == ["2021-05"]  # the 2021-04 grid read meanwhile was never shown
    assert page.summary.text().startswith("2021年5月 · 已收")
    window.close()


def test_a_database_fault_reading_the_grid_is_one_plain_line(
        qtbot: QtBot, ledger_db: Database, monkeypatch: object) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from app.views.district import ledger_page

    window, page = open_ledger(qtbot, ledger_db)

    def locked(*_args: object) -> None:
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(ledger_page, "ledger_grid", locked)  # type: ignore[attr-defined]
    page.refresh()
    settled(qtbot, page)
    assert page.grid is None and page.model.rowCount() == 0
    assert "已锁定" in page.summary.text() and "Traceback" not in page.summary.text()
    monkeypatch.undo()  # type: ignore[attr-defined]
    page.refresh()
    settled(qtbot, page)
    assert page.grid is not None and page.grid.period.key == PERIOD
    window.close()


def test_a_pane_that_goes_while_its_line_is_drawn_is_left_alone(
        qtbot: QtBot, ledger_db: Database) -> None:
    """The history line is drawn off the GUI thread; the pane deleted meanwhile (its window
    closed) gets no call into it, and the drawing ends normally."""
    import shiboken6

    window, page = open_ledger(qtbot, ledger_db)
    grid = page.grid
    assert grid is not None
    cell = next(c for c in grid.cells.values() if c.reported)
    assert page.select_cell(cell.task_id, cell.unit_id)
    job = page.pane.chart_job
    assert job is not None
    with qtbot.waitSignal(job.signals.finished, timeout=30_000):
        shiboken6.delete(page.pane)
    window.close()
