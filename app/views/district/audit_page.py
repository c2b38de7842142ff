"""日志: every change to reported data, filterable by unit, task/indicator code and packet."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.services.district.audit import AuditEntry, list_audit
from app.views.i18n import vocab_tr
from app.views.widgets.page import Page
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel, record_view

LIMIT = 5000


def audit_columns(tr: Callable[[str], str]) -> list[Column[AuditEntry]]:
    return [
        Column(tr("时间"), lambda a: f"{a.at:%Y-%m-%d %H:%M:%S}",
               sort_key=lambda a: a.order),
        Column(tr("单位"), lambda a: a.unit),
        Column(tr("周期"), lambda a: a.period),
        Column(tr("编号"), lambda a: a.code),
        Column(tr("字段"), lambda a: vocab_tr(a.field_label)),
        Column(tr("原值"), lambda a: a.old_text, tooltip=lambda a: a.old_text or None),
        Column(tr("新值"), lambda a: a.new_text, tooltip=lambda a: a.new_text or None),
        Column(tr("报送包"), lambda a: a.packet_id or "", tooltip=lambda a: a.file_hash),
        Column(tr("位置"), lambda a: a.where),
    ]


class AuditPage(Page):
    title = "日志"
    watches = Changes(audit=True)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumWidth(160)
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText(self.tr("任务/指标编号,如 2.1.3"))
        self.code_edit.setClearButtonEnabled(True)
        self.packet_edit = QLineEdit()
        self.packet_edit.setPlaceholderText(self.tr("报送包编号(开头几位即可)"))
        self.packet_edit.setClearButtonEnabled(True)
        self.unit_combo.currentIndexChanged.connect(lambda _=0: self.reload())
        self.code_edit.editingFinished.connect(self.reload)
        self.packet_edit.editingFinished.connect(self.reload)
        self.summary = QLabel()

        self.model: RecordTableModel[AuditEntry] = RecordTableModel(audit_columns(self.tr), self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = record_view(self.proxy, stretch=6, service_order=True, widths=(
            (0, 140), (1, 110), (2, 70), (3, 60), (4, 90), (5, 200), (7, 150)))

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("单位")))
        filters.addWidget(self.unit_combo)
        filters.addWidget(QLabel(self.tr("编号")))
        filters.addWidget(self.code_edit)
        filters.addWidget(QLabel(self.tr("报送包")))
        filters.addWidget(self.packet_edit)
        filters.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        ctx = self.context
        current = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem(self.tr("全部单位"), None)
        for u in ctx.plan.units if ctx and ctx.plan else []:
            self.unit_combo.addItem(u.name, u.name)
        i = self.unit_combo.findData(current)
        self.unit_combo.setCurrentIndex(max(i, 0))
        self.unit_combo.blockSignals(False)
        self.reload()

    def set_filters(self, unit: str | None = None, code: str = "", packet: str = "") -> None:
        self.unit_combo.blockSignals(True)
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit), 0))
        self.unit_combo.blockSignals(False)
        self.code_edit.setText(code)
        self.packet_edit.setText(packet)
        self.reload()

    def reload(self) -> None:
        ctx = self.context
        entries: list[AuditEntry] = []
        if ctx is not None and ctx.plan is not None:
            entries = list_audit(ctx.db, plan_id=ctx.plan.plan.id,
                                 period_id=ctx.period.id if ctx.period else None,
                                 unit=self.unit_combo.currentData(),
                                 code=self.code_edit.text().strip() or None,
                                 packet=self.packet_edit.text().strip() or None, limit=LIMIT)
        self.model.set_records(entries)
        more = self.tr("(只显示最近 {0} 条)").format(LIMIT) if len(entries) >= LIMIT else ""
        self.summary.setText(self.tr("{0} 条记录").format(len(entries)) + more)
