"""冲突: fields both the district and a unit changed; a person keeps ours or takes theirs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.vocab import CONFLICT_STATUS_LABELS
from app.services.district.conflicts import (
    RESOLVING,
    ConflictInfo,
    list_conflicts,
    resolve_conflict,
)
from app.views.bus import bus
from app.views.i18n import vocab_tr
from app.views.widgets import dialogs
from app.views.widgets.page import Page
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel, record_view


def conflict_columns(tr: Callable[[str], str]) -> list[Column[ConflictInfo]]:
    return [
        Column(tr("单位"), lambda c: c.unit),
        Column(tr("编号"), lambda c: c.code, tooltip=lambda c: c.title),
        Column(tr("事项"), lambda c: c.title, tooltip=lambda c: c.title),
        Column(tr("字段"), lambda c: vocab_tr(c.field_label)),
        Column(tr("原值"), lambda c: c.shown("issued"),
               tooltip=lambda c: tr("下发时(或上次导入报送时)双方一致的值:") + c.shown("issued")),
        Column(tr("对方报送"), lambda c: c.shown("returned"), background=lambda c: "#FFF1C2",
               tooltip=lambda c: c.shown("returned")),
        Column(tr("本方当前"), lambda c: c.shown("now"), background=lambda c: "#DDEBFA",
               tooltip=lambda c: c.shown("now")),
        Column(tr("位置"), lambda c: f"[{c.sheet}]{c.cell}" if c.sheet else (c.cell or "")),
        Column(tr("处理"), lambda c: vocab_tr(CONFLICT_STATUS_LABELS.get(c.status, c.status))),
    ]


class ConflictsPage(Page):
    title = "冲突"
    watches = Changes(conflicts=True)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RecordTableModel[ConflictInfo] = RecordTableModel(
            conflict_columns(self.tr), self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = record_view(self.proxy, stretch=2, service_order=True, widths=(
            (0, 110), (1, 60), (3, 90), (4, 150), (5, 150), (6, 150), (7, 90), (8, 70)))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.summary = QLabel()
        self.show_all = QCheckBox(self.tr("显示已处理"))
        self.show_all.toggled.connect(lambda _=False: self.refresh())
        self.detail = QTextBrowser()
        self.detail.setMaximumHeight(150)
        self.keep_button = QPushButton(self.tr("保留本方"))
        self.keep_button.setToolTip(self.tr("保留区里当前的值,不采用对方报送的值"))
        self.keep_button.clicked.connect(lambda: self.resolve_selected("keep"))
        self.take_button = QPushButton(self.tr("采用对方"))
        self.take_button.setToolTip(self.tr("用对方报送的值替换区里当前的值"))
        self.take_button.clicked.connect(lambda: self.resolve_selected("take"))

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_all)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.take_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        self._selection_changed()

    def refresh(self) -> None:
        ctx = self.context
        records: list[ConflictInfo] = []
        if ctx is not None and ctx.plan is not None:
            records = list_conflicts(
                ctx.db, plan_id=ctx.plan.plan.id,
                period_id=ctx.period.id if ctx.period else None,
                status=None if self.show_all.isChecked() else "open")
        self.model.set_records(records)
        open_count = sum(c.status == "open" for c in records)
        self.summary.setText(
            self.tr("{0} 个字段区里和报送单位都改过,请逐一决定保留哪个值。").format(open_count)
            if open_count else self.tr("没有待处理的冲突。"))
        self._selection_changed()

    def selected(self) -> list[ConflictInfo]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.record(r) for r in rows]

    def select_conflict(self, conflict_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.record(row).id == conflict_id:
                self.table.selectRow(row)
                return

    def _selection_changed(self, *_: object) -> None:
        chosen = self.selected()
        actionable = [c for c in chosen if c.status == "open"]
        self.keep_button.setEnabled(bool(actionable))
        self.take_button.setEnabled(bool(actionable))
        if len(chosen) == 1:
            c = chosen[0]
            self.detail.setPlainText(self.tr(
                "{0} · {1} {2}\n字段:{3}   位置:{4}\n原值(下发或上次导入时):{5}\n对方报送:{6}\n"
                "合并时本方:{7}\n本方当前:{8}").format(
                c.unit, c.code, c.title, vocab_tr(c.field_label), f"[{c.sheet}]{c.cell}",
                c.shown("issued"), c.shown("returned"), c.shown("current"), c.shown("now")))
        else:
            self.detail.setPlainText(self.tr("已选 {0} 项").format(len(chosen)) if chosen else "")

    def resolve_selected(self, choice: str) -> None:
        """Decide every selected open conflict the same way (each is its own transaction)."""
        ctx = self.context
        chosen = [c for c in self.selected() if c.status == "open"]
        if ctx is None or not chosen:
            return
        try:
            for c in chosen:
                resolve_conflict(ctx.db, c.id, choice)
        except UserFacingError as exc:
            dialogs.show_error(self, exc)
        bus.changed.emit(RESOLVING)
