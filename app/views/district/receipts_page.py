"""收件登记: every unit's return for the selected period, the 催报 list, and its export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.services.db import Database
from app.services.district.approval import approve_received
from app.services.district.mail import MailDraft, write_reminder_drafts
from app.services.district.receipts import ReceiptLedger, ReceiptRow, export_ledger, receipt_ledger
from app.services.plans.query import period_label
from app.views.bus import bus
from app.views.district.correction_dialog import CorrectionDialog
from app.views.i18n import period_text, vocab_tr
from app.views.widgets import dialogs
from app.views.widgets.page import Page
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel, record_view

STATE_COLOURS = {"late": "#FFF1C2", "not_returned": "#FFD9D6", "rejected": "#FFD9D6",
                 "returned_for_fix": "#E5DAF5", "received": "#DDF3DD"}


def _when(value: object) -> str:
    return value.strftime("%m-%d %H:%M") if value is not None else ""  # type: ignore[attr-defined]


def receipt_columns(tr: Callable[[str], str]) -> list[Column[ReceiptRow]]:
    return [
        Column(tr("单位"), lambda r: r.unit),
        Column(tr("类型"), lambda r: vocab_tr(r.kind_label)),
        Column(tr("状态"), lambda r: vocab_tr(r.state_label),
               background=lambda r: STATE_COLOURS.get(r.state),
               tooltip=lambda r: r.message or None),
        Column(tr("下发时间"), lambda r: _when(r.issued_at),
               sort_key=lambda r: r.issued_at.isoformat() if r.issued_at else ""),
        Column(tr("收到时间"), lambda r: _when(r.received_at),
               sort_key=lambda r: r.received_at.isoformat() if r.received_at else ""),
        Column(tr("迟报/逾期天数"), lambda r: r.days_late or None, align_right=True),
        Column(tr("版本"), lambda r: r.revision if r.received_at else None, align_right=True),
        Column(tr("审核"), lambda r: tr("已审核") if r.approved_at else "",
               tooltip=lambda r: f"{r.approved_at:%Y-%m-%d %H:%M}" if r.approved_at else None,
               background=lambda r: "#DDF3DD" if r.approved_at else None),
        Column(tr("说明"), lambda r: r.message, tooltip=lambda r: r.message or None),
    ]


def chase_columns(tr: Callable[[str], str]) -> list[Column[ReceiptRow]]:
    return [
        Column(tr("单位"), lambda r: r.unit),
        Column(tr("状态"), lambda r: vocab_tr(r.state_label),
               background=lambda r: STATE_COLOURS.get(r.state)),
        Column(tr("逾期天数"), lambda r: r.days_late or None, align_right=True),
        Column(tr("联系方式"), lambda r: r.contact),
    ]


def reminder_mails(db: Database, period: str, plan_id: int, folder: Path) -> list[MailDraft]:
    """The 催报通知 as a PDF in `folder`, and a draft to each missing unit with it attached."""
    from app.services.reports.document import build_report
    from app.views.reports.render import write_pdf

    pdf = folder / f"催报通知_{period}.pdf"
    write_pdf(build_report(db, "reminder", period, plan_id), pdf)
    return write_reminder_drafts(db, period, folder, pdf, plan_id)


class ReceiptsPage(Page):
    title = "收件登记"
    watches = Changes(packets=True, receipts=True, flags=True)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ledger: ReceiptLedger | None = None
        self.summary = QLabel()
        self.summary.setStyleSheet("font-size: 14px; padding: 4px 0;")
        self.model: RecordTableModel[ReceiptRow] = RecordTableModel(receipt_columns(self.tr), self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = record_view(self.proxy, service_order=True)
        self.table.horizontalHeader().setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 170), (1, 60), (2, 80), (3, 100), (4, 100), (5, 100), (6, 50),
                           (7, 60)):
            self.table.setColumnWidth(col, width)

        self.chase_model: RecordTableModel[ReceiptRow] = RecordTableModel(
            chase_columns(self.tr), self)
        self.chase_proxy = RecordFilterProxy(self)
        self.chase_proxy.setSourceModel(self.chase_model)
        self.chase_table = record_view(self.chase_proxy, service_order=True)
        self.chase_table.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.Stretch)
        self.chase_table.setColumnWidth(0, 150)
        self.chase_label = QLabel(self.tr("催报名单"))
        self.copy_button = QPushButton(self.tr("复制催报名单"))
        self.copy_button.clicked.connect(self.copy_chase_list)
        self.mail_button = QPushButton(self.tr("生成催报邮件…"))
        self.mail_button.setToolTip(self.tr(
            "给尚未报送的单位各写一封待发送的邮件(.eml),附《催报通知》PDF"))
        self.mail_button.clicked.connect(self.write_reminder_mails)
        self.export_button = QPushButton(self.tr("导出登记表…"))
        self.export_button.clicked.connect(self.export)
        self.correct_button = QPushButton(self.tr("退回修改…"))
        self.correct_button.setToolTip(self.tr("标记所选单位报送中需要修改的字段,生成退回修改包"))
        self.correct_button.clicked.connect(self.open_correction)
        self.approve_button = QPushButton(self.tr("全部审核通过"))
        self.approve_button.setToolTip(self.tr("已收到的单位报送全部审核通过(审核后不再接受该期的新报送)"))
        self.approve_button.clicked.connect(self.approve_all)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.correction_dialog: CorrectionDialog | None = None

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.chase_label)
        rl.addWidget(self.chase_table)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.mail_button)
        buttons.addStretch(1)
        rl.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.approve_button)
        top.addWidget(self.correct_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def refresh(self) -> None:
        ctx = self.context
        self.ledger = None
        if ctx is not None and ctx.plan is not None and ctx.period is not None:
            self.ledger = receipt_ledger(ctx.db, ctx.plan.plan.id, ctx.period.id)
        rows = self.ledger.rows if self.ledger else []
        self.model.set_records(rows)
        self.chase_model.set_records(self.ledger.chase() if self.ledger else [])
        self.export_button.setEnabled(self.ledger is not None)
        self.approve_button.setEnabled(any(
            r.state in ("received", "late") and r.approved_at is None for r in rows))
        self.copy_button.setEnabled(bool(self.chase_model.records))
        self.mail_button.setEnabled(bool(self.chase_model.records))
        if self.ledger is None:
            self.summary.setText(self.tr("请选择方案和周期。"))
        else:
            lg = self.ledger
            self.summary.setText(self.tr("{0} · 截止 {1} · {2}").format(
                period_text(lg.period), f"{lg.due:%Y-%m-%d}", self.status_text()))
            self.chase_label.setText(self.tr("催报名单({0} 个单位)").format(len(lg.chase())))
        self._update_status()
        self._selection_changed()

    def selected_row(self) -> ReceiptRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.record(rows[0].row()) if len(rows) == 1 else None

    def _selection_changed(self, *_: object) -> None:
        row = self.selected_row()
        self.correct_button.setEnabled(
            row is not None and row.state in ("received", "late", "returned_for_fix"))

    def open_correction(self) -> None:
        row = self.selected_row()
        ctx = self.context
        if row is None or ctx is None or ctx.plan is None or ctx.period is None:
            return
        self.correction_dialog = CorrectionDialog(ctx.db, ctx.plan.plan.id, ctx.plan.plan.title,
                                                  ctx.period.key, row.unit, self)
        self.correction_dialog.open()

    def approve_all(self) -> None:
        """Batch 审核通过 for every received unit of the period."""
        if self.ledger is None:
            return
        try:
            done = approve_received(self.db_(), self.ledger.period, self.ledger.plan_id)
        except UserFacingError as exc:
            dialogs.show_error(self, exc)
            return
        bus.changed.emit(Changes(progress=True, receipts=True, audit=True, note="approve-received"))
        dialogs.show_info(self, self.tr("已审核通过 {0} 个单位的报送。").format(len(done)))

    def db_(self) -> Database:
        assert self.context is not None
        return self.context.db

    def _update_status(self) -> None:
        window = self.window()
        if hasattr(window, "set_status"):
            window.set_status(self.status_text() if self.ledger else "")

    def status_text(self) -> str:
        """The ledger's one-line summary (as ``ReceiptLedger.status_text``, translated)."""
        lg = self.ledger
        if lg is None:
            return ""
        if not lg.issued:
            return self.tr("{0}尚未下发").format(period_text(lg.period))
        return self.tr("已收 {0}/{1} · 迟报 {2} · 未报 {3}").format(
            lg.received, len(lg.issued), lg.late, lg.missing)

    def chase_text(self) -> str:
        """The 催报 list as plain text to paste into a message or chat group."""
        if self.ledger is None:
            return ""
        lg = self.ledger
        lines = [self.tr("{0}进展报送截止 {1},以下单位尚未报送(或需重新报送):").format(
            period_label(lg.period), f"{lg.due:%m月%d日}")]
        for r in lg.chase():
            extra = self.tr(",已逾期 {0} 天").format(r.days_late) if r.days_late else ""
            lines.append(f"{r.unit}({r.state_label}{extra})")
        return "\n".join(lines)

    def copy_chase_list(self) -> None:
        QGuiApplication.clipboard().setText(self.chase_text())

    def write_reminder_mails(self) -> list[MailDraft]:
        """催报 by mail: the 催报通知 PDF into a chosen folder, then one draft per unit
        still missing with it attached (the PDF is rendered here, on the GUI thread)."""
        if self.ledger is None:
            return []
        folder = dialogs.choose_directory(self, self.tr("选择催报邮件保存的文件夹"),
                                          kind="issued")
        if not folder:
            return []
        lg = self.ledger
        try:
            drafts = reminder_mails(self.db_(), lg.period, lg.plan_id, Path(folder))
        except UserFacingError as exc:
            dialogs.show_error(self, exc)
            return []
        text = self.tr("已生成 {0} 封催报邮件草稿和《催报通知》PDF。").format(len(drafts))
        empty = [d.unit for d in drafts if not d.to]
        if empty:
            text += self.tr("{0} 个单位没有登记邮箱,收件人留空:{1}").format(
                len(empty), "、".join(empty))
        dialogs.show_written(self, text, Path(folder))
        return drafts

    def export(self) -> None:
        if self.ledger is None:
            return
        name = self.tr("收件登记_{0}.xlsx").format(self.ledger.period)
        path = dialogs.save_file(self, self.tr("导出收件登记"), name, kind="exports")
        if not path:
            return
        try:
            export_ledger(self.ledger, path)
        except OSError as exc:
            dialogs.show_error(self, UserFacingError(f"无法写入 {path}:{exc.strerror or exc}"))
            return
        dialogs.show_info(self, self.tr("已导出:{0}").format(path))

