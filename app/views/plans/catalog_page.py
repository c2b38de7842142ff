"""单位 and 指标: read-only views of a plan's units and indicator table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from app.core.changes import Changes
from app.core.vocab import KIND_LABELS
from app.services.plans.query import IndicatorInfo
from app.views.i18n import vocab_tr
from app.views.plans.edit_dialogs import EditDialog
from app.views.plans.edit_page import PlanEditPage
from app.views.widgets.page import Page
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel, record_view


@dataclass(frozen=True)
class UnitRow:
    name: str
    kind: str
    aliases: str
    lead: int
    cooperating: int
    implementing: int
    indicators: int
    contact: str = ""
    phone: str = ""
    email: str = ""


class UnitsPage(Page):
    title = "单位"
    watches = Changes(plans=True, units=True)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = self.tr
        self.model: RecordTableModel[UnitRow] = RecordTableModel([
            Column(tr("单位名称"), lambda u: u.name),
            Column(tr("类型"), lambda u: vocab_tr(KIND_LABELS.get(u.kind, u.kind))),
            Column(tr("牵头任务"), lambda u: u.lead, align_right=True),
            Column(tr("配合任务"), lambda u: u.cooperating, align_right=True),
            Column(tr("落实任务"), lambda u: u.implementing, align_right=True),
            Column(tr("牵头指标"), lambda u: u.indicators, align_right=True),
            Column(tr("联系人"), lambda u: u.contact),
            Column(tr("电话"), lambda u: u.phone),
            Column(tr("邮箱"), lambda u: u.email, tooltip=lambda u: u.email),
            Column(tr("别名"), lambda u: u.aliases),
        ], self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = record_view(self.proxy, stretch=9, widths=((0, 200), (8, 180)), service_order=True)
        self.table.doubleClicked.connect(self._double_clicked)
        self.summary = QLabel()
        hint = QLabel(self.tr("双击单位可修改联系人、电话和邮箱(下发时据此生成邮件草稿)。"))
        hint.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(hint)
        layout.addWidget(self.table)

    def _double_clicked(self, index: QModelIndex) -> EditDialog | None:
        """Contacts are edited in the plan editor's 修改单位 dialog (one home, with undo)."""
        row = self.proxy.record(index.row())
        finder = getattr(self.window(), "page", None)
        editor = finder(PlanEditPage) if finder is not None else None
        if not isinstance(editor, PlanEditPage):
            return None
        return editor.edit_unit(row.name)

    def refresh(self) -> None:
        plan = self.context.plan if self.context else None
        rows: list[UnitRow] = []
        if plan is not None:
            counts: Counter[tuple[str, str]] = Counter()
            for t in plan.tasks:
                for role in ("lead", "cooperating", "implementing"):
                    for name in getattr(t, role):
                        counts[(name, role)] += 1
            ind = Counter(name for i in plan.indicators for name in i.lead)
            rows = [UnitRow(u.name, u.kind, "、".join(u.aliases), counts[(u.name, "lead")],
                            counts[(u.name, "cooperating")], counts[(u.name, "implementing")],
                            ind[u.name], u.contact, u.phone, u.email) for u in plan.units]
        self.model.set_records(rows)
        kinds = Counter(r.kind for r in rows)
        self.summary.setText(self.tr("共 {0} 个单位:").format(len(rows)) + "  ".join(
            f"{vocab_tr(KIND_LABELS[k])} {kinds[k]}" for k in KIND_LABELS if kinds[k]))


class IndicatorsPage(Page):
    title = "指标"
    watches = Changes(plans=True, units=True)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = self.tr
        self.model: RecordTableModel[IndicatorInfo] = RecordTableModel([
            Column(tr("序号"), lambda i: i.code, sort_key=lambda i: tuple(
                int(p) for p in i.code.split(".") if p.isdigit())),
            Column(tr("领域"), lambda i: i.domain),
            Column(tr("任务"), lambda i: i.category),
            Column(tr("指标名称"), lambda i: ("    " if i.parent_id else "") + i.name,
                   tooltip=lambda i: i.name),
            Column(tr("单位"), lambda i: i.unit or ""),
            Column(tr("指标值"), lambda i: i.standard or ""),
            Column(tr("指标属性"), lambda i: vocab_tr(i.attribute or "")),
            Column(tr("目标值"), lambda i: i.target or ""),
            Column(tr("牵头部门"), lambda i: "、".join(i.lead)),
        ], self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = record_view(self.proxy, stretch=3, widths=(
            (0, 50), (1, 80), (2, 150), (4, 70), (5, 120), (6, 70), (7, 120), (8, 150)))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("搜索指标名称、牵头部门…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        plan = self.context.plan if self.context else None
        self.model.set_records(plan.indicators if plan else [])
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self._filter()

    def _filter(self) -> None:
        text = self.search.text().strip()
        self.proxy.set_predicate(
            (lambda i: text in " ".join((i.code, i.name, i.domain, i.category, *i.lead)))
            if text else None)
