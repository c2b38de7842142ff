"""方案 → 导入方案…: choose a workbook, see what will be created, decide the units, import.

The preview runs off the GUI thread (``preview_import``); changing how a unit name is
handled recomputes the preview in memory (no database access); 导入 writes everything in
one transaction (``apply_import``) and the new plan becomes the current one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.problems import Problem
from app.core.vocab import KIND_LABELS, ROLE_LABELS
from app.services.db import Database
from app.services.plans.importing.matching import ImportPreview, preview_import, with_decisions
from app.services.plans.importing.writing import ImportResult, apply_import
from app.services.plans.units import NEW, UnitDecision
from app.views.i18n import fit_columns, vocab_tr
from app.views.ops import run_op
from app.views.widgets import dialogs
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel

Index = QModelIndex | QPersistentModelIndex
CHOICE_ROLE = Qt.ItemDataRole.UserRole + 20
LEVEL_LABELS = {"error": "错误", "warning": "注意", "info": "提示"}  # vocab_tr knows them
LEVEL_COLOURS = {"error": "#FFD9D6", "warning": "#FFF1C2", "info": ""}


class UnitDecisionModel(QAbstractTableModel):
    """How each written unit name is handled; the 处理 and 类型 columns are editable.

    An edit does not change the decisions itself: it emits `choice_made(name, target)` or
    `kind_chosen(name, kind)` and the dialog recomputes the preview, then calls
    `set_decisions`."""

    choice_made = Signal(str, str)  # written name, target unit name (same name: new unit)
    kind_chosen = Signal(str, str)

    HEADERS = tuple(str(h) for h in (QT_TRANSLATE_NOOP("UnitDecisionModel", "单位名称(表中写法)"),
                                     QT_TRANSLATE_NOOP("UnitDecisionModel", "处理"),
                                     QT_TRANSLATE_NOOP("UnitDecisionModel", "类型"),
                                     QT_TRANSLATE_NOOP("UnitDecisionModel", "出现位置"),
                                     QT_TRANSLATE_NOOP("UnitDecisionModel", "说明")))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.decisions: list[UnitDecision] = []
        self.existing: list[str] = []

    def set_decisions(self, decisions: Sequence[UnitDecision], existing: Sequence[str]) -> None:
        self.beginResetModel()
        self.decisions = list(decisions)
        self.existing = list(existing)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.decisions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.tr(self.HEADERS[section]) if 0 <= section < len(self.HEADERS) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        d = self.decisions[index.row()]
        if index.column() == 1 or (index.column() == 2 and d.action == NEW):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def choices(self, row: int) -> list[tuple[str, str]]:
        """(label, target) pairs for the 处理 editor: new unit, the closest units first,
        then every other existing unit and the units this import creates."""
        d = self.decisions[row]
        out = [(self.tr("新建单位"), d.name)]
        seen = {d.name}
        new_names = [x.name for x in self.decisions if x.action == NEW and x.name != d.name]
        for name in [*d.candidates, *([d.target] if d.target != d.name else []),
                     *self.existing, *new_names]:
            if name in seen:
                continue
            seen.add(name)
            suffix = self.tr("(本次新建)") if name in new_names else ""
            out.append((self.tr("归入“{0}”").format(name) + suffix, name))
        return out

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.decisions):
            return None
        d = self.decisions[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return d.name
            if col == 1:
                return d.describe()
            if col == 2:
                return vocab_tr(KIND_LABELS.get(d.kind, d.kind))
            if col == 3:
                cells = "、".join(c.split("!", 1)[-1] for c in d.cells[:4])
                more = self.tr(" 等 {0} 处").format(len(d.cells)) if len(d.cells) > 4 else ""
                return (("\n".join(d.cells)) if role == Qt.ItemDataRole.ToolTipRole
                        else cells + more)
            if col == 4:
                return self._note(d)
        if role == Qt.ItemDataRole.EditRole:
            return d.target if col == 1 else d.kind if col == 2 else None
        if role == Qt.ItemDataRole.BackgroundRole and col == 1:
            if not d.confident:
                return QBrush(QColor("#FFF1C2"))
            if d.action == NEW:
                return QBrush(QColor("#DDEBFA"))
        return None

    def _note(self, d: UnitDecision) -> str:
        if d.action != NEW and d.score < 1.0:
            return self.tr("名称相近(相似度 {0:.0%}),请确认").format(d.score)
        if d.action == NEW and d.candidates and d.score >= 0.5:
            return self.tr("最接近的已有单位:{0}").format(d.candidates[0])
        if d.name != d.target:
            return self.tr("导入后记为“{0}”的别名").format(d.target)
        return ""

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        d = self.decisions[index.row()]
        if index.column() == 1 and isinstance(value, str) and value:
            if value != d.target or (value == d.name and d.action != NEW):
                self.choice_made.emit(d.name, value)
            return True
        if index.column() == 2 and value in KIND_LABELS and d.action == NEW:
            d.kind = str(value)
            self.dataChanged.emit(index, index)
            self.kind_chosen.emit(d.name, str(value))
            return True
        return False


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box listing the model's choices for the 处理 column, unit kinds for 类型."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        combo = QComboBox(parent)
        model = index.model()
        if index.column() == 1 and isinstance(model, UnitDecisionModel):
            for label, target in model.choices(index.row()):
                combo.addItem(label, target)
        else:
            for kind, label in KIND_LABELS.items():
                combo.addItem(vocab_tr(label), kind)
        combo.setMaxVisibleItems(20)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


@dataclass(frozen=True)
class TaskRow:
    code: str
    section: str
    text: str
    lead: str
    cooperating: str
    implementing: str
    deadline: str
    target: str


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    standard: str
    attribute: str
    target: str
    lead: str


def _task_rows(preview: ImportPreview) -> list[TaskRow]:
    spec = preview.resolved_spec()
    paths: dict[str, str] = {}

    def walk(items: list[dict[str, Any]], parent: str) -> None:
        for s in items:
            path = f"{parent} › {s['title']}" if parent else s["title"]
            paths[s.get("code") or s["title"]] = path
            walk(s.get("children", []), path)

    walk(spec.get("sections", []), "")
    return [TaskRow(t["code"], paths.get(t.get("section") or "", ""), t["text"],
                    "、".join(t["lead"]), "、".join(t["cooperating"]),
                    "、".join(t["implementing"]), t.get("deadline") or "", t.get("target") or "")
            for t in spec.get("tasks", [])]


def _indicator_rows(preview: ImportPreview) -> list[IndicatorRow]:
    out: list[IndicatorRow] = []

    def walk(items: list[dict[str, Any]], depth: int) -> None:
        for i in items:
            out.append(IndicatorRow(i["code"], "    " * depth + i["name"], i.get("unit") or "",
                                    i.get("standard") or "", i.get("attribute") or "",
                                    i.get("target") or "", "、".join(i.get("lead", []))))
            walk(i.get("children", []), depth + 1)

    walk(preview.resolved_spec().get("indicators", []), 0)
    return out


def _table(model: Any, stretch: int | None = None) -> QTableView:
    table = QTableView()
    if isinstance(model, RecordTableModel):
        proxy = RecordFilterProxy(table)
        proxy.setSourceModel(model)
        table.setModel(proxy)
    else:
        table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    table.horizontalHeader().setStretchLastSection(stretch is None)
    if stretch is not None:
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class PlanImportDialog(QDialog):
    """Non-modal-friendly dialog: open() it; `imported(plan_id)` fires after a successful
    import (bus.changed has been emitted by then)."""

    preview_ready = Signal(object)  # ImportPreview
    imported = Signal(int)
    failed = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.preview: ImportPreview | None = None
        self.base_preview: ImportPreview | None = None
        self.overrides: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        self.import_result: ImportResult | None = None
        self.setWindowTitle(self.tr("导入方案工作簿"))
        self.resize(1180, 720)

        self.file_label = QLabel(self.tr("请选择方案工作簿(任务分解表、指标表,.xlsx)。"))
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton(self.tr("选择文件…"))
        self.choose_button.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        tr = self.tr
        self.unit_model = UnitDecisionModel(self)
        self.unit_model.choice_made.connect(self._choice)
        self.unit_model.kind_chosen.connect(self._kind)
        self.unit_table = _table(self.unit_model, 4)
        self.unit_table.setItemDelegate(ChoiceDelegate(self.unit_table))
        self.unit_table.setEditTriggers(QTableView.EditTrigger.AllEditTriggers)
        for col, width in ((0, 220), (1, 260), (2, 80), (3, 200)):
            self.unit_table.setColumnWidth(col, width)

        self.task_model: RecordTableModel[TaskRow] = RecordTableModel([
            Column(tr("编号"), lambda t: t.code),
            Column(tr("领域"), lambda t: t.section, tooltip=lambda t: t.section),
            Column(tr("任务内容"), lambda t: t.text.replace("\n", " "), tooltip=lambda t: t.text),
            Column(vocab_tr(ROLE_LABELS["lead"]), lambda t: t.lead, tooltip=lambda t: t.lead),
            Column(vocab_tr(ROLE_LABELS["cooperating"]), lambda t: t.cooperating,
                   tooltip=lambda t: t.cooperating),
            Column(vocab_tr(ROLE_LABELS["implementing"]), lambda t: t.implementing,
                   tooltip=lambda t: t.implementing),
            Column(tr("完成时限"), lambda t: t.deadline),
            Column(tr("目标"), lambda t: t.target, tooltip=lambda t: t.target),
        ], self)
        self.task_table = _table(self.task_model, 2)
        for col, width in ((0, 70), (1, 160), (3, 150), (4, 150), (5, 120), (6, 80), (7, 120)):
            self.task_table.setColumnWidth(col, width)

        self.indicator_model: RecordTableModel[IndicatorRow] = RecordTableModel([
            Column(tr("序号"), lambda i: i.code), Column(tr("指标名称"), lambda i: i.name),
            Column(tr("单位"), lambda i: i.unit), Column(tr("指标值"), lambda i: i.standard),
            Column(tr("属性"), lambda i: i.attribute), Column(tr("目标值"), lambda i: i.target),
            Column(tr("牵头部门"), lambda i: i.lead)], self)
        self.indicator_table = _table(self.indicator_model, 1)

        self.problem_model: RecordTableModel[Problem] = RecordTableModel([
            Column(tr("级别"), lambda p: vocab_tr(LEVEL_LABELS[p.severity]),
                   background=lambda p: LEVEL_COLOURS[p.severity] or None),
            Column(tr("工作表"), lambda p: p.sheet), Column(tr("单元格"), lambda p: p.cell),
            Column(tr("说明"), lambda p: p.message, tooltip=lambda p: p.message)], self)
        self.problem_table = _table(self.problem_model, 3)
        self.problem_table.setColumnWidth(1, 160)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.unit_table, tr("单位"))
        self.tabs.addTab(self.task_table, tr("任务"))
        self.tabs.addTab(self.indicator_table, tr("指标"))
        self.tabs.addTab(self.problem_table, tr("问题"))

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(tr("导入"),
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        fit_columns(self)

    # ------------------------------------------------------------ steps

    def choose_file(self) -> None:
        path = dialogs.open_file(self, self.tr("选择方案工作簿"), kind="plans")
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Read and preview `path` in the background."""
        self.file_label.setText(path)
        self.summary.setText(self.tr("正在读取…"))
        self.import_button.setEnabled(False)
        self.overrides.clear()
        self.kinds.clear()
        db = self.db
        self._op = run_op(self, lambda reporter: preview_import(db, path, reporter=reporter),
                          on_success=self._previewed, on_failure=self._failed,
                          title=self.tr("读取方案工作簿"))

    def _failed(self, exc: BaseException) -> None:
        self.preview = self.base_preview = None
        self._show(None)
        text = dialogs.error_text(exc)
        self.summary.setText(self.tr("无法导入:") + text)
        self.failed.emit(text)
        dialogs.show_error(self, exc)

    def _previewed(self, preview: ImportPreview) -> None:
        self.base_preview = preview
        self._recompute()

    def _choice(self, name: str, target: str) -> None:
        self.overrides[name] = target
        self._recompute()

    def _kind(self, name: str, kind: str) -> None:
        self.kinds[name] = kind
        self._recompute()

    def _recompute(self) -> None:
        assert self.base_preview is not None
        try:
            preview = with_decisions(self.base_preview, self.overrides)
        except Exception as exc:  # an impossible choice (a loop): undo it, tell the user
            self.overrides.popitem()
            dialogs.show_error(self, exc)
            preview = with_decisions(self.base_preview, self.overrides)
        for d in preview.units:
            if d.action == NEW and d.name in self.kinds:
                d.kind = self.kinds[d.name]
        self.preview = preview
        self._show(preview)
        self.preview_ready.emit(preview)

    def _show(self, preview: ImportPreview | None) -> None:
        if preview is None:
            self.unit_model.set_decisions([], [])
            self.task_model.set_records([])
            self.indicator_model.set_records([])
            self.problem_model.set_records([])
            self.import_button.setEnabled(False)
            return
        c = preview.counts()
        unsure = sum(1 for d in preview.units if not d.confident)
        self.unit_model.set_decisions(preview.units, [u.name for u in preview.existing])
        self.task_model.set_records(_task_rows(preview))
        self.indicator_model.set_records(_indicator_rows(preview))
        self.problem_model.set_records(preview.problems)
        tr = self.tr
        self.tabs.setTabText(0, tr("单位 {0}").format(len(preview.units)))
        self.tabs.setTabText(1, tr("任务 {0}").format(c["tasks"]))
        self.tabs.setTabText(2, tr("指标 {0}").format(c["indicators"]))
        self.tabs.setTabText(3, tr("问题 {0}").format(len(preview.problems)))
        lines = [tr("方案:{0}").format(preview.resolved_spec()["title"]),
                 tr("将创建:领域 {0} 个,任务 {1} 项,指标 {2} 项;涉及单位 {3} 个,其中新建 {4} 个,"
                    "记住别名 {5} 个。").format(c["sections"], c["tasks"], c["indicators"],
                                          c["units"], c["new_units"], c["aliases"])]
        if unsure:
            lines.append(tr("有 {0} 个单位名称与已有单位相近,已标黄,请在“处理”列确认。").format(unsure))
        if c["errors"]:
            lines.append(tr("工作簿有 {0} 处错误(见“问题”),修改后才能导入。").format(c["errors"]))
        self.summary.setText("\n".join(lines))
        self.import_button.setEnabled(c["errors"] == 0)

    def start_import(self) -> None:
        if self.preview is None:
            return
        self.import_button.setEnabled(False)
        preview = self.preview
        db = self.db
        self._op = run_op(self, lambda reporter: apply_import(db, preview, reporter),
                          on_success=self._imported, on_failure=self._failed,
                          title=self.tr("导入方案"))

    def _imported(self, result: ImportResult) -> None:
        self.import_result = result  # run_op announces result.changes
        self.imported.emit(result.plan_id)
        dialogs.show_info(self.parentWidget(), self.tr(
            "已导入方案“{0}”:任务 {1} 项,指标 {2} 项,单位 {3} 个(新建 {4} 个)。").format(
            result.title, result.tasks, result.indicators, result.units, len(result.new_units)))
        self.accept()


def open_import_dialog(parent: QWidget, db: Database,
                       on_imported: Callable[[int], None] | None = None) -> PlanImportDialog:
    dlg = PlanImportDialog(db, parent)
    if on_imported is not None:
        dlg.imported.connect(on_imported)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    dlg.choose_file()
    return dlg


def suggested_export_name(title: str) -> str:
    safe = "".join(ch for ch in title if ch not in '\\/:*?"<>|').strip() or "方案"
    return str(Path(safe[:60] + ".xlsx"))
