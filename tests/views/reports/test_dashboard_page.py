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
    assert set(page.charts) == {"returns", "status_by_unit", "status_by_section",
                                "attainment", "trend"}
    for view in page.charts.values():  # each shows the picture drawn for its size
        assert view.ready and view.isVisible()
        image = view.qimage
        assert image is not None and view.image is not None
        ratio = view.devicePixelRatioF()
        assert (image.width(), image.height()) == (round(view.width() * ratio),
                                                  round(view.height() * ratio))
        colours = {image.pixel(x, y) for x in range(0, image.width(), 23)
                   for y in range(0, image.height(), 17)}
        assert len(colours) > 3  # not blank
        if ratio == 1:  # and that is what the widget paints
            grabbed = view.grab().toImage()
            assert all(grabbed.pixel(x, y) == image.pixel(x, y)
                       for x in range(0, image.width(), 41) for y in range(0, image.height(), 29))
    assert page.charts["status_by_unit"].height() > page.charts["trend"].height()
    assert page.behind_model.rowCount() == sum(len(b.entries) for b in s.behind)
    assert page.placeholder.isHidden()


def _bar_center(view, gid: str) -> QPoint:  # type: ignore[no-untyped-def]
    """Where a bar is drawn in the chart's picture (logical pixels of the widget)."""
    hit = next(h for h in view.image.hits if h.gid == gid)
    return QPoint(round((hit.left + hit.right) / 2), round((hit.top + hit.bottom) / 2))


def test_clicking_a_units_bar_opens_its_tasks(qtbot: QtBot, seeded: Database) -> None:
    window, page = open_dashboard(qtbot, seeded)
    view = page.charts["status_by_unit"]
    page.scroll_area.ensureWidgetVisible(view)
    pos = _bar_center(view, "unit|郑陆镇|behind")
    with qtbot.waitSignal(page.drilled, timeout=5000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos)
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
    view = page.charts["status_by_section"]
    pos = _bar_center(view, f"section|{section.id}|behind")
    with qtbot.waitSignal(page.drilled, timeout=5000):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos)
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
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT) as blocker:
        one = page.export_chart("trend")  # drawn off the GUI thread
    assert one == tmp_path / "one.png" and blocker.args == [[one]]
    assert one.read_bytes().startswith(b"\x89PNG")
    from PySide6.QtGui import QImage

    view = page.charts["trend"]
    assert QImage(str(one)).width() == round(view.width() * 2)  # 200 dpi, laid out as shown
    (tmp_path / "all").mkdir()
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT) as blocker:
        files = page.export_all()
    assert blocker.args == [files]
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
    view = page.charts["status_by_unit"]
    pos = _bar_center(view, "unit|郑陆镇|behind")
    before = bar.value()
    drilled: list[object] = []
    page.drilled.connect(lambda *a: drilled.append(a))
    for notch in (-120, -120):  # downwards, over a bar
        event = QWheelEvent(QPointF(pos), QPointF(view.mapToGlobal(pos)), QPoint(0, 0),
                            QPoint(0, notch), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(view, event)
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
    assert all(view.isHidden() for view in page.charts.values())
    monkeypatch.setattr(dashboard_page, "build_dashboard", real)
    with qtbot.waitSignal(page.updated, timeout=TIMEOUT):
        page.set_filters(unit=None)  # the next change counts again
    assert all(view.isVisible() and view.ready for view in page.charts.values())
    assert page.placeholder.isHidden()


def test_a_resized_chart_is_drawn_again_at_its_new_width(qtbot: QtBot, seeded: Database) -> None:
    """The old picture stands in, scaled, until the one drawn for the new width arrives."""
    window, page = open_dashboard(qtbot, seeded)
    view = page.charts["trend"]
    before = view.image
    assert before is not None
    with qtbot.waitSignal(view.rendered, timeout=TIMEOUT):
        window.resize(1000, 800)
        qtbot.waitUntil(lambda: view.width() < before.width / before.ratio)
        assert view.image is before and not view.ready  # stands in until redrawn
    assert view.ready and view.image is not before
    assert view.image.width == round(view.width() * view.devicePixelRatioF())
    # clicking still finds the bars in the new picture
    hit = next(h for h in view.image.hits if h.gid.startswith("trend|"))
    with qtbot.waitSignal(page.drilled, timeout=5000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton,
                         pos=QPoint(round((hit.left + hit.right) / 2),
                                    round((hit.top + hit.bottom) / 2)))
    assert blocker.args[0] == "trend"
