"""任务: section tree | filterable task table | task detail."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.vocab import ROLE_LABELS
from app.services.plans.query import TaskInfo
from app.views.i18n import vocab_tr
from app.views.widgets.page import Page
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel

SECTION_ROLE = Qt.ItemDataRole.UserRole + 10


def code_key(code: str) -> tuple[int, ...]:
    """'2.1.10' sorts after '2.1.9'."""
    return tuple(int(p) if p.isdigit() else 0 for p in code.split("."))


def task_columns(tr: Callable[[str], str]) -> list[Column[TaskInfo]]:
    return [
        Column(tr("编号"), lambda t: t.code, sort_key=lambda t: code_key(t.code)),
        Column(tr("任务"), lambda t: t.title, tooltip=lambda t: t.text),
        Column(tr("牵头单位"), lambda t: "、".join(t.lead)),
        Column(tr("配合单位"), lambda t: "、".join(t.cooperating)),
        Column(tr("完成时限"), lambda t: t.deadline or ""),
    ]


def task_detail_html(task: TaskInfo) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td style='color:#555;padding-right:8px'>{e(vocab_tr(label))}</td>"
        f"<td>{e('、'.join(units))}</td></tr>"
        for label, units in ((ROLE_LABELS["lead"], task.lead),
                             (ROLE_LABELS["cooperating"], task.cooperating),
                             (ROLE_LABELS["implementing"], task.implementing)) if units)
    extra = ""
    if task.deadline:
        label = QCoreApplication.translate("TasksPage", "完成时限")
        extra += f"<p><b>{e(label)}</b>:{e(task.deadline)}</p>"
    if task.target:
        label = QCoreApplication.translate("TasksPage", "目标")
        extra += f"<p><b>{e(label)}</b>:{e(task.target)}</p>"
    return (f"<h3>{e(task.code)}  {e(task.title)}</h3>"
            f"<p style='color:#666'>{e(task.section)}</p>"
            f"<p style='line-height:150%'>{e(task.text)}</p>"
            f"<table>{rows}</table>{extra}")


class TasksPage(Page):
    title = "任务"
    watches = Changes(plans=True, units=True)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._children: dict[int, set[int]] = {}
        # Models stay parentless (owned by Python) so they outlive the views while the page is
        # destroyed: a model dying first resets the selection and calls our slots mid-teardown.
        self.tree_model = QStandardItemModel()
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(True)
        self.tree.selectionModel().currentChanged.connect(self._apply_filter)

        self.model: RecordTableModel[TaskInfo] = RecordTableModel(task_columns(self.tr))
        self.proxy = RecordFilterProxy()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 70), (2, 150), (3, 160), (4, 80)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)

        self.unit_filter = QComboBox()
        self.unit_filter.setMinimumWidth(160)
        self.unit_filter.currentIndexChanged.connect(self._apply_filter)
        self.role_filter = QComboBox()
        self.role_filter.addItem(self.tr("任意角色"), None)
        for role, label in ROLE_LABELS.items():
            self.role_filter.addItem(vocab_tr(label), role)
        self.role_filter.currentIndexChanged.connect(self._apply_filter)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索任务内容、编号、单位…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        self.count = QLabel()

        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(False)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("单位")))
        bar.addWidget(self.unit_filter)
        bar.addWidget(self.role_filter)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.count)
        middle = QWidget()
        mid_layout = QVBoxLayout(middle)
        mid_layout.setContentsMargins(0, 0, 0, 0)
        mid_layout.addLayout(bar)
        mid_layout.addWidget(self.table)

        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(middle)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([220, 720, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    def refresh(self) -> None:
        plan = self.context.plan if self.context else None
        self.tree_model.clear()
        root = QStandardItem(self.tr("全部任务"))
        root.setData(None, SECTION_ROLE)
        self.tree_model.appendRow(root)
        items: dict[int, QStandardItem] = {}
        if plan is not None:
            for sec in plan.sections:
                item = QStandardItem(f"{sec.code} {sec.title}".strip())
                item.setData(sec.id, SECTION_ROLE)
                item.setToolTip(sec.path)
                (items.get(sec.parent_id, root) if sec.parent_id else root).appendRow(item)
                items[sec.id] = item
        self.tree.expandAll()
        self._children = {sec_id: self._descendants(item) for sec_id, item in items.items()}

        self.unit_filter.blockSignals(True)
        self.unit_filter.clear()
        self.unit_filter.addItem(self.tr("全部单位"), None)
        for unit in plan.units if plan else []:
            self.unit_filter.addItem(unit.name, unit.name)
        self.unit_filter.blockSignals(False)
        self.model.set_records(plan.tasks if plan else [])
        self._apply_filter()
        if self.proxy.rowCount():
            self.table.selectRow(0)

    @staticmethod
    def _descendants(item: QStandardItem) -> set[int]:
        out = {item.data(SECTION_ROLE)}
        for r in range(item.rowCount()):
            out |= TasksPage._descendants(item.child(r))
        return out

    def select_section(self, section_id: int | None) -> None:
        """Programmatic section choice (also used by the dashboard's click-through)."""
        def find(parent: QModelIndex) -> QModelIndex | None:
            for r in range(self.tree_model.rowCount(parent)):
                idx = self.tree_model.index(r, 0, parent)
                if idx.data(SECTION_ROLE) == section_id:
                    return idx
                found = find(idx)
                if found is not None:
                    return found
            return None

        idx = find(QModelIndex())
        if idx is not None:
            self.tree.setCurrentIndex(idx)

    def set_unit_filter(self, unit: str | None) -> None:
        i = self.unit_filter.findData(unit)
        self.unit_filter.setCurrentIndex(max(i, 0))

    def _apply_filter(self, *_: object) -> None:
        current = self.tree.currentIndex()
        section = current.data(SECTION_ROLE) if current.isValid() else None
        allowed = self._children.get(section) if section is not None else None
        unit = self.unit_filter.currentData()
        role = self.role_filter.currentData()
        text = self.search.text().strip().lower()

        def accept(t: TaskInfo) -> bool:
            if allowed is not None and t.section_id not in allowed:
                return False
            if unit is not None:
                units = getattr(t, role) if role else t.units()
                if unit not in units:
                    return False
            elif role is not None and not getattr(t, role):
                return False
            if text:
                hay = " ".join((t.code, t.text, t.section, *t.units())).lower()
                return all(word in hay for word in text.split())
            return True

        self.proxy.set_predicate(accept)
        self.count.setText(self.tr("{0}/{1} 项").format(self.proxy.rowCount(),
                                                        self.model.rowCount()))

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        task = self.proxy.record(current.row()) if current.isValid() else None
        self.detail.setHtml(task_detail_html(task) if task else "")
