"""编辑方案: tasks, sections, indicators and units of the current plan, editable with undo.

A toolbar acts on the open tab (新增 / 修改 / 删除), 分配单位… gives many tasks the same
units at once, 撤销/重做 walk the edit history; double-click edits a row. The edits go
through ``PlanEditor`` (services + undo stack), so the other pages refresh by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.vocab import KIND_LABELS
from app.services.plans.edit import UnitRecord, list_units, next_task_code
from app.services.plans.query import IndicatorInfo, PlanInfo, SectionInfo, TaskInfo
from app.views.i18n import vocab_tr
from app.views.plans.edit_dialogs import (
    AssignDialog,
    EditDialog,
    IndicatorDialog,
    PlanActions,
    PlanEditor,
    SectionDialog,
    TaskDialog,
    UnitDialog,
)
from app.views.plans.tasks_page import code_key
from app.views.widgets import dialogs
from app.views.widgets.page import Page
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel

TASKS, SECTIONS, INDICATORS, UNITS = range(4)


@dataclass(frozen=True)
class SectionRow:
    section: SectionInfo
    tasks: int


def _view(model: RecordTableModel, stretch: int, multi: bool = False) -> QTableView:
    proxy = RecordFilterProxy(model)
    proxy.setSourceModel(model)
    table = QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection if multi
                           else QTableView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class PlanEditPage(Page):
    title = "编辑方案"
    watches = Changes(plans=True, units=True)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # the main window passes itself; its database is known before the first context
        self.editor = PlanEditor(getattr(parent, "db", None), self)  # type: ignore[arg-type]
        self.actions_: object | None = None  # PlanActions, set by install_plan_actions
        self.dialog: EditDialog | None = None
        self.units: list[UnitRecord] = []
        tr = self.tr
        j = "、".join

        self.task_model: RecordTableModel[TaskInfo] = RecordTableModel([
            Column(tr("编号"), lambda t: t.code, sort_key=lambda t: code_key(t.code)),
            Column(tr("领域"), lambda t: t.section.rsplit(" › ", 1)[-1],
                   tooltip=lambda t: t.section),
            Column(tr("任务内容"), lambda t: t.text.replace("\n", " "), tooltip=lambda t: t.text),
            Column(tr("牵头"), lambda t: j(t.lead), tooltip=lambda t: j(t.lead)),
            Column(tr("配合"), lambda t: j(t.cooperating), tooltip=lambda t: j(t.cooperating)),
            Column(tr("落实"), lambda t: j(t.implementing), tooltip=lambda t: j(t.implementing)),
            Column(tr("完成时限"), lambda t: t.deadline or ""),
            Column(tr("目标"), lambda t: t.target or "", tooltip=lambda t: t.target),
        ], self)
        self.section_model: RecordTableModel[SectionRow] = RecordTableModel([
            Column(tr("编号"), lambda r: r.section.code,
                   sort_key=lambda r: code_key(r.section.code)),
            Column(tr("领域"), lambda r: r.section.path),
            Column(tr("任务数"), lambda r: r.tasks, align_right=True),
        ], self)
        self.indicator_model: RecordTableModel[IndicatorInfo] = RecordTableModel([
            Column(tr("序号"), lambda i: i.code, sort_key=lambda i: code_key(i.code)),
            Column(tr("指标名称"), lambda i: ("    " if i.parent_id else "") + i.name),
            Column(tr("单位"), lambda i: i.unit or ""),
            Column(tr("指标值"), lambda i: i.standard or ""),
            Column(tr("属性"), lambda i: vocab_tr(i.attribute or "")),
            Column(tr("目标值"), lambda i: i.target or ""),
            Column(tr("年份"), lambda i: i.target_year or ""),
            Column(tr("牵头部门"), lambda i: j(i.lead)),
        ], self)
        self.unit_model: RecordTableModel[UnitRecord] = RecordTableModel([
            Column(tr("单位名称"), lambda u: u.name),
            Column(tr("类型"), lambda u: vocab_tr(KIND_LABELS.get(u.kind, u.kind))),
            Column(tr("本方案"), lambda u: tr("参与") if u.in_plan else "",
                   background=lambda u: None if u.in_plan else "#F2F2F2"),
            Column(tr("任务"), lambda u: u.tasks, align_right=True),
            Column(tr("指标"), lambda u: u.indicators, align_right=True),
            Column(tr("联系人"), lambda u: u.contact),
            Column(tr("电话"), lambda u: u.phone),
            Column(tr("邮箱"), lambda u: u.email, tooltip=lambda u: u.email),
            Column(tr("别名"), lambda u: j(u.aliases), tooltip=lambda u: j(u.aliases)),
        ], self)

        self.task_table = _view(self.task_model, 2, multi=True)
        for col, width in ((0, 70), (1, 170), (3, 150), (4, 150), (5, 120), (6, 80), (7, 110)):
            self.task_table.setColumnWidth(col, width)
        self.section_table = _view(self.section_model, 1)
        self.indicator_table = _view(self.indicator_model, 1)
        for col, width in ((0, 60), (2, 80), (3, 130), (4, 60), (5, 130), (6, 50), (7, 150)):
            self.indicator_table.setColumnWidth(col, width)
        self.unit_table = _view(self.unit_model, 8)
        self.unit_table.setColumnWidth(0, 220)
        self.tables = [self.task_table, self.section_table, self.indicator_table,
                       self.unit_table]
        for table in self.tables:
            table.doubleClicked.connect(self._double_clicked)
            table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.tabs = QTabWidget()
        for table, label in zip(self.tables, (tr("任务"), tr("领域"), tr("指标"), tr("单位")),
                                strict=True):
            self.tabs.addTab(table, label)
        self.tabs.currentChanged.connect(self._update_buttons)

        self.add_button = QPushButton(tr("新增…"))
        self.edit_button = QPushButton(tr("修改…"))
        self.delete_button = QPushButton(tr("删除"))
        self.assign_button = QPushButton(tr("分配单位…"))
        self.undo_button = QPushButton(tr("撤销"))
        self.redo_button = QPushButton(tr("重做"))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.assign_button.clicked.connect(self.assign)
        self.undo_button.clicked.connect(self.editor.stack.undo)
        self.redo_button.clicked.connect(self.editor.stack.redo)
        self.editor.stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.editor.stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.editor.stack.undoTextChanged.connect(
            lambda text: self.undo_button.setToolTip(tr("撤销:{0}").format(text)))
        self.editor.stack.redoTextChanged.connect(
            lambda text: self.redo_button.setToolTip(tr("重做:{0}").format(text)))
        self.editor.failed.connect(lambda exc: dialogs.show_error(self, exc))
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        bar = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button, self.assign_button):
            bar.addWidget(b)
        bar.addSpacing(16)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        bar.addStretch(1)
        bar.addWidget(self.status)
        self.empty = QLabel(tr("还没有方案。请用“方案 → 新建方案…”新建,或“方案 → 导入方案…”导入已有的"
                               "任务分解表和指标表。"))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.empty)
        layout.addWidget(self.tabs, 1)
        self._update_buttons()

    # ------------------------------------------------------------ data

    @property
    def plan(self) -> PlanInfo | None:
        return self.context.plan if self.context else None

    def refresh(self) -> None:
        if self.context is not None and self.editor.db is None:
            self.editor.db = self.context.db
        plan = self.plan
        self.empty.setVisible(plan is None)
        self.tabs.setVisible(plan is not None)
        self.units = list_units(self.editor.db, plan.plan.id if plan else None) \
            if self.editor.db is not None else []
        if plan is None:
            for model in (self.task_model, self.section_model, self.indicator_model):
                model.set_records([])
            self.unit_model.set_records(self.units)
            self._update_buttons()
            return
        counts: dict[int | None, int] = {}
        for t in plan.tasks:
            counts[t.section_id] = counts.get(t.section_id, 0) + 1
        self.task_model.set_records(plan.tasks)
        self.section_model.set_records([SectionRow(s, counts.get(s.id, 0))
                                        for s in plan.sections])
        self.indicator_model.set_records(plan.indicators)
        self.unit_model.set_records(self.units)
        no_lead = sum(1 for t in plan.tasks if not t.lead)
        text = self.tr("任务 {0} · 领域 {1} · 指标 {2} · 本方案单位 {3}").format(
            len(plan.tasks), len(plan.sections), len(plan.indicators), len(plan.units))
        if no_lead:
            text += self.tr(" · 无牵头单位的任务 {0}").format(no_lead)
        self.status.setText(text)
        self._update_buttons()

    def selected(self, tab: int | None = None) -> list[object]:
        table = self.tables[self.tabs.currentIndex() if tab is None else tab]
        proxy = table.model()
        assert isinstance(proxy, RecordFilterProxy)
        rows = sorted({i.row() for i in table.selectionModel().selectedRows()})
        return [proxy.record(r) for r in rows]

    def _update_buttons(self, *_: object) -> None:
        has_plan = self.plan is not None
        tab = self.tabs.currentIndex()
        chosen = len(self.selected()) if has_plan or tab == UNITS else 0
        self.add_button.setEnabled(has_plan or tab == UNITS)
        self.edit_button.setEnabled(chosen == 1)
        self.delete_button.setEnabled(chosen >= 1)
        self.assign_button.setEnabled(has_plan and tab == TASKS and chosen >= 1)

    def _double_clicked(self, _index: QModelIndex) -> None:
        self.edit()

    # ------------------------------------------------------------ actions

    def _open(self, dlg: EditDialog) -> EditDialog:
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dlg
        dlg.open()
        return dlg

    def add(self) -> EditDialog | None:
        plan, tab, ed = self.plan, self.tabs.currentIndex(), self.editor
        if tab == UNITS:
            udlg = UnitDialog(None, plan, self)
            udlg.submit = lambda: ed.add_unit(
                udlg.fields(), plan.plan.id if plan and udlg.join.isChecked() else None)
            return self._open(udlg)
        if plan is None:
            return None
        pid = plan.plan.id
        if tab == TASKS:
            current = self.selected()
            section = current[0].section_id if current else None  # type: ignore[attr-defined]
            tdlg = TaskDialog(plan, self.units, None, next_task_code(ed.db, pid, section), self)
            tdlg.section.setCurrentIndex(max(tdlg.section.findData(section), 0))
            tdlg.submit = lambda: ed.add_task(pid, tdlg.fields())
            return self._open(tdlg)
        if tab == SECTIONS:
            sdlg = SectionDialog(plan, None, self)
            sdlg.submit = lambda: ed.add_section(pid, sdlg.fields())
            return self._open(sdlg)
        idlg = IndicatorDialog(plan, self.units, None, self)
        idlg.submit = lambda: ed.add_indicator(pid, idlg.fields())
        return self._open(idlg)

    def edit(self) -> EditDialog | None:
        chosen = self.selected()
        if len(chosen) != 1:
            return None
        item, plan, ed = chosen[0], self.plan, self.editor
        if isinstance(item, UnitRecord):
            udlg = UnitDialog(item, plan, self)
            udlg.submit = lambda: ed.update_unit(item.id, udlg.fields())
            return self._open(udlg)
        assert plan is not None
        if isinstance(item, TaskInfo):
            tdlg = TaskDialog(plan, self.units, item, item.code, self)
            tdlg.submit = lambda: ed.update_task(item.id, tdlg.fields())
            return self._open(tdlg)
        if isinstance(item, SectionRow):
            sdlg = SectionDialog(plan, item.section, self)
            sdlg.submit = lambda: ed.update_section(item.section.id, sdlg.fields())
            return self._open(sdlg)
        assert isinstance(item, IndicatorInfo)
        idlg = IndicatorDialog(plan, self.units, item, self)
        idlg.submit = lambda: ed.update_indicator(item.id, idlg.fields())
        return self._open(idlg)

    def edit_unit(self, name: str) -> EditDialog | None:
        """The 修改单位 dialog for one unit by name (the 单位 page opens it for contacts)."""
        item = next((u for u in list_units(self.editor.db, self.plan.plan.id if self.plan
                                           else None) if u.name == name), None)
        if item is None:
            return None
        udlg = UnitDialog(item, self.plan, self)
        udlg.submit = lambda: self.editor.update_unit(item.id, udlg.fields())
        return self._open(udlg)

    def delete(self) -> None:
        """Delete the selection (undo brings it back); refusals are shown, the rest done."""
        for item in self.selected():
            try:
                if isinstance(item, TaskInfo):
                    self.editor.delete_task(item.id)
                elif isinstance(item, SectionRow):
                    self.editor.delete_section(item.section.id)
                elif isinstance(item, IndicatorInfo):
                    self.editor.delete_indicator(item.id)
                elif isinstance(item, UnitRecord):
                    self.editor.delete_unit(item.id)
            except UserFacingError as exc:
                dialogs.show_error(self, exc)
                return

    def assign(self) -> EditDialog | None:
        tasks = [t for t in self.selected(TASKS) if isinstance(t, TaskInfo)]
        if not tasks:
            return None
        dlg = AssignDialog(len(tasks), self.units, self)
        dlg.submit = lambda: self.editor.assign([t.id for t in tasks], dlg.role.currentData(),
                                                list(dlg.picker.chosen()),
                                                dlg.replace.isChecked())
        return self._open(dlg)


def install_plan_actions(window: QMainWindow, menu: Any) -> PlanActions | None:
    """Add the plan actions to `menu`; uses the window's PlanEditPage editor."""
    finder = getattr(window, "page", None)
    page = finder(PlanEditPage) if finder is not None else None
    if not isinstance(page, PlanEditPage):
        return None
    actions = PlanActions(window, page.editor.db, page.editor)
    page.actions_ = actions
    for action in actions.actions():
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
    return actions
