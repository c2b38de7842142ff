"""退回修改 dialog: mark a unit's reported fields with a comment, then write the correction
packet in which only those cells are open (opened from 收件登记)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserFacingError
from app.services.db import Database
from app.services.district.corrections import (
    ISSUING_CORRECTION,
    ReportedField,
    flag_field,
    issue_correction_packet,
    remove_flag,
    reported_fields,
)
from app.services.district.issue import packet_file_name
from app.services.district.mail import write_correction_draft
from app.views.bus import bus
from app.views.i18n import fit_columns, period_text, vocab_tr
from app.views.widgets import dialogs
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel


def field_columns(tr: Callable[[str], str]) -> list[Column[ReportedField]]:
    return [
        Column(tr("编号"), lambda f: f.code),
        Column(tr("事项"), lambda f: f.title, tooltip=lambda f: f.title),
        Column(tr("字段"), lambda f: vocab_tr(f.field_label)),
        Column(tr("报送的值"), lambda f: f.shown, tooltip=lambda f: f.shown or None),
        Column(tr("退回意见"), lambda f: f.comment,
               background=lambda f: "#FFF2CC" if f.flag_id else None,
               tooltip=lambda f: f.comment or None),
    ]


class CorrectionDialog(QDialog):
    """Non-modal; `issued` carries the written file's path."""

    issued = Signal(str)

    def __init__(self, db: Database, plan_id: int, plan_title: str, period: str, unit: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.plan_id, self.plan_title = db, plan_id, plan_title
        self.period, self.unit = period, unit
        self.setWindowTitle(self.tr("退回修改 · {0} · {1}").format(unit, period_text(period)))
        self.resize(980, 620)
        self.model: RecordTableModel[ReportedField] = RecordTableModel(
            field_columns(self.tr), self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 60), (1, 240), (2, 90), (3, 260)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(self._update)

        self.only_filled = QPushButton(self.tr("只看已填的字段"))
        self.only_filled.setCheckable(True)
        self.only_filled.setChecked(True)
        self.only_filled.toggled.connect(self._filter)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("退回意见,如:完成进度与本期进展不符,请核实"))
        self.comment.textChanged.connect(self._update)
        self.flag_button = QPushButton(self.tr("标记需修改"))
        self.flag_button.clicked.connect(self.flag_selected)
        self.unflag_button = QPushButton(self.tr("取消标记"))
        self.unflag_button.clicked.connect(self.unflag_selected)
        self.summary = QLabel()
        self.eml = QCheckBox(self.tr("同时生成邮件草稿(.eml)"))
        self.eml.setToolTip(self.tr("在退回修改包旁边写一封待发送的邮件,正文列出退回意见。"))
        self.issue_button = QPushButton(self.tr("生成退回修改包…"))
        self.issue_button.clicked.connect(self.write_packet)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.close)

        hint = QLabel(self.tr("选中需要单位修改的字段,写明意见后点“标记需修改”。生成的退回修改包中"
                              "只有这些单元格可以填写(黄色),意见显示在批注和“退回意见”列中;"
                              "单位报送回来后,导入时只采用这些单元格,标记随之关闭。"))
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.comment, 1)
        row.addWidget(self.flag_button)
        row.addWidget(self.unflag_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.eml)
        bottom.addWidget(self.issue_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.only_filled, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addLayout(bottom)
        fit_columns(self)
        self.reload()

    def reload(self) -> None:
        self.model.set_records(reported_fields(self.db, self.plan_id, self.period, self.unit))
        self._filter()

    def _filter(self, *_: object) -> None:
        only = self.only_filled.isChecked()
        self.proxy.set_predicate((lambda f: bool(f.value) or bool(f.flag_id)) if only else None)
        self._update()

    def selected(self) -> list[ReportedField]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.proxy.record(r) for r in rows]

    def flagged(self) -> list[ReportedField]:
        return [f for f in self.model.records if f.flag_id]

    def _update(self, *_: object) -> None:
        chosen = self.selected()
        self.flag_button.setEnabled(bool(chosen) and bool(self.comment.text().strip()))
        self.unflag_button.setEnabled(any(f.flag_id for f in chosen))
        n = len(self.flagged())
        self.issue_button.setEnabled(n > 0)
        self.summary.setText(self.tr("已标记 {0} 个字段").format(n) if n
                             else self.tr("尚未标记需要修改的字段"))

    def flag_selected(self) -> None:
        comment = self.comment.text().strip()
        try:
            for f in self.selected():
                flag_field(self.db, self.plan_id, self.period, self.unit, f.key, f.field,
                           comment)
        except UserFacingError as exc:
            dialogs.show_error(self, exc)
        self.reload()

    def unflag_selected(self) -> None:
        for f in self.selected():
            if f.flag_id:
                remove_flag(self.db, f.flag_id)
        self.reload()

    def write_packet(self) -> None:
        name = packet_file_name(self.period, self.unit, self.plan_title).replace(
            ".xlsx", "_退回修改.xlsx")
        path = dialogs.save_file(self, self.tr("保存退回修改包"), name)
        if not path:
            return
        try:
            issued = issue_correction_packet(self.db, self.plan_id, self.period, self.unit,
                                             Path(path))
            draft = write_correction_draft(self.db, issued) if self.eml.isChecked() else None
        except UserFacingError as exc:
            dialogs.show_error(self, exc)
            return
        bus.changed.emit(ISSUING_CORRECTION)
        self.issued.emit(str(issued.path))
        text = self.tr("已生成退回修改包:{0}\n请发给{1}修改后报送回来。").format(issued.path,
                                                                   self.unit)
        if draft is not None:
            text += "\n" + self.tr("邮件草稿:{0}").format(draft.path)
            if not draft.to:
                text += "\n" + self.tr("{0}没有登记邮箱,收件人留空。").format(self.unit)
        dialogs.show_info(self, text)
        self.reload()
