"""The town/street office clerk's window: the unit's task list beside the task form.

Everything typed is saved by the office service in a small transaction, half a second
after the clerk stops typing, when moving to another item and when the window closes,
so closing the window or losing power loses at most the last half second. The service
decides what is valid; the window shows its verdicts and never blocks typing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QEvent,
    QItemSelectionModel,
    QKeyCombination,
    QModelIndex,
    QObject,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.core.problems import Problem
from app.services.db import Database, database_location
from app.services.office import export as office_export
from app.services.office import forms as office
from app.services.office import opening as office_opening
from app.services.office.export import ExportResult, PreflightItem
from app.services.office.forms import OfficeIndicator, OfficeInfo, OfficePeriod, OfficeTask
from app.services.office.opening import OpenResult
from app.services.packets.format import INPUT_HEADERS
from app.views.database_menu import install_file_menu, title_suffix
from app.views.i18n import due_text, install_language_menu, period_text, vocab_tr
from app.views.office.form import IndicatorForm, TaskForm
from app.views.office.models import (
    STATE_COLOURS,
    ListEntry,
    TaskFilterProxy,
    TaskItemDelegate,
    TaskListModel,
)
from app.views.office.preflight import PreflightDialog
from app.views.ops import OpHandle, run_op
from app.views.widgets import dialogs
from app.views.window_state import WindowState, restored_period

AUTOSAVE_MS = 500
PRIMARY_BUTTON = (
    "QPushButton { background: #1a73e8; color: white; border: none; border-radius: 4px;"
    " padding: 6px 18px; font-weight: bold; }"
    "QPushButton:hover { background: #1765cc; } QPushButton:pressed { background: #1558b0; }")
SEGMENT = (
    "QToolButton { border: 1px solid #cfd4da; padding: 3px 12px; background: white; }"
    "QToolButton:checked { background: #1a73e8; color: white; border-color: #1a73e8; }")


def field_label(name: str) -> str:
    return vocab_tr(INPUT_HEADERS.get(name, name).replace("(%)", ""))


def entry_for(task: OfficeTask, invalid: bool = False) -> ListEntry:
    return ListEntry(task.key, task.code, task.title, task.section, task.values.get("status"),
                     task.values.get("percent"), tuple(field_label(f) for f in task.missing),
                     invalid, task.text)


class WindowShortcuts(QObject):
    """Inputs leave the window's own shortcuts to the window: on X11 a line edit (the one
    inside 完成进度's spin box too) takes Ctrl+E as "end of line" and 导出 never came."""

    KEYS = (QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_E),)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window

    def guard(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is self.window:
            new.installEventFilter(self)  # once: Qt keeps one entry per filter

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.keyCombination() in self.KEYS and isinstance(watched, QWidget)
                and watched.window() is self.window):
            event.ignore()  # not taken by the input: the shortcut map gets it
            return True
        return False


class OfficeWindow(QMainWindow):
    """One office database: period header, task list and form, indicator form."""

    loaded = Signal()  # a period was (re)loaded
    exported = Signal(object)  # ExportResult
    packet_opened = Signal(object)  # OpenResult
    contact_filled = Signal(int)  # tasks given this item's contact

    def __init__(self, db: Database, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today
        self.info: OfficeInfo | None = None
        self.period: OfficePeriod | None = None
        self.tasks: dict[str, OfficeTask] = {}
        self.indicators: dict[str, OfficeIndicator] = {}
        self.current_key: str | None = None
        self._dirty = False
        self._dirty_indicators: set[str] = set()
        self._invalid: dict[str, list[Problem]] = {}  # refused input, by row key
        self._drafts: dict[str, dict[str, Any]] = {}  # refused input kept while navigating
        self._missing: dict[str, list[PreflightItem]] = {}  # pre-flight, by row key
        self._force_close = False
        self._restoring = False  # while __init__ brings back the saved period, tab and task
        self._ops: list[OpHandle] = []
        self.preflight_dialog: PreflightDialog | None = None
        self.message_box: QMessageBox | None = None
        self.edited_after_export = False  # the form differs from the last export
        self.setWindowTitle(self.tr("台账 — {0}").format(title_suffix(db, "office")))
        self.resize(1360, 840)

        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(AUTOSAVE_MS)
        self.save_timer.timeout.connect(self.save_pending)

        self._build_header()
        self._build_tasks_tab()
        self.indicator_form = IndicatorForm()
        self.indicator_form.edited.connect(self._indicator_edited)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.tasks_tab, self.tr("任务进展"))
        self.tabs.addTab(self.indicator_form, self.tr("指标数值"))
        self.tabs.currentChanged.connect(lambda _i: self.save_pending())

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.shortcut_guard = WindowShortcuts(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # the focused input gets the guard (rare events)
            app.focusChanged.connect(self.shortcut_guard.guard)
        self.statusBar().showMessage(self.tr("填报库:{0}").format(database_location(db)))
        # how this window was left on this database (app.views.window_state)
        self.window_state = WindowState(self, db, "office")
        self.window_state.restore_layout()
        self._restoring = True
        self.reload()
        self._restoring = False

    # ------------------------------------------------------------ building

    def _build_header(self) -> None:
        self.header = QFrame()
        self.header.setObjectName("officeHeader")
        self.header.setStyleSheet("#officeHeader { background: #f7f8fa;"
                                  " border-bottom: 1px solid #e3e6ea; }")
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.35)
        big.setBold(True)
        self.unit_label = QLabel()
        self.unit_label.setFont(big)
        self.period_label = QLabel()
        self.period_label.setFont(big)
        self.period_combo = QComboBox()
        self.period_combo.setMinimumWidth(140)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self.due_label = QLabel()
        due_font = QFont(self.font())
        due_font.setPointSizeF(self.font().pointSizeF() * 1.15)
        self.due_label.setFont(due_font)
        self.plan_label = QLabel()
        self.plan_label.setStyleSheet("color: #6b7280;")
        self.export_state = QLabel()
        self.export_state.setStyleSheet("color: #6b7280;")
        self.export_state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.export_button = QPushButton(self.tr("导出报送包"))
        self.export_button.setToolTip(self.tr("检查填写情况并导出报送包 (Ctrl+E)"))
        self.export_button.setStyleSheet(PRIMARY_BUTTON)
        self.export_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.export_button.clicked.connect(self.export_return)
        dot = QLabel("·")
        dot2 = QLabel("·")
        for d in (dot, dot2):
            d.setFont(big)
            d.setStyleSheet("color: #9aa0a6;")
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.unit_label)
        top.addWidget(dot)
        top.addWidget(self.period_label)
        top.addWidget(self.period_combo)
        top.addWidget(dot2)
        top.addWidget(self.due_label)
        top.addStretch(1)
        top.addWidget(self.export_state)
        top.addSpacing(8)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self.header)
        layout.setContentsMargins(16, 10, 16, 8)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.plan_label)

    def _build_tasks_tab(self) -> None:
        tr = self.tr
        self.count_label = QLabel()
        count_font = QFont(self.font())
        count_font.setBold(True)
        self.count_label.setFont(count_font)
        self.count_bar = QProgressBar()
        self.count_bar.setTextVisible(False)
        self.count_bar.setFixedHeight(6)
        self.count_bar.setStyleSheet(
            "QProgressBar { background: #e5e7eb; border: none; border-radius: 3px; }"
            "QProgressBar::chunk { background: #2e7d32; border-radius: 3px; }")
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[str, QToolButton] = {}
        filters = QHBoxLayout()
        filters.setSpacing(0)
        for mode, text in (("all", tr("全部")), ("todo", tr("未填")), ("behind", tr("滞后"))):
            button = QToolButton()
            button.setText(text)
            button.setCheckable(True)
            button.setStyleSheet(SEGMENT)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, m=mode: self.set_filter(m))
            self.filter_group.addButton(button)
            self.filter_buttons[mode] = button
            filters.addWidget(button)
        self.filter_buttons["all"].setChecked(True)
        filters.addStretch(1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("搜索编号、任务内容… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.model = TaskListModel(self)
        self.proxy = TaskFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.search.textChanged.connect(self._search_changed)
        self.list = QListView()
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(TaskItemDelegate(self.list, self.tr))
        self.list.setUniformItemSizes(True)
        self.list.setMouseTracking(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #6b7280; padding: 20px;")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(12, 10, 6, 0)
        ll.setSpacing(6)
        count_row = QHBoxLayout()
        count_row.addWidget(self.count_label)
        count_row.addStretch(1)
        self.left_hint = QLabel()
        self.left_hint.setStyleSheet("color: #6b7280;")
        count_row.addWidget(self.left_hint)
        ll.addLayout(count_row)
        ll.addWidget(self.count_bar)
        ll.addSpacing(2)
        ll.addLayout(filters)
        ll.addWidget(self.search)
        ll.addWidget(self.empty_label)
        ll.addWidget(self.list, 1)

        self.form = TaskForm()
        self.form.edited.connect(self._task_edited)
        self.form.previous_requested.connect(lambda: self.go(-1))
        self.form.next_requested.connect(lambda: self.go(1))
        self.form.contact_for_all_requested.connect(self.contact_for_all)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.form)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([420, 940])
        self.splitter.setChildrenCollapsible(False)
        self.tasks_tab: QWidget = self.splitter

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        tr = self.tr
        file_menu = self.menuBar().addMenu(tr("文件(&F)"))
        self.file_menu = file_menu
        self.database_actions = install_file_menu(self, file_menu, self.db)
        self.open_action = self._action(file_menu, tr("打开下发包…"), self.open_packet_dialog,
                                        QKeySequence.StandardKey.Open)
        self.export_action = self._action(file_menu, tr("导出报送包…"), self.export_return,
                                          "Ctrl+E")
        self.check_action = self._action(file_menu, tr("检查填写情况"), self.show_preflight)
        file_menu.addSeparator()
        self._action(file_menu, tr("退出"), self.close, QKeySequence.StandardKey.Quit)
        edit_menu = self.menuBar().addMenu(tr("填写(&E)"))
        self.save_action = self._action(edit_menu, tr("立即保存"), self.save_now,
                                        QKeySequence.StandardKey.Save)
        self.contact_action = self._action(edit_menu, tr("把此责任人和电话填到其他任务…"),
                                           self.contact_for_all)
        edit_menu.addSeparator()
        self.prev_action = self._action(edit_menu, tr("上一项"), lambda: self.go(-1), "Alt+Left")
        self.next_action = self._action(edit_menu, tr("下一项"), lambda: self.go(1), "Alt+Right")
        self.next_todo_action = self._action(edit_menu, tr("下一个未填项"), self.go_next_todo,
                                             "Alt+Down")
        self.find_action = self._action(edit_menu, tr("查找任务"), self._focus_search,
                                        QKeySequence.StandardKey.Find)
        help_menu = self.menuBar().addMenu(tr("帮助(&H)"))
        self.guide_action = self._action(help_menu, tr("使用说明"), self._guide,
                                         QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, tr("快捷键"), self._show_keys)
        self.about_action = self._action(help_menu, tr("关于台账"), self._about)
        self.language_actions = install_language_menu(self, help_menu)

    # ------------------------------------------------------------ loading

    def reload(self, select_period: str | None = None) -> None:
        """Read the office database again (after opening a packet, or at start)."""
        try:
            self.info = office.office_info(self.db)
        except UserFacingError as exc:
            self.info = None
            self.message_box = dialogs.show_error(self, exc)
            return
        current = select_period or (self.period.key if self.period else None)
        if self._restoring and self.info.periods:  # the period, tab and task it was left on
            current = restored_period(self.window_state, [p.key for p in self.info.periods],
                                      self.info.periods[0].key)
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for p in self.info.periods:
            self.period_combo.addItem(period_text(p.key), p.key)
        i = self.period_combo.findData(current) if current else 0
        self.period_combo.setCurrentIndex(max(i, 0))
        self.period_combo.blockSignals(False)
        several = len(self.info.periods) > 1
        self.period_combo.setVisible(several)
        self.period_label.setVisible(not several)
        self.unit_label.setText(self.info.unit)
        self._period_chosen()
        if self._restoring and self.period is not None and self.period.key == current:
            task = self.window_state.value("task")
            if task in self.tasks:
                self.select_task(task)
            if self.window_state.value("tab") == "1" and self.tabs.isTabVisible(1):
                self.tabs.setCurrentIndex(1)

    def _period_chosen(self, *_: object) -> None:
        self.save_pending()
        key = self.period_combo.currentData()
        assert self.info is not None
        self.period = next((p for p in self.info.periods if p.key == key), None)
        self._drafts.clear()
        self._invalid.clear()
        self.current_key = None
        self._load_period()

    def _load_period(self) -> None:
        p = self.period
        if p is None:
            return
        today = self.today or dt.date.today()
        text, colour = due_text(p.due, today)
        self.period_label.setText(period_text(p.key))
        self.due_label.setText(text)
        self.due_label.setStyleSheet(f"color: {colour};")
        kind = self.tr("  · 退回修改包") if p.kind == "correction" else ""
        self.plan_label.setText(self.tr("{0}  ·  报送给 {1}{2}").format(
            p.plan_title, self.info.receiver if self.info else "", kind))
        self._update_export_state()
        self.setWindowTitle(self.tr("{0} · {1} — 台账 · {2}").format(
            self.info.unit if self.info else "", period_text(p.key),
            title_suffix(self.db, "office")))
        tasks = office.list_tasks(self.db, p.key, p.plan_id)
        indicators = office.list_indicators(self.db, p.key, p.plan_id)
        self.tasks = {t.key: t for t in tasks}
        self._load_preflight()
        self.indicators = {i.key: i for i in indicators}
        self.model.set_entries([entry_for(t) for t in tasks])
        self.proxy.set_pinned(None)
        prev_label = next((period_text(i.previous_period) for i in indicators
                           if i.previous_period), "")
        self.indicator_form.set_indicators(indicators, prev_label)
        self.tabs.setTabVisible(1, bool(indicators))
        self.tabs.tabBar().setVisible(bool(indicators))
        self._update_counts()
        first = next((t.key for t in tasks if t.missing), tasks[0].key if tasks else None)
        if first is not None:
            self.select_task(first)
        else:
            self.form.setEnabled(False)
        self.loaded.emit()

    def _update_export_state(self) -> None:
        """尚未导出 / 已导出第 n 版, and once something differs from what that version
        carried, that it has to be exported again (the service compares)."""
        p = self.period
        if p is None:
            return
        self.export_state.setStyleSheet("color: #6b7280;")
        if not p.last_revision:
            self.export_state.setText(self.tr("尚未导出"))
            self.export_state.setToolTip("")
            return
        at = p.last_exported_at
        when = QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute)
                         ).toString(self.tr("M月d日 HH:mm")) if at else ""
        text = self.tr("已导出第 {0} 版 {1}").format(p.last_revision, when)
        self.edited_after_export = office_export.edited_since_export(self.db, p.key, p.plan_id)
        if self.edited_after_export:
            text = self.tr("已导出第 {0} 版,之后有修改 · 需重新导出").format(p.last_revision)
            self.export_state.setStyleSheet("color: #b45309; font-weight: bold;")
            self.export_state.setToolTip(self.tr(
                "第 {0} 版导出({1})之后又改了填写内容:区里收到的是改动前的内容。"
                "请再导出一次并发送。").format(p.last_revision, when))
        else:
            self.export_state.setToolTip("")
        self.export_state.setText(text)

    def _update_counts(self) -> None:
        entries = self.model.entries
        done = sum(e.complete for e in entries)
        todo = len(entries) - done
        behind = sum(e.state == "behind" for e in entries)
        self.count_label.setText(self.tr("已填 {0}/{1}").format(done, len(entries)))
        self.left_hint.setText(self.tr("还差 {0} 项").format(todo) if todo
                               else self.tr("全部填完 ✓"))
        self.count_bar.setRange(0, max(len(entries), 1))
        self.count_bar.setValue(done)
        self.filter_buttons["all"].setText(self.tr("全部 {0}").format(len(entries)))
        self.filter_buttons["todo"].setText(self.tr("未填 {0}").format(todo))
        self.filter_buttons["behind"].setText(self.tr("滞后 {0}").format(behind))
        inds = list(self.indicators.values())
        missing = sum(bool(i.missing) for i in inds)
        self.tabs.setTabText(0, self.tr("任务进展  {0}/{1}").format(done, len(entries)))
        self.tabs.setTabText(1, self.tr("指标数值  {0}/{1}").format(len(inds) - missing,
                                                                    len(inds)))
        self._update_empty_hint()

    def _update_empty_hint(self) -> None:
        if self.proxy.rowCount() == 0 and self.model.rowCount() > 0:
            mode = self.proxy.mode
            text = {"todo": self.tr("没有未填的任务了。可以按 Ctrl+E 导出报送包。"),
                    "behind": self.tr("没有滞后的任务。")}.get(mode, self.tr("没有找到匹配的任务。"))
            self.empty_label.setText(text)
            self.empty_label.show()
        else:
            self.empty_label.hide()

    # ------------------------------------------------------------ list and navigation

    def set_filter(self, mode: str) -> None:
        self.save_pending()
        self.filter_buttons[mode].setChecked(True)
        self.proxy.set_filter(mode=mode)
        self._update_empty_hint()
        if self.current_key is not None and self.proxy.row_of(self.current_key) >= 0:
            self._select_row(self.proxy.row_of(self.current_key))
        elif self.proxy.rowCount():
            self._select_row(0)

    def _search_changed(self, text: str) -> None:
        self.proxy.set_filter(text=text)
        self._update_empty_hint()

    def _select_row(self, row: int) -> None:
        idx = self.proxy.index(row, 0)
        self.list.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(idx)

    def select_task(self, key: str) -> None:
        """Show the task with row key `key` (clears a filter that hides it)."""
        if self.proxy.row_of(key) < 0:
            self.search.clear()
            self.set_filter("all")
        row = self.proxy.row_of(key)
        if row >= 0:
            self._select_row(row)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self.proxy.entry(current.row()) if current.isValid() else None
        if entry is None or entry.key == self.current_key:
            return
        self.save_pending()
        self._show_task(entry.key)

    def _show_task(self, key: str) -> None:
        t = self.tasks[key]
        self.current_key = key
        self.proxy.set_pinned(key)
        self.form.set_task(code=t.code, section=t.section, text=t.text, lead=t.lead,
                           cooperating=t.cooperating, deadline=t.deadline or None,
                           target=t.target or None,
                           role_text=self.tr("、").join(
                               vocab_tr(r) for r in t.role_text.split("、") if r))
        notice = ""
        if t.overdue:
            notice = self.tr("此项已过完成时限({0}),请写明进展;未完成的请在“存在问题”中说明原因。"
                             ).format(t.deadline)
        self.form.set_values(t.values, t.previous,
                             period_text(t.previous_period) if t.previous_period else "",
                             editable=t.editable, comments=t.comments, notice=notice)
        draft = self._drafts.pop(key, None)
        if draft is not None:  # refused input typed earlier in this session: bring it back
            self.form.set_values(draft, t.previous,
                                 period_text(t.previous_period) if t.previous_period else "",
                                 editable=t.editable, comments=t.comments, notice=notice)
            self._dirty = True
            self.save_pending()
        else:
            self.form.show_problems(self._reminders(key, []))
        row = self.proxy.row_of(key)
        self.form.set_position(row, self.proxy.rowCount())
        if draft is None:
            self.form.saved_label.setStyleSheet("color: #6b7280;")
            self.form.set_saved_text(self.tr("输入的内容会自动保存"))

    def go(self, step: int) -> None:
        """Previous/next task in the list as filtered (Alt+←/→)."""
        if self.tabs.currentIndex() != 0:
            self.tabs.setCurrentIndex(0)
        self.save_pending()
        row = self.proxy.row_of(self.current_key) if self.current_key else -1
        target = row + step
        if 0 <= target < self.proxy.rowCount():
            self._select_row(target)
            self.form.focus_field("status")

    def go_next_todo(self) -> None:
        self.save_pending()
        keys = [e.key for e in self.model.entries]
        start = keys.index(self.current_key) + 1 if self.current_key in keys else 0
        for key in keys[start:] + keys[:start]:
            entry = self.model.entries[keys.index(key)]
            if not entry.complete and key != self.current_key:
                self.select_task(key)
                self.form.focus_field(self.tasks[key].missing[0] if self.tasks[key].missing
                                      else "status")
                return

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    # ------------------------------------------------------------ saving

    def _task_edited(self) -> None:
        self._dirty = True
        self.form.set_saved_text(self.tr("正在输入…"))
        self.save_timer.start()

    def _indicator_edited(self, key: str) -> None:
        self._dirty_indicators.add(key)
        self.save_timer.start()

    def save_pending(self) -> bool:
        """Store what was typed since the last save; False if some input was refused."""
        self.save_timer.stop()
        if self.period is None:
            return True
        ok = True
        if self._dirty and self.current_key is not None:
            ok = self._save_task(self.current_key) and ok
        for key in sorted(self._dirty_indicators):
            ok = self._save_indicator(key) and ok
        self._dirty_indicators.clear()
        return ok

    def save_now(self) -> None:
        self._dirty = self._dirty or self.current_key is not None
        self.save_pending()

    def _save_task(self, key: str) -> bool:
        assert self.period is not None
        values = self.form.values()
        try:
            result = office.save_task(self.db, self.period.key, key, values,
                                      plan_id=self.period.plan_id)
        except UserFacingError as exc:
            self.message_box = dialogs.show_error(self, exc)
            return False
        self._dirty = False
        refused = [p for p in result.problems if p.blocking]
        if refused:
            self._invalid[key] = refused
            self._drafts[key] = values
        else:
            self._invalid.pop(key, None)
            self._drafts.pop(key, None)
        self._refresh_tasks()
        self._load_preflight()
        self.form.show_problems(self._reminders(key, result.problems))
        self._set_saved_text(refused)
        return not refused

    def _save_indicator(self, key: str) -> bool:
        assert self.period is not None
        try:
            result = office.save_indicator(self.db, self.period.key, key,
                                           self.indicator_form.values(key),
                                           plan_id=self.period.plan_id)
        except UserFacingError as exc:
            self.message_box = dialogs.show_error(self, exc)
            return False
        self.indicator_form.show_problems(key, {p.field or "": p.message for p in result.problems})
        self.indicators = {i.key: i for i in office.list_indicators(
            self.db, self.period.key, self.period.plan_id)}
        self._update_counts()
        if self.period.last_revision:
            self._update_export_state()
        if result.ok:
            self._invalid.pop(key, None)
            self.statusBar().showMessage(self.tr("指标已自动保存 {0}").format(
                dt.datetime.now().strftime("%H:%M:%S")), 5000)
        else:
            self._invalid[key] = [p for p in result.problems if p.blocking]
        return result.ok

    def _load_preflight(self) -> None:
        assert self.period is not None
        self._missing = {}
        for item in office_export.preflight(self.db, self.period.key, self.period.plan_id):
            self._missing.setdefault(item.key, []).append(item)

    def _reminders(self, key: str, problems: list[Problem]) -> list[Problem]:
        """The save's verdicts plus, once an item is started, what the pre-flight still
        wants for it (so the clerk sees at the field what is missing)."""
        task = self.tasks.get(key)
        if task is None or not any(task.values.get(f) for f in ("status", "progress")):
            return list(problems)
        seen = {p.field for p in problems}
        extra = [Problem(field=i.field, message=i.message, severity="warning")
                 for i in self._missing.get(key, []) if i.field not in seen]
        return [*problems, *extra]

    def _refresh_tasks(self) -> None:
        """Re-read the list after a save: states and counts come from the service."""
        assert self.period is not None
        for t in office.list_tasks(self.db, self.period.key, self.period.plan_id):
            self.tasks[t.key] = t
            self.model.update_entry(entry_for(t, t.key in self._invalid))
        self._update_counts()
        if self.period.last_revision:  # an edit after an export: say it needs another
            self._update_export_state()

    def _set_saved_text(self, refused: list[Any] | None = None) -> None:
        if refused:
            names = self.tr("、").join(dict.fromkeys(field_label(p.field) for p in refused))
            self.form.saved_label.setStyleSheet("color: #c62828;")
            self.form.set_saved_text(self.tr("{0}填写有误,改正后自动保存").format(names))
            return
        self.form.saved_label.setStyleSheet("color: #6b7280;")
        self.form.set_saved_text(self.tr("✓ 已自动保存 {0}").format(
            dt.datetime.now().strftime("%H:%M")))

    def contact_for_all(self) -> QMessageBox | None:
        """Copy this item's 责任人/电话 into every other task of the period where they are
        empty (the first month of a new office: the same contact on fifty tasks)."""
        ok = self.save_pending()
        key = self.current_key
        if self.period is None or key is None:
            return None
        stored = self.tasks[key].values
        contact = {f: stored.get(f) or "" for f in ("responsible", "phone")}
        if not ok or not all(contact.values()):
            self.message_box = dialogs.show_info(self, self.tr(
                "请先在本项正确填写责任人和联系电话,再填到其他任务。"))
            return self.message_box
        targets = {k: {f: v for f, v in contact.items() if not t.values.get(f)
                       and (t.editable is None or f in t.editable)}
                   for k, t in self.tasks.items() if k != key}
        targets = {k: v for k, v in targets.items() if v}
        if not targets:
            self.message_box = dialogs.show_info(self, self.tr("其他任务都已填写责任人和电话。"))
            return self.message_box
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("填写联系人"), self.tr(
            "把责任人“{0}”、联系电话“{1}”填到其余 {2} 项还没有填写的任务?\n"
            "已经填写的不会改动。").format(contact["responsible"], contact["phone"],
                                       len(targets)),
            QMessageBox.StandardButton.NoButton, self)
        yes = box.addButton(self.tr("填写"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        period = self.period

        def work(reporter: Reporter) -> int:
            done = 0
            for i, (k, values) in enumerate(targets.items()):
                reporter.step(i, len(targets), self.tr("正在填写联系人…"))
                result = office.save_task(self.db, period.key, k, values,
                                          plan_id=period.plan_id)
                done += bool(result.changed)
            return done

        def finished(done: int) -> None:
            self._refresh_tasks()
            self._load_preflight()
            self.statusBar().showMessage(self.tr("已为 {0} 项任务填写联系人").format(done), 8000)
            self.contact_filled.emit(done)

        yes.clicked.connect(lambda: self._ops.append(run_op(
            self, work, on_success=finished, on_failure=self._op_failed,
            title=self.tr("正在填写联系人…"))))
        self.message_box = box
        box.open()
        return box

    # ------------------------------------------------------------ pre-flight and export

    def show_preflight(self, then_export: bool = False) -> PreflightDialog | None:
        """List every missing or invalid entry; choosing one opens its form."""
        self.save_pending()
        if self.period is None:
            return None
        items = office_export.preflight(self.db, self.period.key, self.period.plan_id)
        refused = [
            PreflightItem("task" if key in self.tasks else "indicator", key,
                          self.tasks[key].code if key in self.tasks else self.indicators[key].code,
                          p.field or "", self.tr("{0}(未保存)").format(p.message.rstrip("。")))
            for key, problems in self._invalid.items()
            if key in self.tasks or key in self.indicators for p in problems]
        items = refused + items
        if not items:
            if then_export:
                self._choose_export_file()
            else:
                self.message_box = dialogs.show_info(self, self.tr("全部填写完整,可以导出报送包。"))
            return None
        titles = {k: t.title for k, t in self.tasks.items()}
        titles.update({k: i.name for k, i in self.indicators.items()})
        dialog = PreflightDialog(items, titles, self)
        dialog.export_button.setVisible(then_export)
        dialog.item_chosen.connect(self.go_to_item)
        dialog.export_anyway.connect(self._choose_export_file)
        self.preflight_dialog = dialog
        dialog.open()
        return dialog

    def go_to_item(self, item: PreflightItem) -> None:
        if item.kind == "task":
            self.tabs.setCurrentIndex(0)
            self.select_task(item.key)
            self.form.focus_field(item.field)
        else:
            self.tabs.setCurrentIndex(1)
            self.indicator_form.focus(item.key, item.field)

    def export_return(self) -> None:
        """导出报送包: pre-flight first, then where to save, then write it off the GUI thread."""
        self.show_preflight(then_export=True)

    def _choose_export_file(self) -> None:
        if self.period is None:
            return
        self.save_pending()
        name = office_export.suggested_export_name(self.db, self.period.key, self.period.plan_id)
        path = dialogs.save_file(self, self.tr("导出报送包"), name, kind="returns")
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != ".xlsx":
            target = target.with_name(target.name + ".xlsx")
        period = self.period

        def work(reporter: Reporter) -> ExportResult:
            return office_export.export_packet(self.db, period.key, target, plan_id=period.plan_id,
                                        reporter=reporter)

        self._ops.append(run_op(self, work, on_success=self._exported,
                                on_failure=self._op_failed, title=self.tr("正在导出报送包…")))

    def _op_failed(self, exc: BaseException) -> None:
        self.message_box = dialogs.show_error(self, exc)

    def _exported(self, result: ExportResult) -> None:
        key = self.period.key if self.period else None
        self.info = office.office_info(self.db)
        self.period = next((p for p in self.info.periods if p.key == key), self.period)
        self._update_export_state()  # run_op announces result.changes
        missing = len(result.preflight)
        text = self.tr("已导出报送包(第 {0} 版):\n{1}\n\n请把这个文件发送给{2}。").format(
            result.revision, result.path, self.info.receiver)
        if missing:
            text += self.tr("\n\n注意:还有 {0} 处没有填写完整。").format(missing)
        self.message_box = dialogs.show_written(self, text, result.path)
        self.exported.emit(result)

    # ------------------------------------------------------------ opening a packet

    def open_packet_dialog(self) -> None:
        path = dialogs.open_file(self, self.tr("打开下发包"), kind="packets")
        if path:
            self.open_packet(Path(path))

    def open_packet(self, path: Path) -> OpHandle:
        self.save_pending()

        def work(reporter: Reporter) -> OpenResult:
            return office_opening.open_packet(self.db, path, reporter=reporter)

        handle = run_op(self, work, on_success=self._packet_opened, on_failure=self._op_failed,
                        title=self.tr("正在打开下发包…"))
        self._ops.append(handle)
        return handle

    def _packet_opened(self, result: OpenResult) -> None:
        self.reload(select_period=result.period)  # run_op announces result.changes
        text = result.summary()
        if result.problems:
            text += "\n\n" + self.tr("下发包中有以下问题:") + "\n" + "\n".join(result.problems[:20])
        self.message_box = dialogs.show_info(self, text)
        self.packet_opened.emit(result)

    # ------------------------------------------------------------ closing

    def _guide(self) -> None:
        from app.views.diagnostics import show_guide

        self.guide = show_guide(self, "office")

    def _about(self) -> None:
        from app.views.diagnostics import show_about

        self.message_box = show_about(self)

    def _show_keys(self) -> None:
        self.message_box = dialogs.show_info(self, self.tr(
            "Tab / Shift+Tab:在填写项之间移动\nAlt+← / Alt+→:上一项 / 下一项\n"
            "Alt+↓:下一个未填项\nCtrl+F:查找任务\nCtrl+S:立即保存(平时会自动保存)\n"
            "Ctrl+E:检查并导出报送包\nCtrl+O:打开下发包"))

    def save_state(self) -> None:
        """Remember how the window is left on this database (restored when it is reopened)."""
        values = {"tab": str(self.tabs.currentIndex()), "task": self.current_key or ""}
        if self.info is not None and self.period is not None:
            values["period"] = self.period.key
            values["default_period"] = self.info.periods[0].key if self.info.periods else ""
        self.window_state.save(values)

    def closeEvent(self, event: QCloseEvent) -> None:
        ok = self.save_pending()
        if (ok and not self._invalid) or self._force_close:
            self.save_state()
            event.accept()
            return
        event.ignore()
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("台账"), self.tr(
            "有填写有误的内容没有保存(例如电话或日期格式不对)。\n"
            "关闭后这些内容会丢失,其他内容都已保存。"), QMessageBox.StandardButton.NoButton, self)
        close_button = box.addButton(self.tr("仍然关闭"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("返回修改"), QMessageBox.ButtonRole.RejectRole)

        def closing() -> None:
            self._force_close = True
            self.close()

        close_button.clicked.connect(closing)
        self.message_box = box
        box.open()


__all__ = ["STATE_COLOURS", "OfficeWindow"]
