"""The 台账's two small dialogs: 更正 (district correction with a required 说明) and 销号
(close-out with a date and a note). Both are non-modal (`open()`), write through the
services and announce the change on the bus."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core import clock
from app.core.errors import UserFacingError
from app.core.vocab import FIELD_LABELS, STATUS_LABELS, STATUSES
from app.services.db import Database
from app.services.district.approval import close_out
from app.services.district.corrections import edit_entry
from app.services.district.ledger import CellDetail
from app.views.bus import Changes, bus
from app.views.i18n import period_text, vocab_tr
from app.views.widgets.dialogs import error_text

TEXT_FIELDS = ("progress", "problems", "next_steps")
LINE_FIELDS = ("responsible", "phone", "completed_on")


def _lay_out(dialog: QDialog, intro: str, form: QFormLayout,
             accept: QDialogButtonBox.StandardButton, save: Any) -> QLabel:
    """The intro, the form, a red message line and the buttons; returns the message line."""
    message = QLabel()
    message.setStyleSheet("color: #C62828;")
    message.setWordWrap(True)
    buttons = QDialogButtonBox(accept | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(intro))
    layout.addLayout(form)
    layout.addWidget(message)
    layout.addWidget(buttons)
    return message


class EditDialog(QDialog):
    """更正…: every field of the entry, prefilled; only changed fields are written."""

    saved = Signal()

    def __init__(self, db: Database, detail: CellDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.detail = db, detail
        self.setWindowTitle(self.tr("更正 · {0} · {1} · {2}").format(
            detail.unit, detail.task_code, period_text(detail.period)))
        values = detail.values or {}
        self.original: dict[str, str] = {}
        form = QFormLayout()
        self.status = QComboBox()
        self.status.addItem(self.tr("(未填)"), None)
        for code in STATUSES:
            self.status.addItem(vocab_tr(STATUS_LABELS[code]), code)
        self.status.setCurrentIndex(max(0, self.status.findData(values.get("status"))))
        form.addRow(vocab_tr(FIELD_LABELS["status"]), self.status)
        self.percent = QLineEdit("" if values.get("percent") is None
                                 else f"{values['percent']:g}")
        form.addRow(vocab_tr(FIELD_LABELS["percent"]), self.percent)
        self.texts: dict[str, QPlainTextEdit] = {}
        for f in TEXT_FIELDS:
            edit = QPlainTextEdit(str(values.get(f) or ""))
            edit.setFixedHeight(64)
            self.texts[f] = edit
            form.addRow(vocab_tr(FIELD_LABELS[f]), edit)
        self.lines: dict[str, QLineEdit] = {}
        for f in LINE_FIELDS:
            line = QLineEdit(str(values.get(f) or ""))
            self.lines[f] = line
            form.addRow(vocab_tr(FIELD_LABELS[f]), line)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("必填:为什么更正(如 电话核实、现场核查)"))
        form.addRow(self.tr("更正说明"), self.reason)
        self.original = self.current()
        self.message = _lay_out(self, self.tr("区里更正会留痕(更正人:区创建办,附说明),并在下期下发包中带出。"),
                                form, QDialogButtonBox.StandardButton.Save, self.save)
        self.resize(520, 560)

    def current(self) -> dict[str, str]:
        out = {"status": self.status.currentData() or "", "percent": self.percent.text()}
        out.update({f: e.toPlainText() for f, e in self.texts.items()})
        out.update({f: e.text() for f, e in self.lines.items()})
        return out

    def changes(self) -> dict[str, Any]:
        now = self.current()
        return {f: v for f, v in now.items() if v != self.original.get(f)}

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.message.setText(self.tr("没有改动。"))
            return
        try:
            edit_entry(self.db, self.detail.plan_id, self.detail.period, self.detail.unit,
                       self.detail.task_code, changes, self.reason.text())
        except UserFacingError as exc:
            self.message.setText(error_text(exc))
            return
        self.saved.emit()
        self.accept()
        bus.changed.emit(Changes(progress=True, audit=True, note="ledger-edit"))


class CloseOutDialog(QDialog):
    """销号…: date, note, this unit or every unit of the item."""

    saved = Signal()

    def __init__(self, db: Database, detail: CellDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.detail = db, detail
        self.setWindowTitle(self.tr("销号 · {0} {1}").format(detail.task_code,
                                                              detail.task_title))
        today = clock.today()
        self.date = QDateEdit(QDate(today.year, today.month, today.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("必填:如 验收材料、现场核查记录"))
        self.all_units = QCheckBox(self.tr("该任务的所有单位一并销号"))
        form = QFormLayout()
        form.addRow(self.tr("单位"), QLabel(detail.unit))
        form.addRow(self.tr("销号日期"), self.date)
        form.addRow(self.tr("销号说明"), self.note)
        form.addRow("", self.all_units)
        self.message = _lay_out(self, self.tr("销号后该事项不再要求报送,不计入滞后,在台账、通报和汇总表中列为已销号。"),
                                form, QDialogButtonBox.StandardButton.Ok, self.save)

    def save(self) -> None:
        d = self.date.date()
        try:
            close_out(self.db, self.detail.task_code,
                      unit=None if self.all_units.isChecked() else self.detail.unit,
                      on=dt.date(d.year(), d.month(), d.day()), note=self.note.text(),
                      plan_id=self.detail.plan_id)
        except UserFacingError as exc:
            self.message.setText(error_text(exc))
            return
        self.saved.emit()
        self.accept()
        bus.changed.emit(Changes(progress=True, audit=True, note="ledger-close-out"))
