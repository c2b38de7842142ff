from __future__ import annotations

from types import SimpleNamespace

import pytest
from pytestqt.qtbot import QtBot

from app.core.changes import Changes
from app.services.db import Database
from app.services.plans.query import get_plan
from app.views.bus import bus
from app.views.main_window import MainWindow
from app.views.ops import run_op
from app.views.plans.catalog_page import IndicatorsPage, UnitsPage
from app.views.plans.tasks_page import TasksPage, task_columns
from app.views.widgets.table_model import RecordTableModel


def test_window_shows_the_plan_and_filters_tasks(qtbot: QtBot, tianning: Database) -> None:
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    window.show()
    assert window.plan_combo.currentText().startswith("常州市天宁区生态文明建设示范区")
    page = window.page(TasksPage)
    assert isinstance(page, TasksPage)
    plan = get_plan(tianning, 1)
    assert page.proxy.rowCount() == len(plan.tasks)

    page.set_unit_filter("区住建局")
    lead_or_coop = [t for t in plan.tasks if "区住建局" in t.units()]
    assert page.proxy.rowCount() == len(lead_or_coop) > 0

    page.set_unit_filter(None)
    page.search.setText("河长制")
    assert 0 < page.proxy.rowCount() < len(plan.tasks)
    page.table.selectRow(0)
    shown = page.proxy.record(0)
    assert "河长制" in shown.text
    assert shown.text[:20] in page.detail.toPlainText()
    assert "牵头" in page.detail.toPlainText()


def test_section_tree_limits_tasks_to_the_subtree(qtbot: QtBot, tianning: Database) -> None:
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    page = window.page(TasksPage)
    assert isinstance(page, TasksPage)
    plan = get_plan(tianning, 1)
    top = next(s for s in plan.sections if s.parent_id is None and any(
        c.parent_id == s.id for c in plan.sections))
    page.select_section(top.id)
    expected = [t for t in plan.tasks if t.section.startswith(top.title)]
    assert page.proxy.rowCount() == len(expected) > 0


def test_units_and_indicators_pages(qtbot: QtBot, tianning: Database) -> None:
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    units = window.page(UnitsPage)
    inds = window.page(IndicatorsPage)
    assert isinstance(units, UnitsPage) and isinstance(inds, IndicatorsPage)
    plan = get_plan(tianning, 1)
    assert units.model.rowCount() == len(plan.units)
    assert inds.model.rowCount() == len(plan.indicators)
    assert "街道" in units.summary.text()


def test_task_model_passes_qtmodeltester(qtmodeltester, tianning: Database) -> None:  # type: ignore[no-untyped-def]
    model: RecordTableModel = RecordTableModel(task_columns(str))
    model.set_records(get_plan(tianning, 1).tasks)
    qtmodeltester.check(model)


def test_a_plan_without_activity_opens_on_the_task_list(qtbot: QtBot, tianning: Database) -> None:
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    assert window.stack.currentWidget() is window.page(TasksPage)


def test_pages_load_when_first_shown_the_first_after_the_window_paints(
        qtbot: QtBot, tianning: Database) -> None:
    """Start-up: building the window loads no page; showing it loads the current page
    (after the first frame); other pages load when shown or asked for, then stay current."""
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    assert all(p.context is None for p in window.pages)
    window.show()
    current = window.stack.currentWidget()
    qtbot.waitUntil(lambda: current.context is not None)  # type: ignore[union-attr]
    assert all(p.context is None for p in window.pages if p is not current)

    units = window.page(UnitsPage)  # asked for: brought up to date
    assert units is not None and units.context is not None
    inds = next(p for p in window.pages if isinstance(p, IndicatorsPage))
    assert inds.context is None
    window.nav.setCurrentRow(window.pages.index(inds))  # shown: loaded at once
    assert inds.context is not None and inds.context.plan is not None

    window.period_combo.setCurrentIndex(0)  # a page once loaded follows the context
    assert units.context.period is not None
    assert units.context.period.id == window.period_combo.currentData()


def test_a_change_reloads_only_the_pages_that_show_that_kind_of_data(
        qtbot: QtBot, tianning: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    window.show()
    for page in list(window.pages):
        window.page(type(page))  # every page loaded once (pages load when first shown)
    reloads: list[str] = []
    for page in window.pages:
        name = type(page).__name__
        monkeypatch.setattr(page, "refresh", lambda name=name: reloads.append(name))
    monkeypatch.setattr(window, "reload_plans", lambda *a: reloads.append("plans"))

    bus.changed.emit(Changes(conflicts=True))
    assert {"ConflictsPage", "DashboardPage"} <= set(reloads)
    assert not {"TasksPage", "AuditPage", "ReceiptsPage", "IssuePage", "MergePage"} & set(
        reloads)

    # a result that carries changes: run_op announces them once the work is done
    reloads.clear()
    result = SimpleNamespace(changes=Changes(audit=True, note="test"))
    with qtbot.waitSignal(bus.changed, timeout=5000) as blocker:
        run_op(window, lambda _reporter: result, show_progress=False)
    assert blocker.args == [result.changes]
    assert "AuditPage" in reloads  # not the task list, the charts or the receipts:
    assert not {"TasksPage", "DashboardPage", "ReceiptsPage", "ConflictsPage"} & set(reloads)

    reloads.clear()
    bus.changed.emit(Changes(units=True))
    assert reloads == ["plans"]  # every page shows the plan: reloaded through it


def test_a_result_without_changes_announces_nothing(qtbot: QtBot, tianning: Database) -> None:
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    with qtbot.assertNotEmitted(bus.changed, wait=200):
        handle = run_op(window, lambda _reporter: SimpleNamespace(changes=Changes()),
                        show_progress=False)
        with qtbot.waitSignal(handle.signals.finished, timeout=5000):
            pass


def test_every_page_is_listed_under_its_own_title() -> None:
    """The navigation lists the titles before the pages' modules are imported."""
    from app.views.main_window import PAGES

    assert [spec.title for spec in PAGES] == [spec.load().title for spec in PAGES]  # type: ignore[attr-defined]
    assert len({spec.title for spec in PAGES}) == len(PAGES)


def test_the_shell_paints_without_a_database_and_builds_pages_once_attached(
        qtbot: QtBot, tianning: Database) -> None:
    """Start-up: the window's shell (menus, bar, navigation, 正在载入…) needs no database;
    `attach` fills it and builds the current page only; the others when first shown."""
    window = MainWindow(target="/nowhere/tianning.db")
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.loading and window.nav.count() == 12
    assert window.file_menu.isEmpty() and window.plan_combo.count() == 0
    window.nav.setCurrentRow(3)  # clicked before the database is there: still loading
    assert window.stack.currentWidget() is window.loading
    window.save_state()  # (closing it now remembers nothing)

    window.attach(tianning)
    assert window.plan_combo.count() == 1
    assert window.file_menu.isEmpty()  # shown already: its entries after the first page
    current = window.stack.currentWidget()
    assert isinstance(current, TasksPage)  # (nothing issued yet: the task list)
    qtbot.waitUntil(lambda: current.context is not None)
    built = set(window._built.values())
    assert current in built and not any(isinstance(p, UnitsPage) for p in built)
    qtbot.waitUntil(lambda: any(type(p).__name__ == "MergePage"  # it watches the inbox
                                for p in window._built.values()))
    assert not window.file_menu.isEmpty()
    window.nav.setCurrentRow(4)  # 单位: built and loaded when first shown
    units = window.stack.currentWidget()
    assert isinstance(units, UnitsPage) and units.context is not None
    assert units.model.rowCount() > 0


def test_the_shell_shows_the_page_it_was_left_on_before_the_database_opens(
        qtbot: QtBot, tianning: Database) -> None:
    from app.services.db import database_location

    first = MainWindow(tianning)
    qtbot.addWidget(first)
    first.show()
    first.show_page(first.page(UnitsPage))  # type: ignore[arg-type]
    first.close()  # remembers the page for this database

    shell = MainWindow(target=database_location(tianning))
    qtbot.addWidget(shell)
    shell.show()
    assert shell.nav.currentItem().text() == "单位"  # marked at once, built once attached
    assert shell.stack.currentWidget() is shell.loading
    shell.attach(tianning)
    qtbot.waitUntil(lambda: isinstance(shell.stack.currentWidget(), UnitsPage))
    page = shell.stack.currentWidget()
    qtbot.waitUntil(lambda: page.context is not None)  # type: ignore[attr-defined]
