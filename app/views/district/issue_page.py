"""下发: choose units and a folder, write one packet per unit off the GUI thread, open the folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.jobs import Reporter
from app.core.vocab import KIND_LABELS
from app.services.district.issue import IssueCandidate, IssueResult, issue_candidates, issue_packets
from app.services.district.mail import MailDraft, write_packet_drafts
from app.views.bus import bus
from app.views.i18n import period_text, vocab_tr
from app.views.ops import OpHandle, run_op
from app.views.widgets import dialogs
from app.views.widgets.page import Page
from app.views.widgets.table_model import Column, RecordTableModel

Index = QModelIndex | QPersistentModelIndex


def open_folder(path: Path) -> None:
    """Show the folder in the system file manager (tests replace this)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class UnitChoiceModel(RecordTableModel[IssueCandidate]):
    """The candidate units with a check box in the first column (checked = gets a packet)."""

    def __init__(self, columns: list[Column[IssueCandidate]], parent: Any = None) -> None:
        super().__init__(columns, parent)
        self.checked: set[int] = set()

    def set_records(self, records: Any) -> None:
        self.checked = {r.unit_id for r in records}
        super().set_records(records)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == 0:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 0 \
                and 0 <= index.row() < len(self.records):
            checked = self.records[index.row()].unit_id in self.checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column() != 0:
            return False
        unit_id = self.records[index.row()].unit_id
        state = Qt.CheckState(value) if isinstance(value, int) else value
        if state == Qt.CheckState.Checked:
            self.checked.add(unit_id)
        else:
            self.checked.discard(unit_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def set_all(self, checked: bool) -> None:
        self.checked = {r.unit_id for r in self.records} if checked else set()
        if self.records:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.records) - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])

    def chosen(self) -> list[IssueCandidate]:
        return [r for r in self.records if r.unit_id in self.checked]


def candidate_columns(tr: Any) -> list[Column[IssueCandidate]]:
    return [
        Column(tr("单位"), lambda c: c.name),
        Column(tr("类型"), lambda c: vocab_tr(KIND_LABELS.get(c.kind, c.kind))),
        Column(tr("任务"), lambda c: c.tasks, align_right=True),
        Column(tr("指标"), lambda c: c.indicators, align_right=True),
        Column(tr("本期已下发"), lambda c: c.last_issued_at.strftime("%Y-%m-%d %H:%M")
               if c.last_issued_at else "",
               sort_key=lambda c: c.last_issued_at.isoformat() if c.last_issued_at else ""),
    ]


@dataclass(frozen=True)
class Issued:
    """The packets written and the drafts beside them (``changes``: what run_op announces)."""

    result: IssueResult
    drafts: list[MailDraft]

    @property
    def changes(self) -> Changes:
        return self.result.changes


class IssuePage(Page):
    title = "下发"
    watches = Changes(packets=True, receipts=True)  # what was issued to whom

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.op: OpHandle | None = None
        self.last_result: IssueResult | None = None
        self.last_drafts: list[MailDraft] = []
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14px; padding: 4px 0;")
        self.model = UnitChoiceModel(candidate_columns(self.tr), self)
        self.model.dataChanged.connect(self._update_count)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 70), (2, 60), (3, 60), (4, 130)):
            self.table.setColumnWidth(col, width)
        self.all_button = QPushButton(self.tr("全选"))
        self.all_button.clicked.connect(lambda: self.model.set_all(True))
        self.none_button = QPushButton(self.tr("全不选"))
        self.none_button.clicked.connect(lambda: self.model.set_all(False))
        self.count = QLabel()

        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("下发包保存到的文件夹"))
        self.folder_button = QPushButton(self.tr("选择文件夹…"))
        self.folder_button.clicked.connect(self.choose_folder)
        self.issue_button = QPushButton(self.tr("生成下发包"))
        self.issue_button.setDefault(True)
        self.issue_button.clicked.connect(self.issue)
        self.eml = QCheckBox(self.tr("同时生成邮件草稿(.eml)"))
        self.eml.setToolTip(self.tr(
            "每个下发包旁边写一封待发送的邮件:收件人是单位登记的邮箱,附件是下发包。"
            "双击用 Outlook、Foxmail 或 Thunderbird 打开后发送。"))
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        choose = QHBoxLayout()
        choose.addWidget(self.all_button)
        choose.addWidget(self.none_button)
        choose.addStretch(1)
        choose.addWidget(self.count)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(self.tr("保存到")))
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.folder_button)
        folder_row.addWidget(self.eml)
        folder_row.addWidget(self.issue_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(choose)
        layout.addWidget(self.table, 1)
        layout.addLayout(folder_row)
        layout.addWidget(self.result_label)

    # ------------------------------------------------------------ state

    def refresh(self) -> None:
        ctx = self.context
        ready = ctx is not None and ctx.plan is not None and ctx.period is not None
        self.model.set_records(issue_candidates(ctx.db, ctx.plan.plan.id, ctx.period.id)
                               if ready and ctx and ctx.plan and ctx.period else [])
        if ready and ctx and ctx.plan and ctx.period:
            self.heading.setText(self.tr("为 {0} 生成下发包 · 报送截止 {1}").format(
                period_text(ctx.period.key), f"{ctx.period.due:%Y-%m-%d}"))
            if not self.folder.text():
                self.folder.setText(str(Path.home() / "台账下发包" / ctx.period.key))
        else:
            self.heading.setText(self.tr("请选择方案和周期。"))
        self._update_count()

    def _update_count(self, *_: object) -> None:
        n = len(self.model.chosen())
        self.count.setText(self.tr("已选 {0}/{1} 个单位").format(n, self.model.rowCount()))
        self.issue_button.setEnabled(n > 0 and self.op is None and bool(self.folder.text()))

    def choose_folder(self) -> None:
        path = dialogs.choose_directory(self, self.tr("选择下发包保存的文件夹"), kind="issued")
        if path:
            self.folder.setText(path)
            self._update_count()

    # ------------------------------------------------------------ work

    def issue(self) -> None:
        ctx = self.context
        if ctx is None or ctx.plan is None or ctx.period is None or self.op is not None:
            return
        units = [c.name for c in self.model.chosen()]
        folder = Path(self.folder.text().strip())
        if not units or not str(folder):
            return
        db, plan_id, period, eml = ctx.db, ctx.plan.plan.id, ctx.period.key, self.eml.isChecked()

        def work(reporter: Reporter) -> Issued:
            result = issue_packets(db, period, folder, plan_id=plan_id, units=units,
                                   reporter=reporter)
            if not eml:
                return Issued(result, [])
            reporter.step(0, 1, "正在生成邮件草稿")
            return Issued(result, write_packet_drafts(db, result.packets))

        self.result_label.setText("")
        self.op = run_op(self, work, on_success=self._done, on_cancel=self._cancelled,
                         on_failure=self._failed, title=self.tr("正在生成下发包…"))
        self._update_count()

    def _finish(self, stopped: bool = False) -> None:
        self.op = None
        if stopped:  # packets written before a cancel or a failure stay issued
            bus.changed.emit(Changes(packets=True, receipts=True, note="issued"))
        self._update_count()

    def _done(self, done: Issued) -> None:
        result, drafts = done.result, done.drafts
        self.last_result, self.last_drafts = result, drafts
        text = self.tr("已生成 {0} 个下发包,保存在 {1}").format(len(result.packets),
                                                             result.folder)
        if result.skipped:
            text += self.tr(";跳过:{0}").format(
                "、".join(f"{u}({why})" for u, why in result.skipped))
        if drafts:
            empty = [d.unit for d in drafts if not d.to]
            text += self.tr("。已生成 {0} 封邮件草稿(.eml)").format(len(drafts))
            if empty:
                text += self.tr(",其中 {0} 个单位没有登记邮箱,收件人留空:{1}").format(
                    len(empty), "、".join(empty))
        self.result_label.setText(text)
        self._finish()
        if result.packets:
            open_folder(result.folder)

    def _cancelled(self) -> None:
        self.result_label.setText(self.tr("已取消。取消前已生成的下发包保留在文件夹中,并已登记。"))
        self._finish(stopped=True)

    def _failed(self, exc: BaseException) -> None:
        self.result_label.setText("")
        self._finish(stopped=True)
        dialogs.show_error(self, exc)
