"""看板: the summary's figures on tiles and charts; clicking a bar opens the matching tasks."""

from __future__ import annotations

from pathlib import Path

import pytest
from progress_seed import LAST, seeded_fixture, seeded_path_fixture, seeded_template_fixture  # noqa: F401
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.services.db import Database
from app.services.reports.summary import period_summary
from app.views.main_window import MainWindow
from app.views.plans.catalog_page import IndicatorsPage
from app.views.plans.tasks_page import TasksPage
from app.views.reports.dashboard_page import DashboardPage, behind_rows
from app.views.widgets.table_model import RecordTableModel

TIMEOUT = 60_000  # the first chart imports matplotlib and builds its font cache


def open_dashboard(qtbot: QtBot, db: Database) -> tuple[MainWindow, DashboardPage]:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1300, 800)
    page = window.page(DashboardPage)
    assert isinstance(page, DashboardPage)
    assert window.pages[0] is page  # first in the navigation
    window.show_page(page)  # with returns merged the window itself opens on the 台账
    with qtbot.waitSignal(page.updated, timeout=TIMEOUT):
        window.show()
    assert window.context().period is not None and window.context().period.key == LAST
    return window, page


def test_tiles_and_charts_show_the_summary(qtbot: QtBot, seeded: Database) -> None:
    _, page = open_dashboard(qtbot, seeded)
    s = period_summary(seeded, LAST, 1)
    t = s.totals
    assert page.tile_returns.text() == f"{t.returned}/{t.units}" == "28/31"
    assert page.tile_returns_detail.text() == "按时 27 · 迟报 1 · 未报 3"
    assert page.tile_average.text() == f"{t.tasks.average:.1f}%"
    assert page.tile_behind.text() == str(t.behind_tasks)
    assert page.tile_indicators.text() == f"{t.attainment['met']}/{sum(t.attainment.values())}"
    assert set(page.canvases) == {"returns", "status_by_unit", "status_by_section",
                                  "attainment", "trend"}
    for canvas in page.canvases.values():
        canvas.draw()
        pixels = bytes(canvas.buffer_rgba())
        assert len(set(pixels[i:i + 4] for i in range(0, len(pixels), 4096))) > 3  # not blank
    assert page.behind_model.rowCount() == sum(len(b.entries) for b in s.behind)
    assert page.placeholder.isHidden()


def _bar_center(canvas, gid: str) -> QPoint:  # type: ignore[no-untyped-def]
    from matplotlib.patches import Rectangle

    canvas.draw()
    rect = next(r for r in canvas.figure.findobj(Rectangle) if r.get_gid() == gid)
    box = rect.get_window_extent()
    ratio = canvas.device_pixel_ratio or 1
    x = (box.x0 + box.width / 2) / ratio
    y = canvas.height() - (box.y0 + box.height / 2) / ratio
    return QPoint(round(x), round(y))


def test_clicking_a_units_bar_opens_its_tasks(qtbot: QtBot, seeded: Database) -> None:
    window, page = open_dashboard(qtbot, seeded)
    canvas = page.canvases["status_by_unit"]
    page.scroll_area.ensureWidgetVisible(canvas)
    pos = _bar_center(canvas, "unit|郑陆镇|behind")
    with qtbot.waitSignal(page.drilled, timeout=5000) as blocker:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == ["unit", "郑陆镇", "behind"]
    tasks = window.page(TasksPage)
    assert isinstance(tasks, TasksPage)
    assert window.stack.currentWidget() is tasks
    assert tasks.unit_filter.currentData() == "郑陆镇"
    plan = window.plan
    assert plan is not None
    assert tasks.proxy.rowCount() == sum("郑陆镇" in t.units() for t in plan.tasks) == 50


def test_clicking_a_sections_bar_selects_the_section(qtbot: QtBot, seeded: Database) -> None:
    window, page = open_dashboard(qtbot, seeded)
    s = page.data.summary if page.data else None
    assert s is not None
    section = next(x for x in s.top_sections() if x.breakdown.count("behind"))
    canvas = page.canvases["status_by_section"]
    pos = _bar_center(canvas, f"section|{section.id}|behind")
    with qtbot.waitSignal(page.drilled, timeout=5000):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pos)
    tasks = window.page(TasksPage)
    assert isinstance(tasks, TasksPage)
    assert window.stack.currentWidget() is tasks
    assert tasks.tree.currentIndex().data(Qt.ItemDataRole.UserRole + 10) == section.id
    assert tasks.proxy.rowCount() == section.tasks
    # an indicator bar opens the indicator list searched for its domain
    page.open_gid("indicator|生态安全|not_met")
    inds = window.page(IndicatorsPage)
    assert isinstance(inds, IndicatorsPage)
    assert window.stack.currentWidget() is inds and inds.search.text() == "生态安全"


def test_filters_recompute_the_figures(qtbot: QtBot, seeded: Database) -> None:
    _, page = open_dashboard(qtbot, seeded)
    with qtbot.waitSignal(page.updated, timeout=TIMEOUT):
        page.set_filters(unit="郑陆镇")
    assert page.tile_returns.text() == "1/1"
    assert page.data is not None and [u.name for u in page.data.summary.units] == ["郑陆镇"]
    assert {r.unit for r in page.behind_model.records} == {"郑陆镇"}
    section = period_summary(seeded, LAST, 1).top_sections()[1]
    with qtbot.waitSignal(page.updated, timeout=TIMEOUT):
        page.set_filters(unit=None, section_id=section.id)
    assert page.data.summary.section_filter == section.id
    assert page.data.summary.totals.tasks.expected == section.breakdown.expected


def test_charts_export_as_png(qtbot: QtBot, seeded: Database, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    _, page = open_dashboard(qtbot, seeded)
    import app.views.widgets.dialogs as dialogs

    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(tmp_path / "one"))
    monkeypatch.setattr(dialogs, "choose_directory", lambda *a, **k: str(tmp_path / "all"))
    monkeypatch.setattr(dialogs, "show_info", lambda *a, **k: None)
    one = page.export_chart("trend")
    assert one == tmp_path / "one.png" and one.read_bytes().startswith(b"\x89PNG")
    (tmp_path / "all").mkdir()
    files = page.export_all()
    assert len(files) == 5 and all(f.read_bytes().startswith(b"\x89PNG") for f in files)
    assert {f.name for f in files} == {f"{LAST}-{n}.png" for n in
                                       ("报送情况", "各单位进展状态", "各领域进展状态", "指标达标情况",
                                        "进展趋势")}
    # cancelling the dialog writes nothing
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: "")
    assert page.export_chart("trend") is None


def test_an_empty_period_shows_empty_charts(qtbot: QtBot, seeded: Database) -> None:
    window, page = open_dashboard(qtbot, seeded)
    with qtbot.waitSignal(page.updated, timeout=TIMEOUT):
        window.select_period("2021-03")
    assert page.tile_returns.text() == "0/31"
    assert page.tile_average.text() == "—"
    assert page.behind_model.rowCount() == 0


def test_behind_model(qtmodeltester, seeded: Database) -> None:  # type: ignore[no-untyped-def]
    page = DashboardPage()
    model: RecordTableModel = page.behind_model
    model.set_records(behind_rows(period_summary(seeded, LAST, 1)))
    assert model.rowCount() == 8
    qtmodeltester.check(model)


def test_a_wheel_notch_over_a_chart_scrolls_the_page_and_stays(qtbot: QtBot,
                                                              seeded: Database) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    window, page = open_dashboard(qtbot, seeded)
    window.resize(1300, 520)
    bar = page.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the charts are taller than the window
    canvas = page.canvases["status_by_unit"]
    pos = _bar_center(canvas, "unit|郑陆镇|behind")
    before = bar.value()
    drilled: list[object] = []
    page.drilled.connect(lambda *a: drilled.append(a))
    for notch in (-120, -120):  # downwards, over a bar
        event = QWheelEvent(QPointF(pos), QPointF(canvas.mapToGlobal(pos)), QPoint(0, 0),
                            QPoint(0, notch), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(canvas, event)
    qtbot.wait(50)
    assert drilled == []
    assert window.stack.currentWidget() is page
    assert bar.value() > before  # it scrolled the page instead


def test_counting_shows_progress_with_cancel_like_issuing(
        qtbot: QtBot, seeded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The dashboard counts off the GUI thread with the progress dialog and 取消 that
    issuing has; a cancelled count leaves a note and counts again at the next change."""
    import threading

    from PySide6.QtWidgets import QPushButton

    from app.views.reports import dashboard_page

    _, page = open_dashboard(qtbot, seeded)
    real = dashboard_page.build_dashboard
    started, release = threading.Event(), threading.Event()

    def slow(db, plan_id, period, unit, section, reporter):  # type: ignore[no-untyped-def]
        reporter.step(0, 6, "统计本期数据")
        started.set()
        release.wait(10)
        reporter.step(1, 6, "…")  # raises Cancelled once 取消 was pressed
        return real(db, plan_id, period, unit, section, reporter)

    monkeypatch.setattr(dashboard_page, "build_dashboard", slow)
    page.set_filters(unit="青龙街道")
    handle = page._handles[-1]
    dialog = handle.dialog
    assert dialog is not None and dialog.windowTitle() == "正在统计看板…"
    assert dialog.parent() is page  # over the page, the operation itself unowned
    assert handle.parent() is None
    qtbot.waitUntil(started.is_set)
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
    with qtbot.waitSignal(handle.signals.cancelled, timeout=10_000):
        cancel.click()
        release.set()
    assert "已取消统计" in page.placeholder.text() and not page.placeholder.isHidden()
    assert not page.canvases
    monkeypatch.setattr(dashboard_page, "build_dashboard", real)
    with qtbot.waitSignal(page.updated, timeout=TIMEOUT):
        page.set_filters(unit=None)  # the next change counts again
    assert page.canvases and page.placeholder.isHidden()
