"""The district office's window: plan/period bar, navigation on the left, pages on the right.

Start-up (issue 13): the window's shell — title, menus, the plan/period bar, the navigation
and 正在载入… where the page goes — is built without a database and paints first; `attach`
then gives it the database (menus filled, plans listed) and the current page is built and
loaded. This module therefore imports no service at load time, and each page's module is
imported when the page is first shown or asked for (`PAGES`).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.views.bus import Changes, bus
from app.views.database_menu import (
    add_database_action,
    install_file_menu,
    role_name,
    target_name,
    title_suffix,
)
from app.views.i18n import due_text, fit_columns, period_text
from app.views.widgets.page import Context, Page
from app.views.window_state import WindowState, restored_period

if TYPE_CHECKING:  # SQLAlchemy and the services load after the shell's first frame
    from app.services.db import Database
    from app.services.plans.query import PlanInfo

# Page titles are class attributes, shown through the "Navigation" context: a new page's
# title goes into this list too (tests/views/test_i18n.py checks that every page has one).
NAVIGATION_TITLES = (
    QT_TRANSLATE_NOOP("Navigation", "看板"), QT_TRANSLATE_NOOP("Navigation", "任务"),
    QT_TRANSLATE_NOOP("Navigation", "指标"), QT_TRANSLATE_NOOP("Navigation", "单位"),
    QT_TRANSLATE_NOOP("Navigation", "下发"), QT_TRANSLATE_NOOP("Navigation", "汇总"),
    QT_TRANSLATE_NOOP("Navigation", "冲突"), QT_TRANSLATE_NOOP("Navigation", "收件登记"),
    QT_TRANSLATE_NOOP("Navigation", "报告"), QT_TRANSLATE_NOOP("Navigation", "日志"),
    QT_TRANSLATE_NOOP("Navigation", "编辑方案"), QT_TRANSLATE_NOOP("Navigation", "台账"),
)


def navigation_title(page: Page | PageSpec) -> str:
    return QCoreApplication.translate("Navigation", page.title) if page.title else ""


@dataclass(frozen=True)
class PageSpec:
    """A page of the navigation, named so that its module is imported only when the page
    is first shown or asked for (start-up: the shell lists the titles without them)."""

    title: str
    module: str
    name: str
    # built as soon as the database is attached, not when first shown: 汇总 watches the
    # inbox folders and shows a count of new returns in the navigation
    eager: bool = False

    def load(self) -> Callable[[QWidget], Page]:
        factory: Callable[[QWidget], Page] = getattr(importlib.import_module(self.module),
                                                     self.name)
        return factory


# Feature modules add their pages here (order = navigation order).
PAGES: list[PageSpec] = [
    PageSpec("看板", "app.views.reports.dashboard_page", "DashboardPage"),
    PageSpec("台账", "app.views.district.ledger_page", "LedgerPage"),
    PageSpec("任务", "app.views.plans.tasks_page", "TasksPage"),
    PageSpec("指标", "app.views.plans.catalog_page", "IndicatorsPage"),
    PageSpec("单位", "app.views.plans.catalog_page", "UnitsPage"),
    PageSpec("下发", "app.views.district.issue_page", "IssuePage"),
    PageSpec("汇总", "app.views.district.merge_page", "MergePage", eager=True),
    PageSpec("冲突", "app.views.district.conflicts_page", "ConflictsPage"),
    PageSpec("收件登记", "app.views.district.receipts_page", "ReceiptsPage"),
    PageSpec("报告", "app.views.reports.report_page", "ReportPage"),
    PageSpec("日志", "app.views.district.audit_page", "AuditPage"),
    PageSpec("编辑方案", "app.views.plans.edit_page", "PlanEditPage"),
]


class MainWindow(QMainWindow):
    context_changed = Signal(object)  # Context

    def __init__(self, db: Database | None = None, parent: QWidget | None = None, *,
                 target: str | None = None) -> None:
        """With `db`, the whole window; without, its shell for the database at `target`
        (a file or URL), painted while that database opens; `attach` completes it."""
        super().__init__(parent)
        self.db: Database
        self.plan: PlanInfo | None = None
        self.example: str | None = None
        self._restoring = False  # while attach brings back the saved plan, period and page
        self.setWindowTitle(self.tr("台账 — {0}").format(
            role_name("district") + (f" · {target_name(target)}" if target else "")))
        self.resize(1360, 820)

        self.plan_combo = QComboBox()
        self.plan_combo.setMinimumWidth(420)
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.plan_combo.currentIndexChanged.connect(self._plan_chosen)
        self.period_combo = QComboBox()
        self.period_combo.setMinimumWidth(130)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self.status_label = QLabel()
        self.due_label = QLabel()

        bar = QToolBar(self.tr("方案与周期"))
        bar.setMovable(False)
        holder = QWidget()
        self._bar_row = row = QHBoxLayout(holder)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(QLabel(self.tr("方案")))
        row.addWidget(self.plan_combo)
        row.addSpacing(12)
        row.addWidget(QLabel(self.tr("周期")))
        row.addWidget(self.period_combo)
        row.addSpacing(8)
        row.addWidget(self.due_label)
        row.addStretch(1)
        row.addWidget(self.status_label)
        bar.addWidget(holder)
        self.addToolBar(bar)

        self.nav = QListWidget()
        self.nav.setMaximumWidth(150)
        self.nav.setStyleSheet("QListWidget::item { padding: 8px 10px; }")
        self.stack = QStackedWidget()
        # Pages are built when first shown or asked for (`page()`); until then, and until
        # the database is attached, the stack shows this.
        self.loading = QLabel(self.tr("正在载入…"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading.setStyleSheet("color: #6b7280; font-size: 15px;")
        self.stack.addWidget(self.loading)
        self._built: dict[int, Page] = {}  # navigation row → its page, once built
        # Pages get their context when first shown or asked for, the first one just after
        # the window has painted, so the window appears at once.
        self._stale: dict[Page, Context] = {}
        self._live: set[Page] = set()  # shown or asked for once: kept up to date from then on
        self._started = False
        self._first_loaded = False
        self._menus_built = False
        for spec in PAGES:
            QListWidgetItem(navigation_title(spec), self.nav)
        self.nav.currentRowChanged.connect(self._page_shown)
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([130, 1200])
        self.setCentralWidget(splitter)

        self.file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.plan_menu = self.menuBar().addMenu(self.tr("方案(&P)"))
        self.report_menu = self.menuBar().addMenu(self.tr("填报(&R)"))
        self.summary_menu = self.menuBar().addMenu(self.tr("报告(&S)"))
        self.help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        # how this window was left on this database (app.views.window_state): a file's
        # place is known before it opens; a server's once it has
        self.window_state: WindowState | None = None
        if target is not None and "://" not in target:
            self._restore_state(WindowState(self, target, "district"))
            saved_page = self.window_state.value("page") if self.window_state else ""
            left_on = next((i for i, p in enumerate(PAGES) if p.title == saved_page), -1)
            self.nav.setCurrentRow(left_on)  # (built once the database is attached)
        self.statusBar().showMessage(self.tr("数据库:{0}").format(
            target if target and "://" not in target else target_name(target or "")))
        if db is not None:
            self.attach(db)

    def _restore_state(self, state: WindowState) -> None:
        self.window_state = state
        state.restore_layout()

    def attach(self, db: Database) -> None:
        """Give the shell its database: title, menus, plans and periods, the page it was
        left on; the current page is loaded once the window shows (or at once if it does)."""
        from app.services.db import database_location
        from app.services.district.ledger import has_returns
        from app.services.district.progress import latest_active_period
        from app.services.plans.examples import example_of

        self.db = db
        self.example = example_of(db)
        self.setWindowTitle(self.tr("台账 — {0}").format(
            title_suffix(db, "district", example=bool(self.example))))
        if self.example:
            self.example_label = QLabel(self.tr(
                "示例数据库:仅供熟悉操作,与您自己的数据分开保存"))
            self.example_label.setStyleSheet(
                "background: #fff4ce; color: #7a5900; border: 1px solid #f0d98a;"
                " border-radius: 3px; padding: 2px 8px;")
            at = self._bar_row.indexOf(self.status_label)
            self._bar_row.insertWidget(at, self.example_label)
            self._bar_row.insertSpacing(at + 1, 12)
        if self.window_state is None:  # (a server's: known once connected)
            state = WindowState(self, db, "district")
            self._restore_state(state)
            if self.isVisible():
                state.restore_splitters()
        assert self.window_state is not None
        self._restoring = True

        if not self.isVisible():  # (at start the shell shows: its first page comes first)
            self._fill_menus()
        self.statusBar().showMessage(self.tr("数据库:{0}").format(database_location(db)))
        bus.changed.connect(self._on_changed)
        saved_plan = self.window_state.value("plan")
        self.reload_plans(select=int(saved_plan) if saved_plan.isdigit() else None)
        # The page it was left on; else, with nothing issued or reported yet (a new plan),
        # the task list says more than empty charts; once anything has been received, the
        # 台账 is where the work is.
        saved_page = self.window_state.value("page")
        start = next((i for i, p in enumerate(PAGES) if p.title and p.title == saved_page),
                     None)
        if start is None:
            idle = self.plan is None or latest_active_period(db, self.plan.plan.id) is None
            received = self.plan is not None and has_returns(db, self.plan.plan.id)
            title = "台账" if received else "任务" if idle else ""
            start = next((i for i, p in enumerate(PAGES) if p.title == title), 0)
        self._restoring = False
        self._started = True  # from now on a page shown is brought up to date at once
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(start)
        self.nav.blockSignals(False)
        self._show_row(start)  # built now; loaded after the window's first paint
        if self.isVisible():
            self._load_first()

    # ------------------------------------------------------------ structure

    @property
    def pages(self) -> list[Page]:
        """Every page, in navigation order (building those not built yet)."""
        return [self._build(row) for row in range(len(PAGES))]

    def _build(self, row: int) -> Page:
        page = self._built.get(row)
        if page is None:
            page = PAGES[row].load()(self)
            self._built[row] = page
            self.stack.addWidget(page)
            item = self.nav.item(row)
            page.badge_changed.connect(
                lambda badge: item.setText(navigation_title(page)
                                           + (f"  ({badge})" if badge else "")))
            fit_columns(page)
            if self.window_state is not None:
                self.window_state.restore_page(page)
        return page

    def page(self, cls: type[Page]) -> Page | None:
        """The page of that class, brought up to date if it has not been shown yet."""
        row = next((i for i, s in enumerate(PAGES)
                    if s.module == cls.__module__ and s.name == cls.__name__), None)
        if row is None:
            return None
        page = self._build(row)
        if self._started:  # (menus built in attach ask too)
            self._catch_up(page)
        return page

    def _catch_up(self, page: Page) -> None:
        self._live.add(page)
        ctx = self._stale.pop(page, None)
        if ctx is None and page.context is None:  # built after the context was chosen
            ctx = self.context()
        if ctx is not None:
            page.set_context(ctx)

    def _show_row(self, row: int) -> Page | None:
        if not self._started or not 0 <= row < len(PAGES):
            self.stack.setCurrentWidget(self.loading)
            return None
        page = self._build(row)
        self.stack.setCurrentWidget(page)
        return page

    def _page_shown(self, row: int) -> None:
        page = self._show_row(row)
        if page is not None:
            self._catch_up(page)

    def _load_first(self) -> None:
        """The first page loads after the first frame is painted; the pages built before
        they are shown (`PageSpec.eager`) after that."""
        if not self._first_loaded:
            self._first_loaded = True
            QTimer.singleShot(0, self, self._first_page)

    def _first_page(self) -> None:
        self._page_shown(self.nav.currentRow())  # (nothing to do if it was asked for)
        QTimer.singleShot(0, self, self._after_first_page)

    def _after_first_page(self) -> None:
        """What can wait until the first page shows its data: the menus' entries (when
        the shell painted without them) and the pages built before they are shown."""
        self._fill_menus()
        for row, spec in enumerate(PAGES):
            if spec.eager:
                self._build(row)

    def _fill_menus(self) -> None:
        if not self._menus_built:
            self._menus_built = True
            self._build_menus()
            fit_columns(self)  # English labels are wider than the Chinese widths allow

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._started:
            self._load_first()

    def show_page(self, page: Page) -> None:
        self.nav.setCurrentRow(next(r for r, p in self._built.items() if p is page))

    def _build_menus(self) -> None:
        """The menus' entries (the shell has their titles)."""
        self.database_actions = install_file_menu(self, self.file_menu, self.db)
        from app.views.office.entry import install_office_entry

        self.office_entry = install_office_entry(self, self.file_menu)
        self.file_menu.addSeparator()
        quit_action = QAction(self.tr("退出"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.file_menu.addAction(quit_action)
        from app.views.server import install_server_action

        self.server_action = install_server_action(self, self.file_menu, window_for)
        if isinstance(self.server_action, QAction):  # 连接服务器… joins the database section
            self.file_menu.removeAction(self.server_action)
            add_database_action(self.file_menu, self.server_action)
        from app.views.district.restore_dialog import install_restore_action

        self.restore_action = install_restore_action(self, self.file_menu, self.db)
        from app.views.reports.report_page import install_report_menu

        install_report_menu(self)
        from app.views.plans.edit_page import install_plan_actions

        self.plan_actions = install_plan_actions(self, self.plan_menu)
        from app.views.district.merge_page import install_merge_actions

        self.merge_actions = install_merge_actions(self, self.report_menu)
        self.guide_action = QAction(self.tr("使用说明"), self)
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.guide_action.triggered.connect(self._guide)
        self.help_menu.addAction(self.guide_action)
        about = QAction(self.tr("关于台账"), self)
        about.triggered.connect(self._about)
        self.help_menu.addAction(about)
        from app.views.i18n import install_language_menu

        self.language_actions = install_language_menu(self, self.help_menu)

    def _guide(self) -> None:
        from app.views.diagnostics import show_guide

        self.guide = show_guide(self, "district")

    def _about(self) -> None:
        from app.views.diagnostics import show_about

        self.about_box = show_about(self)

    # ------------------------------------------------------------ context

    def context(self) -> Context:
        period = None
        if self.plan is not None and self.period_combo.currentIndex() >= 0:
            pid = self.period_combo.currentData()
            period = next((p for p in self.plan.periods if p.id == pid), None)
        return Context(self.db, self.plan, period)

    def reload_plans(self, select: int | None = None) -> None:
        current = select if select is not None else self.plan_combo.currentData()
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        from app.services.plans.query import list_plans

        for p in list_plans(self.db):
            self.plan_combo.addItem(p.title, p.id)
        i = self.plan_combo.findData(current)
        self.plan_combo.setCurrentIndex(i if i >= 0 else 0)
        self.plan_combo.blockSignals(False)
        self._plan_chosen()

    def select_period(self, key: str) -> None:
        for p in self.plan.periods if self.plan else []:
            i = self.period_combo.findData(p.id)
            if p.key == key and i >= 0:
                self.period_combo.setCurrentIndex(i)
                return

    def _plan_chosen(self, *_: object) -> None:
        from app.services.plans.query import get_plan

        plan_id = self.plan_combo.currentData()
        self.plan = get_plan(self.db, plan_id) if plan_id is not None else None
        previous = self.period_combo.currentText()
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for p in self.plan.periods if self.plan else []:
            self.period_combo.addItem(period_text(p.key), p.id)
        i = self.period_combo.findText(previous)
        if i < 0 and self.plan and self.plan.periods:
            i = self._default_period_index()
        self.period_combo.setCurrentIndex(i)
        self.period_combo.blockSignals(False)
        self._period_chosen()

    def _default_period_index(self) -> int:
        """The period whose deadline is next; for a finished plan the latest with activity.
        At start, the period the window was left on, until that choice moves on."""
        from app.services.district.progress import default_period_key

        assert self.plan is not None
        assert self.window_state is not None
        key = default_period_key(self.db, self.plan.plan.id, dt.date.today())
        if self._restoring and self.window_state.value("plan") == str(self.plan.plan.id):
            key = restored_period(self.window_state, [p.key for p in self.plan.periods], key)
        return next((i for i, p in enumerate(self.plan.periods) if p.key == key), 0)

    def _show_due(self) -> None:
        ctx = self.context()
        if ctx.period is None:
            self.due_label.clear()
            return
        text, colour = due_text(ctx.period.due, dt.date.today())
        self.due_label.setText(text)
        self.due_label.setStyleSheet(f"color: {colour};")

    def _period_chosen(self, *_: object) -> None:
        self._show_due()
        self._set_context(self.context())

    def _set_context(self, ctx: Context) -> None:
        for page in self._built.values():  # (one built later takes the context then)
            if page in self._live:
                page.set_context(ctx)
            else:
                self._stale[page] = ctx
        self.context_changed.emit(ctx)

    def _on_changed(self, changes: Changes) -> None:
        """Reload what shows the data that changed: the plan (every page shows it), else
        only the pages watching a kind of data among the changes."""
        if changes.plans or changes.units:  # the plan info pages read holds the units too
            self.reload_plans()
            return
        ctx = self.context()
        for page in self._built.values():
            if not changes.touches(page.watches):
                continue  # it shows none of what changed
            if page in self._live:
                page.set_context(ctx)
            else:
                self._stale[page] = ctx  # loads when first shown

    def save_state(self) -> None:
        """Remember how the window is left on this database (restored when it is reopened)."""
        if not self._started or self.window_state is None:
            return  # (closed before its database was attached: nothing to remember)
        from app.services.district.progress import default_period_key

        ctx = self.context()
        row = self.nav.currentRow()
        values = {"page": PAGES[row].title if 0 <= row < len(PAGES) else ""}
        if ctx.plan is not None:
            values["plan"] = str(ctx.plan.plan.id)
            values["period"] = ctx.period.key if ctx.period is not None else ""
            values["default_period"] = default_period_key(self.db, ctx.plan.plan.id,
                                                          dt.date.today()) or ""
        self.window_state.save(values)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)


def window_for(db: Database) -> QMainWindow:
    """District window, or the office clerk's window for an office database."""
    from app.services.office.role import database_role

    if database_role(db) == "office":
        from app.views.office.window import OfficeWindow

        return OfficeWindow(db)
    return MainWindow(db)
