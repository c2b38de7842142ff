"""Editing plans in the window: dialogs for tasks, sections, indicators, units and the
plan's settings, and the undo stack whose commands call the ``plan_edit`` services.

Every edit runs its service once (errors are shown in the dialog, which stays open); the
command pushed on the ``QUndoStack`` then knows how to undo it with the inverse service call
and to redo it. After each change ``bus.changed`` tells every page to reload.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QKeySequence,
    QStandardItem,
    QStandardItemModel,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QPlainTextEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserFacingError
from app.core.vocab import FREQUENCY_LABELS, KIND_LABELS, ROLE_LABELS, ROLES
from app.services.db import Database
from app.services.plans.edit import (
    Change,
    IndicatorFields,
    PlanSettings,
    SectionFields,
    TaskFields,
    UnitFields,
    UnitRecord,
    add_indicator,
    add_section,
    add_task,
    add_unit,
    assign_units,
    create_plan,
    delete_indicator,
    delete_section,
    delete_task,
    delete_unit,
    plan_settings,
    restore_indicator,
    restore_section,
    restore_task,
    restore_unit,
    set_assignments,
    update_indicator,
    update_plan_settings,
    update_section,
    update_task,
    update_unit,
)
from app.services.plans.query import IndicatorInfo, PlanInfo, SectionInfo, TaskInfo
from app.views.bus import Changes, bus
from app.views.i18n import vocab_tr
from app.views.widgets import dialogs

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# ---------------------------------------------------------------- undo


class ServiceCommand(QUndoCommand):
    """An edit already done once: redo() repeats `do`, undo() runs `undo`. A failure (the
    data changed meanwhile) is shown and the command is dropped from the stack."""

    def __init__(self, text: str, do: Callable[[], Any], undo: Callable[[], Any],
                 editor: PlanEditor) -> None:
        super().__init__(text)
        self._do, self._undo, self._editor = do, undo, editor
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except UserFacingError as exc:
            self.setObsolete(True)
            self._editor.failed.emit(exc)
        self._editor.changed()


class PlanEditor(QObject):
    """Runs plan edits and keeps them undoable. One per window."""

    failed = Signal(object)  # the exception of an undo/redo that could not be done
    done = Signal(object)  # the Change of each edit, undo and redo

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(200)

    def changed(self, change: Change | None = None) -> None:
        bus.changed.emit(Changes(plans=True, units=True, note="plan edited"))
        self.done.emit(change)

    def _push(self, text: str, change: Change, do: Callable[[], Any],
              undo: Callable[[], Any]) -> Change:
        self.stack.push(ServiceCommand(text, do, undo, self))
        self.changed(change)
        return change

    # tasks
    def add_task(self, plan_id: int, fields: TaskFields) -> Change:
        change = add_task(self.db, plan_id, fields)
        state: dict[str, Any] = {"id": change.id, "snap": None}
        return self._push(self.tr("新增任务 {0}").format(fields.code), change,
                          lambda: state.update(id=restore_task(self.db, state["snap"]).id),
                          lambda: state.update(snap=delete_task(self.db, state["id"]).before))

    def update_task(self, task_id: int, fields: TaskFields) -> Change:
        change = update_task(self.db, task_id, fields)
        if not change.fields:
            return change
        return self._push(self.tr("修改任务 {0}").format(fields.code), change,
                          lambda: update_task(self.db, task_id, change.after),
                          lambda: update_task(self.db, task_id, change.before))

    def delete_task(self, task_id: int) -> Change:
        change = delete_task(self.db, task_id)
        state = {"snap": change.before}
        return self._push(self.tr("删除任务 {0}").format(change.before.fields.code), change,
                          lambda: state.update(snap=delete_task(self.db, task_id).before),
                          lambda: restore_task(self.db, state["snap"]))

    def assign(self, task_ids: list[int], role: str, names: list[str], replace: bool) -> Change:
        change = assign_units(self.db, task_ids, role, names, replace)
        return self._push(self.tr("分配单位({0} 项任务)").format(len(task_ids)), change,
                          lambda: set_assignments(self.db, change.after),
                          lambda: set_assignments(self.db, change.before))

    # sections
    def add_section(self, plan_id: int, fields: SectionFields) -> Change:
        change = add_section(self.db, plan_id, fields)
        state: dict[str, Any] = {"id": change.id, "snap": None}
        return self._push(self.tr("新增领域 {0}").format(fields.title), change,
                          lambda: state.update(id=restore_section(self.db, state["snap"]).id),
                          lambda: state.update(snap=delete_section(self.db, state["id"]).before))

    def update_section(self, section_id: int, fields: SectionFields) -> Change:
        change = update_section(self.db, section_id, fields)
        if not change.fields:
            return change
        return self._push(self.tr("修改领域 {0}").format(fields.title), change,
                          lambda: update_section(self.db, section_id, change.after),
                          lambda: update_section(self.db, section_id, change.before))

    def delete_section(self, section_id: int) -> Change:
        change = delete_section(self.db, section_id)
        state = {"snap": change.before}
        return self._push(self.tr("删除领域 {0}").format(change.before.fields.title), change,
                          lambda: state.update(snap=delete_section(self.db, section_id).before),
                          lambda: restore_section(self.db, state["snap"]))

    # indicators
    def add_indicator(self, plan_id: int, fields: IndicatorFields) -> Change:
        change = add_indicator(self.db, plan_id, fields)
        state: dict[str, Any] = {"id": change.id, "snap": None}
        return self._push(
            self.tr("新增指标 {0}").format(fields.code), change,
            lambda: state.update(id=restore_indicator(self.db, state["snap"]).id),
            lambda: state.update(snap=delete_indicator(self.db, state["id"]).before))

    def update_indicator(self, indicator_id: int, fields: IndicatorFields) -> Change:
        change = update_indicator(self.db, indicator_id, fields)
        if not change.fields:
            return change
        return self._push(self.tr("修改指标 {0}").format(fields.code), change,
                          lambda: update_indicator(self.db, indicator_id, change.after),
                          lambda: update_indicator(self.db, indicator_id, change.before))

    def delete_indicator(self, indicator_id: int) -> Change:
        change = delete_indicator(self.db, indicator_id)
        state = {"snap": change.before}
        return self._push(
            self.tr("删除指标 {0}").format(change.before.fields.code), change,
            lambda: state.update(snap=delete_indicator(self.db, indicator_id).before),
            lambda: restore_indicator(self.db, state["snap"]))

    # units
    def add_unit(self, fields: UnitFields, plan_id: int | None) -> Change:
        change = add_unit(self.db, fields, plan_id)
        state: dict[str, Any] = {"id": change.id, "snap": None}
        return self._push(self.tr("新增单位 {0}").format(change.after.name), change,
                          lambda: state.update(id=restore_unit(self.db, state["snap"]).id),
                          lambda: state.update(snap=delete_unit(self.db, state["id"]).before))

    def update_unit(self, unit_id: int, fields: UnitFields) -> Change:
        change = update_unit(self.db, unit_id, fields)
        if not change.fields:
            return change
        return self._push(self.tr("修改单位 {0}").format(change.after.name), change,
                          lambda: update_unit(self.db, unit_id, change.after),
                          lambda: update_unit(self.db, unit_id, change.before))

    def delete_unit(self, unit_id: int) -> Change:
        change = delete_unit(self.db, unit_id)
        state = {"snap": change.before}
        return self._push(self.tr("删除单位 {0}").format(change.before.fields.name), change,
                          lambda: state.update(snap=delete_unit(self.db, unit_id).before),
                          lambda: restore_unit(self.db, state["snap"]))

    # plan settings
    def update_settings(self, plan_id: int, settings: PlanSettings) -> Change:
        change = update_plan_settings(self.db, plan_id, settings)
        if not change.fields:
            return change
        return self._push(self.tr("修改方案设置"), change,
                          lambda: update_plan_settings(self.db, plan_id, change.after),
                          lambda: update_plan_settings(self.db, plan_id, change.before))


# ---------------------------------------------------------------- dialogs


class EditDialog(QDialog):
    """A form whose OK runs `submit(values)`; a refusal stays in the dialog as a red line."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet("color: #B00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.submit: Callable[[], object] | None = None

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def accept(self) -> None:
        try:
            if self.submit is not None:
                self.submit()
        except UserFacingError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()


class UnitChecklist(QWidget):
    """Pick units by ticking them; the plan's units come first, a filter box narrows."""

    changed = Signal()

    def __init__(self, units: Sequence[UnitRecord], chosen: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        order = list(chosen) + [u.name for u in units if u.name not in chosen]
        known = {u.name: u for u in units}
        for name in order:
            u = known.get(name)
            item = QStandardItem(name if u is None or u.in_plan else
                                 self.tr("{0}(未加入本方案)").format(name))
            item.setData(name, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if name in chosen
                               else Qt.CheckState.Unchecked)
            self.model.appendRow(item)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("筛选单位…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setMinimumHeight(160)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model.itemChanged.connect(self._update)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        layout.addWidget(self.summary)
        self._chosen = list(chosen)
        self._update()

    def _update(self, *_: object) -> None:
        now = [self.model.item(r).data(Qt.ItemDataRole.UserRole)
               for r in range(self.model.rowCount())
               if self.model.item(r).checkState() == Qt.CheckState.Checked]
        # keep the order in which units were ticked (the first lead is the main one)
        self._chosen = [n for n in self._chosen if n in now] + [n for n in now
                                                                if n not in self._chosen]
        self.summary.setText("、".join(self._chosen) or self.tr("(未选)"))
        self.changed.emit()

    def set_checked(self, name: str, checked: bool = True) -> None:
        for r in range(self.model.rowCount()):
            item = self.model.item(r)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise KeyError(name)

    def chosen(self) -> tuple[str, ...]:
        return tuple(self._chosen)


def _section_combo(sections: Sequence[SectionInfo], current: int | None,
                   none_label: str, exclude: int | None = None) -> QComboBox:
    combo = QComboBox()
    combo.addItem(none_label, None)
    for s in sections:
        if exclude is not None and s.id == exclude:
            continue
        combo.addItem(f"{s.code} {s.path}".strip(), s.id)
    i = combo.findData(current)
    combo.setCurrentIndex(max(i, 0))
    return combo


class TaskDialog(EditDialog):
    def __init__(self, plan: PlanInfo, units: Sequence[UnitRecord], task: TaskInfo | None,
                 code: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("修改任务") if task else self.tr("新增任务"), parent)
        self.resize(760, 640)
        self.code = QLineEdit(task.code if task else code)
        self.section = _section_combo(plan.sections, task.section_id if task else None,
                                      self.tr("(不属于任何领域)"))
        self.text = QPlainTextEdit(task.text if task else "")
        self.text.setMinimumHeight(120)
        self.deadline = QLineEdit(task.deadline or "" if task else "")
        self.deadline.setPlaceholderText(self.tr("如 2022-05、2022-05-31 或 2022年5月底前;长期任务留空"))
        self.target = QLineEdit(task.target or "" if task else "")
        self.units = QTabWidget()
        self.pickers: dict[str, UnitChecklist] = {}
        for i, role in enumerate(ROLES):
            picker = UnitChecklist(units, getattr(task, role) if task else ())
            self.pickers[role] = picker
            self.units.addTab(picker, "")
            picker.changed.connect(lambda i=i, p=picker, r=role: self.units.setTabText(
                i, self._tab_label(r, p)))
            self.units.setTabText(i, self._tab_label(role, picker))
        self.form.addRow(self.tr("编号"), self.code)
        self.form.addRow(self.tr("领域"), self.section)
        self.form.addRow(self.tr("任务内容"), self.text)
        self.form.addRow(self.tr("完成时限"), self.deadline)
        self.form.addRow(self.tr("目标"), self.target)
        self.form.addRow(self.tr("责任单位"), self.units)
        self.finish_layout()

    def _tab_label(self, role: str, picker: UnitChecklist) -> str:
        n = len(picker.chosen())
        return vocab_tr(ROLE_LABELS[role]) + (f" {n}" if n else "")

    def fields(self) -> TaskFields:
        return TaskFields(self.code.text(), self.text.toPlainText(), self.section.currentData(),
                          self.deadline.text() or None, self.target.text() or None,
                          *(self.pickers[r].chosen() for r in ROLES))


class SectionDialog(EditDialog):
    def __init__(self, plan: PlanInfo, section: SectionInfo | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("修改领域") if section else self.tr("新增领域"), parent)
        self.code = QLineEdit(section.code if section else "")
        self.title_edit = QLineEdit(section.title if section else "")
        self.parent_combo = _section_combo(plan.sections, section.parent_id if section else None,
                                           self.tr("(一级领域)"),
                                           exclude=section.id if section else None)
        self.form.addRow(self.tr("编号"), self.code)
        self.form.addRow(self.tr("名称"), self.title_edit)
        self.form.addRow(self.tr("上级领域"), self.parent_combo)
        self.finish_layout()

    def fields(self) -> SectionFields:
        return SectionFields(self.title_edit.text(), self.code.text(),
                             self.parent_combo.currentData())


class IndicatorDialog(EditDialog):
    def __init__(self, plan: PlanInfo, units: Sequence[UnitRecord],
                 indicator: IndicatorInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("修改指标") if indicator else self.tr("新增指标"), parent)
        self.resize(620, 640)
        i = indicator
        self.code = QLineEdit(i.code if i else "")
        self.name = QLineEdit(i.name if i else "")
        self.parent_combo = QComboBox()
        self.parent_combo.addItem(self.tr("(一级指标)"), None)
        for other in plan.indicators:
            if i is None or other.id != i.id:
                self.parent_combo.addItem(f"{other.code} {other.name}", other.id)
        self.parent_combo.setCurrentIndex(max(self.parent_combo.findData(
            i.parent_id if i else None), 0))
        self.domain = self._editable_combo(sorted({x.domain for x in plan.indicators
                                                   if x.domain}), i.domain if i else "")
        self.category = self._editable_combo(sorted({x.category for x in plan.indicators
                                                     if x.category}), i.category if i else "")
        self.unit = QLineEdit(i.unit or "" if i else "")
        self.standard = QLineEdit(i.standard or "" if i else "")
        self.standard.setPlaceholderText(self.tr("如 ≥20、≤0.5、100 或 制定实施"))
        self.attribute = QComboBox()
        for value in ("", "约束性", "参考性"):
            self.attribute.addItem(vocab_tr(value) or self.tr("(未定)"), value or None)
        self.attribute.setCurrentIndex(max(self.attribute.findData(i.attribute if i else None),
                                           0))
        self.target = QLineEdit(i.target or "" if i else "")
        self.year = QSpinBox()
        self.year.setRange(1999, 2100)
        self.year.setSpecialValueText(self.tr("(无)"))
        self.year.setValue(i.target_year if i and i.target_year else 1999)
        self.lead = UnitChecklist(units, i.lead if i else ())
        for label, widget in ((self.tr("序号"), self.code), (self.tr("指标名称"), self.name),
                              (self.tr("上级指标"), self.parent_combo),
                              (self.tr("领域"), self.domain), (self.tr("任务"), self.category),
                              (self.tr("单位"), self.unit), (self.tr("指标值"), self.standard),
                              (self.tr("指标属性"), self.attribute),
                              (self.tr("目标值"), self.target), (self.tr("目标年份"), self.year),
                              (self.tr("牵头部门"), self.lead)):
            self.form.addRow(label, widget)
        self.finish_layout()

    @staticmethod
    def _editable_combo(values: list[str], current: str) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.addItems(values)
        combo.setCurrentText(current)
        return combo

    def fields(self) -> IndicatorFields:
        year = self.year.value()
        return IndicatorFields(self.code.text(), self.name.text(),
                               self.parent_combo.currentData(), self.domain.currentText(),
                               self.category.currentText(), self.unit.text() or None,
                               self.standard.text() or None, self.attribute.currentData(),
                               self.target.text() or None, year if year > 1999 else None,
                               self.lead.chosen())


class UnitDialog(EditDialog):
    def __init__(self, unit: UnitRecord | None, plan: PlanInfo | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("修改单位") if unit else self.tr("新增单位"), parent)
        self.name = QLineEdit(unit.name if unit else "")
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(vocab_tr(label), kind)
        self.kind.setCurrentIndex(max(self.kind.findData(unit.kind if unit else "department"),
                                      0))
        self.contact = QLineEdit(unit.contact if unit else "")
        self.phone = QLineEdit(unit.phone if unit else "")
        self.email = QLineEdit(unit.email if unit else "")
        self.email.setPlaceholderText(self.tr("name@example.com;多个用分号隔开(邮件草稿的收件人)"))
        self.aliases = QLineEdit("、".join(unit.aliases) if unit else "")
        self.aliases.setPlaceholderText(self.tr("其他写法,用“、”分隔(导入时据此识别)"))
        self.join = QCheckBox(self.tr("加入当前方案“{0}”").format(plan.plan.title) if plan
                              else self.tr("加入当前方案"))
        self.join.setChecked(plan is not None)
        self.join.setEnabled(plan is not None and unit is None)
        self.form.addRow(self.tr("单位名称"), self.name)
        self.form.addRow(self.tr("类型"), self.kind)
        self.form.addRow(self.tr("联系人"), self.contact)
        self.form.addRow(self.tr("电话"), self.phone)
        self.form.addRow(self.tr("邮箱"), self.email)
        self.form.addRow(self.tr("别名"), self.aliases)
        if unit is None:
            self.form.addRow("", self.join)
        self.finish_layout()

    def fields(self) -> UnitFields:
        aliases = tuple(a for a in re.split(r"[、,,;;\s]+", self.aliases.text()) if a)
        return UnitFields(self.name.text(), self.kind.currentData(), self.contact.text(),
                          aliases, self.phone.text(), self.email.text())


class AssignDialog(EditDialog):
    """Give several tasks the same units at once (a plan imported without units)."""

    def __init__(self, count: int, units: Sequence[UnitRecord],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("为 {0} 项任务分配单位").format(count), parent)
        self.resize(460, 520)
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(vocab_tr(ROLE_LABELS[role]), role)
        self.picker = UnitChecklist(units, ())
        self.replace = QCheckBox(self.tr("替换这些任务原有的该角色单位"))
        self.form.addRow(self.tr("角色"), self.role)
        self.form.addRow(self.tr("单位"), self.picker)
        self.form.addRow("", self.replace)
        self.finish_layout()


class PlanSettingsDialog(EditDialog):
    """方案设置 (and 新建方案): title, issuer, office, frequency, deadline day, periods."""

    def __init__(self, settings: PlanSettings | None, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("方案设置") if settings else self.tr("新建方案"), parent)
        self.resize(560, 360)
        s = settings or PlanSettings("")
        self.title_edit = QLineEdit(s.title)
        self.issuer = QLineEdit(s.issuer)
        self.office = QLineEdit(s.office)
        self.frequency = QComboBox()
        for code, label in FREQUENCY_LABELS.items():
            self.frequency.addItem(self.tr("每{0}").format(vocab_tr(label)), code)
        self.frequency.setCurrentIndex(max(self.frequency.findData(s.frequency), 0))
        self.deadline_day = QSpinBox()
        self.deadline_day.setRange(1, 28)
        self.deadline_day.setValue(s.deadline_day)
        self.deadline_day.setPrefix(self.tr("每期结束后次月 "))
        self.deadline_day.setSuffix(self.tr(" 日前"))
        self.first = QLineEdit(s.first_period or "")
        self.last = QLineEdit(s.last_period or "")
        for edit in (self.first, self.last):
            edit.setPlaceholderText("YYYY-MM")
            edit.setMaxLength(7)
        months = QHBoxLayout()
        months.addWidget(self.first)
        months.addWidget(QLabel(self.tr("至")))
        months.addWidget(self.last)
        self.form.addRow(self.tr("方案名称"), self.title_edit)
        self.form.addRow(self.tr("发文单位"), self.issuer)
        self.form.addRow(self.tr("牵头办公室"), self.office)
        self.form.addRow(self.tr("填报频率"), self.frequency)
        self.form.addRow(self.tr("报送截止"), self.deadline_day)
        self.form.addRow(self.tr("填报周期"), months)
        hint = QLabel(self.tr("已有填报或下发的周期不会被删除;修改频率会重新生成其余周期。"))
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        self.form.addRow("", hint)
        self.finish_layout()

    def settings(self) -> PlanSettings:
        first, last = self.first.text().strip(), self.last.text().strip()
        for label, value in ((self.tr("起始月份"), first), (self.tr("结束月份"), last)):
            if value and not _MONTH.match(value):
                raise UserFacingError(self.tr("{0}应写作 YYYY-MM,如 2021-03。").format(label))
        return PlanSettings(self.title_edit.text(), self.issuer.text(), self.office.text(),
                            self.frequency.currentData(), self.deadline_day.value(),
                            first or None, last or None)


# ---------------------------------------------------------------- menu actions


class PlanActions(QObject):
    """The 方案 menu's import/export/new/settings and undo/redo, for a MainWindow."""

    def __init__(self, window: QMainWindow, db: Database, editor: PlanEditor) -> None:
        super().__init__(window)
        self.window = window
        self.db = db
        self.editor = editor
        self.dialog: QDialog | None = None
        self.exported: object | None = None  # the last ExportResult
        self._op: object | None = None
        tr = self.tr
        self.import_action = QAction(tr("导入方案…"), window)
        self.import_action.triggered.connect(self.import_plan)
        self.export_action = QAction(tr("导出方案…"), window)
        self.export_action.triggered.connect(self.export_plan)
        self.new_action = QAction(tr("新建方案…"), window)
        self.new_action.triggered.connect(self.new_plan)
        self.settings_action = QAction(tr("方案设置…"), window)
        self.settings_action.triggered.connect(self.edit_settings)
        self.undo_action = editor.stack.createUndoAction(window, tr("撤销"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = editor.stack.createRedoAction(window, tr("重做"))
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        editor.failed.connect(lambda exc: dialogs.show_error(window, exc))

    def actions(self) -> list[QAction | None]:
        return [self.new_action, self.import_action, self.export_action, None,
                self.settings_action, None, self.undo_action, self.redo_action]

    def current_plan_id(self) -> int | None:
        plan = getattr(self.window, "plan", None)
        return plan.plan.id if plan is not None else None

    def _select(self, plan_id: int) -> None:
        reload = getattr(self.window, "reload_plans", None)
        if reload is not None:
            reload(plan_id)

    def import_plan(self) -> QDialog:
        from app.views.plans.import_wizard import open_import_dialog

        self.dialog = open_import_dialog(self.window, self.db, self._select)
        return self.dialog

    def export_plan(self) -> None:
        from app.services.plans.export import ExportResult, export_plan
        from app.views.ops import run_op
        from app.views.plans.import_wizard import suggested_export_name

        plan = getattr(self.window, "plan", None)
        if plan is None:
            dialogs.show_error(self.window, UserFacingError(self.tr("还没有方案可以导出。")))
            return
        path = dialogs.save_file(self.window, self.tr("导出方案工作簿"),
                                 suggested_export_name(plan.plan.title))
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        db, plan_id = self.db, plan.plan.id
        def done(r: ExportResult) -> None:
            self.exported = r
            dialogs.show_info(self.window, self.tr(
                "已导出到 {0}\n任务 {1} 项,指标 {2} 项,单位 {3} 个。可在 Excel/WPS 中修改后"
                "用“导入方案…”导回(导入为新方案)。").format(r.path, r.tasks, r.indicators,
                                                   r.units))

        self._op = run_op(self.window, lambda reporter: export_plan(db, plan_id, path, reporter),
                          on_success=done, title=self.tr("导出方案"))

    def new_plan(self) -> PlanSettingsDialog:
        dlg = PlanSettingsDialog(None, self.window)

        def submit() -> None:
            change = create_plan(self.db, dlg.settings())
            bus.changed.emit(Changes(plans=True, note="plan created"))
            self._select(change.id)

        dlg.submit = submit
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self.dialog = dlg
        return dlg

    def edit_settings(self) -> PlanSettingsDialog | None:
        plan_id = self.current_plan_id()
        if plan_id is None:
            dialogs.show_error(self.window, UserFacingError(self.tr("请先新建或导入方案。")))
            return None
        dlg = PlanSettingsDialog(plan_settings(self.db, plan_id), self.window)
        dlg.submit = lambda: self.editor.update_settings(plan_id, dlg.settings())
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        self.dialog = dlg
        return dlg
