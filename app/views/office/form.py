"""The clerk's form for one task item (and the indicator form).

The form only shows and collects values: whether they are acceptable is decided by the
office service, whose field problems the form displays beside each input. Every edit
emits ``edited`` so the window can autosave; nothing here touches the disk.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QResizeEvent, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.vocab import FIELD_LABELS, ROLE_LABELS, STATUS_LABELS, STATUSES
from app.services.packets.values import parse_number
from app.views.i18n import vocab_tr

TEXT_FIELDS = ("progress", "problems", "next_steps")
LINE_FIELDS = ("responsible", "phone", "completed_on")
FORM_FIELDS = ("status", "percent", *TEXT_FIELDS, *LINE_FIELDS)

ERROR_COLOUR = "#c62828"
WARN_COLOUR = "#b45309"
COMMENT_COLOUR = "#1a4fa0"  # the district's 退回意见
MUTED = "#6b7280"
INVALID_STYLE = f"border: 1px solid {ERROR_COLOUR}; border-radius: 3px;"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class PercentSpin(QDoubleSpinBox):
    """0–100 with an empty state: an untouched percentage is "not reported", not 0."""

    EMPTY = -1.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(self.EMPTY, 100.0)
        self.setDecimals(2)
        self.setSingleStep(5)
        self.setValue(self.EMPTY)
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setKeyboardTracking(True)

    def textFromValue(self, value: float) -> str:
        return "" if value < 0 else f"{value:g}"

    def valueFromText(self, text: str) -> float:
        # typed or pasted "60%", "60%" or "60": the packet reader's number rule
        number = parse_number(text)
        return self.EMPTY if number is None else number

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        stripped = text.replace("%", "%").strip().rstrip("%")
        if not stripped:
            return (QValidator.State.Acceptable, text, pos)
        number = parse_number(text)
        if number is None:
            partial = stripped in (".",) or stripped.endswith(".")
            return (QValidator.State.Intermediate if partial else QValidator.State.Invalid,
                    text, pos)
        state = QValidator.State.Acceptable if 0 <= number <= 100 else QValidator.State.Invalid
        return (state, text, pos)

    def percent(self) -> float | None:
        value = self.value()
        return None if value < 0 else value

    def set_percent(self, value: float | None) -> None:
        self.setValue(self.EMPTY if value is None else float(value))


class TextBox(QPlainTextEdit):
    """Multi-line input that Tab leaves (clerks Tab through the form) and sizes to ~3 lines."""

    def __init__(self, lines: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._lines = lines
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().lineSpacing()
        return QSize(300, int(line * self._lines + 14))


class TaskText(QTextBrowser):
    """The task's full text, at most `max_lines` high (scrolls beyond) so a long task
    never pushes the inputs off the screen."""

    def __init__(self, max_lines: int = 5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max_lines = max_lines
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setOpenLinks(False)
        self.setStyleSheet(
            "QTextBrowser { background: transparent; }"
            "QScrollBar:vertical { width: 8px; background: transparent; margin: 0; }"
            "QScrollBar::handle:vertical { background: #c4c9d0; border-radius: 4px;"
            " min-height: 24px; }"
            "QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical { height: 0; }"
            "QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical { background: none; }")
        self.document().setDocumentMargin(0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:
        self.setPlainText(text)
        self.verticalScrollBar().setValue(0)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        doc = self.document()
        doc.setTextWidth(self.viewport().width())
        line = self.fontMetrics().lineSpacing()
        height = min(int(doc.size().height()) + 2, line * self._max_lines + 2)
        if self.height() != height:
            self.setFixedHeight(height)


class Elided(QLabel):
    """A grey label for the previous period's value; the full text is in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setStyleSheet(f"color: {MUTED};")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def set_full_text(self, text: str, limit: int = 90) -> None:
        self.setToolTip(text if len(text) > limit else "")
        self.setText(text if len(text) <= limit else text[:limit] + "…")


class FieldMessage(QLabel):
    """The verdict under an input, in a line of its own that is always there: a message
    appearing or going away while the clerk types never moves the fields below. A message
    longer than the line is cut with "…" and shown whole in the tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().lineSpacing() + 2)
        self.set_message("", ERROR_COLOUR)

    def set_message(self, text: str, colour: str) -> None:
        self.setStyleSheet(f"color: {colour};")
        self.setText(" ".join(text.split("\n")))
        self.setToolTip(text)
        self.update()

    def has_message(self) -> bool:
        return bool(self.text())

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              rect.width())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         shown)
        painter.end()


class TaskForm(QWidget):
    """Task (read-only) above its inputs, previous period beside them, navigation below."""

    edited = Signal()  # any input changed by the user
    previous_requested = Signal()
    contact_for_all_requested = Signal()  # use this 责任人/电话 on the other tasks
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._previous: dict[str, Any] = {}
        tr = self.tr

        # -------- the task (read-only)
        self.code_label = QLabel()
        code_font = QFont(self.font())
        code_font.setPointSizeF(self.font().pointSizeF() * 1.45)
        code_font.setBold(True)
        self.code_label.setFont(code_font)
        self.section_label = QLabel()
        self.section_label.setStyleSheet(f"color: {MUTED};")
        self.section_label.setWordWrap(True)
        self.role_badge = QLabel()
        self.role_badge.setStyleSheet(
            "background:#e8f0fe; color:#1a4fa0; border-radius:9px; padding:2px 10px;")
        self.text_label = TaskText(5)
        text_font = QFont(self.font())
        text_font.setPointSizeF(self.font().pointSizeF() * 1.08)
        self.text_label.setFont(text_font)
        self.meta_label = QLabel()
        self.meta_label.setWordWrap(True)
        self.meta_label.setTextFormat(Qt.TextFormat.RichText)

        title_row = QHBoxLayout()
        title_row.addWidget(self.code_label)
        title_row.addSpacing(10)
        title_row.addWidget(self.section_label, 1)
        title_row.addWidget(self.role_badge, 0, Qt.AlignmentFlag.AlignTop)

        task_box = QFrame()
        task_box.setObjectName("taskBox")
        task_box.setStyleSheet("#taskBox { background: #f7f8fa; border: 1px solid #e3e6ea;"
                               " border-radius: 6px; }")
        task_layout = QVBoxLayout(task_box)
        task_layout.setContentsMargins(14, 10, 14, 12)
        task_layout.setSpacing(8)
        task_layout.addLayout(title_row)
        task_layout.addWidget(self.text_label)
        task_layout.addWidget(self.meta_label)

        # -------- the inputs
        self.status = QComboBox()
        self.status.addItem(tr("— 请选择 —"), None)
        for code in STATUSES:
            self.status.addItem(vocab_tr(STATUS_LABELS[code]), code)
        self.status.setMinimumWidth(150)
        self.percent = PercentSpin()
        self.percent.setMinimumWidth(90)
        self.percent_bar = QProgressBar()
        self.percent_bar.setRange(0, 100)
        self.percent_bar.setTextVisible(False)
        self.percent_bar.setFixedHeight(8)
        self._style_bar(None)
        self.texts = {f: TextBox(3) for f in TEXT_FIELDS}
        self.lines = {f: QLineEdit() for f in LINE_FIELDS}
        self.lines["responsible"].setPlaceholderText(tr("姓名"))
        self.lines["phone"].setPlaceholderText(tr("如 0519-88001234"))
        self.lines["completed_on"].setPlaceholderText(tr("如 2021-06-30"))
        self.texts["progress"].setPlaceholderText(tr("本期做了什么、完成了多少(可写数量、名称、时间)"))
        self.texts["problems"].setPlaceholderText(tr("没有可不填;状态为“滞后”时必填"))
        self.texts["next_steps"].setPlaceholderText(tr("下一步打算怎么做、何时完成"))

        self.inputs: dict[str, QWidget] = {"status": self.status, "percent": self.percent,
                                           **self.texts, **self.lines}
        for single in (self.status, self.percent, *self.lines.values()):
            # the red frame of a refused value (a style sheet) must not change the height
            single.setFixedHeight(single.sizeHint().height())
        people_message = FieldMessage()  # 责任人、联系电话、完成日期 share one line
        self.errors: dict[str, FieldMessage] = {
            f: people_message if f in LINE_FIELDS else FieldMessage() for f in FORM_FIELDS}
        self.prev = {f: Elided() for f in FORM_FIELDS}
        self.copy_buttons: dict[str, QToolButton] = {}

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self.now_header = QLabel(tr("本期填报"))
        self.prev_header = QLabel(tr("上期"))
        for lbl in (self.now_header, self.prev_header):
            lbl.setStyleSheet(f"color: {MUTED}; font-weight: bold;")
        grid.addWidget(self.now_header, 0, 1)
        grid.addWidget(self.prev_header, 0, 3)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: #e3e6ea;")
        grid.addWidget(rule, 1, 0, 1, 4)

        row = 2
        percent_box = QWidget()
        pl = QHBoxLayout(percent_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.percent)
        pl.addWidget(QLabel("%"))
        pl.addSpacing(8)
        pl.addWidget(self.percent_bar, 1)
        status_box = QWidget()
        sl = QHBoxLayout(status_box)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.addWidget(self.status)
        sl.addStretch(1)
        holders: dict[str, QWidget] = {"status": status_box, "percent": percent_box,
                                       **self.texts}
        self.field_labels: dict[str, QLabel] = {}
        for f in ("status", "percent", *TEXT_FIELDS):
            row = self._add_row(grid, row, f, holders[f])

        people = QWidget()
        people_layout = QGridLayout(people)
        people_layout.setContentsMargins(0, 0, 0, 0)
        people_layout.setHorizontalSpacing(8)
        people_layout.setVerticalSpacing(2)
        col = 0
        for i, f in enumerate(LINE_FIELDS):
            cap = QLabel(vocab_tr(FIELD_LABELS[f]))
            cap.setBuddy(self.lines[f])
            self.field_labels[f] = cap
            if i:
                people_layout.addWidget(cap, 0, col)
                people_layout.setColumnMinimumWidth(col, 0)
                col += 1
            people_layout.addWidget(self.lines[f], 0, col)
            people_layout.setColumnStretch(col, 1)
            col += 1
        people_layout.addWidget(people_message, 1, 0, 1, col)
        self.contact_button = QToolButton()
        self.contact_button.setText(tr("把此责任人和电话填到其他未填的任务…"))
        self.contact_button.setStyleSheet(
            "QToolButton { color: #1a4fa0; border: none; padding: 2px 0; }"
            "QToolButton:hover { text-decoration: underline; }")
        self.contact_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.contact_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.contact_button.clicked.connect(self.contact_for_all_requested)
        people_layout.addWidget(self.contact_button, 2, 0, 1, col, Qt.AlignmentFlag.AlignLeft)
        people_layout.setRowStretch(3, 1)
        first = self.field_labels[LINE_FIELDS[0]]
        first.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        first.setContentsMargins(0, 6, 0, 0)
        grid.addWidget(first, row, 0)
        grid.addWidget(people, row, 1)
        prev_people = QWidget()
        pp = QVBoxLayout(prev_people)
        pp.setContentsMargins(0, 0, 0, 0)
        pp.setSpacing(0)
        for f in LINE_FIELDS:
            pp.addWidget(self.prev[f])
        grid.addWidget(self._copy_button("people"), row, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(prev_people, row, 3)
        row += 1

        # -------- messages and navigation
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet(
            "background:#fff4e5; color:#8a4b00; border:1px solid #f5c16c; border-radius:4px;"
            " padding:6px 10px;")
        self.message.hide()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setStyleSheet(
            "background:#e8f0fe; color:#1a4fa0; border:1px solid #b6cdf5; border-radius:4px;"
            " padding:6px 10px;")
        self.notice.hide()

        self.prev_button = QPushButton(tr("◀ 上一项"))
        self.prev_button.setToolTip(tr("上一项 (Alt+←)"))
        self.next_button = QPushButton(tr("下一项 ▶"))
        self.next_button.setToolTip(tr("下一项 (Alt+→)"))
        for button in (self.prev_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumWidth(110)
        self.prev_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)
        hint_prev = QLabel("Alt+←")
        hint_next = QLabel("Alt+→")
        for hint in (hint_prev, hint_next):
            hint.setStyleSheet(f"color: {MUTED};")
        self.saved_label = QLabel()
        self.saved_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.saved_label.setStyleSheet(f"color: {MUTED};")
        self.position_label = QLabel()
        self.position_label.setStyleSheet(f"color: {MUTED};")
        nav = QHBoxLayout()
        nav.setContentsMargins(16, 8, 16, 10)
        nav.addWidget(self.prev_button)
        nav.addWidget(hint_prev)
        nav.addStretch(1)
        nav.addWidget(self.saved_label)
        nav.addSpacing(16)
        nav.addWidget(self.position_label)
        nav.addStretch(1)
        nav.addWidget(hint_next)
        nav.addWidget(self.next_button)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(16, 12, 16, 8)
        body_layout.setSpacing(12)
        body_layout.addWidget(task_box)
        body_layout.addWidget(self.notice)
        body_layout.addLayout(grid)
        body_layout.addWidget(self.message)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area = scroll

        footer = QFrame()
        footer.setObjectName("formFooter")
        footer.setStyleSheet("#formFooter { border-top: 1px solid #e3e6ea; }")
        footer.setLayout(nav)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(scroll, 1)
        layout.addWidget(footer)

        # tab order: inputs in reading order
        order = [self.status, self.percent, *self.texts.values(), *self.lines.values()]
        for a, b in pairwise(order):
            QWidget.setTabOrder(a, b)

        self.status.currentIndexChanged.connect(self._status_changed)
        self.percent.valueChanged.connect(self._percent_changed)
        for box in self.texts.values():
            box.textChanged.connect(self._changed)
        for line in self.lines.values():
            line.textEdited.connect(self._changed)
        self.setEnabled(False)

    # ------------------------------------------------------------ building

    def _copy_button(self, key: str) -> QToolButton:
        button = QToolButton()
        button.setText(self.tr("« 沿用"))
        button.setToolTip(self.tr("把上期的内容填到本期"))
        button.setStyleSheet("QToolButton { color: #8a94a6; border: none; padding: 2px 4px; }"
                             "QToolButton:hover { color: #1a4fa0; background: #e8f0fe;"
                             " border-radius: 3px; }")
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self.copy_previous(key))
        self.copy_buttons[key] = button
        return button

    def _add_row(self, grid: QGridLayout, row: int, f: str, widget: QWidget) -> int:
        label = QLabel(vocab_tr(FIELD_LABELS[f].replace("(%)", "")))
        label.setBuddy(self.inputs[f])
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(0, 6, 0, 0)
        self.field_labels[f] = label
        grid.addWidget(label, row, 0)
        grid.addWidget(widget, row, 1)
        grid.addWidget(self._copy_button(f), row, 2, Qt.AlignmentFlag.AlignTop)
        prev = self.prev[f]
        prev.setContentsMargins(0, 6, 0, 0)
        grid.addWidget(prev, row, 3)
        grid.addWidget(self.errors[f], row + 1, 1)
        return row + 2

    # ------------------------------------------------------------ content

    def set_task(self, *, code: str, section: str, text: str, lead: tuple[str, ...],
                 cooperating: tuple[str, ...], deadline: str | None, target: str | None,
                 role_text: str) -> None:
        e = html.escape
        self.code_label.setText(code)
        self.section_label.setText(section)
        self.text_label.setText(text)
        self.role_badge.setText(self.tr("本单位:{0}").format(role_text or "—"))
        def caption(text: str) -> str:  # (lupdate reads no tr() inside f-strings)
            return f"<span style='color:{MUTED}'>{e(text)}</span> "

        parts = []
        if lead:
            parts.append(caption(vocab_tr(ROLE_LABELS["lead"])) + e("、".join(lead)))
        if cooperating:
            parts.append(caption(vocab_tr(ROLE_LABELS["cooperating"]))
                         + e("、".join(cooperating)))
        second = [caption(self.tr("完成时限")) + e(deadline or self.tr("长期"))]
        if target:
            second.append(caption(self.tr("目标")) + e(target))
        gap = "&nbsp;&nbsp;&nbsp;&nbsp;"
        self.meta_label.setText(gap.join(parts) + "<br>" + gap.join(second))

    def set_values(self, values: Mapping[str, Any], previous: Mapping[str, Any] | None,
                   previous_label: str = "", *, editable: frozenset[str] | None = None,
                   comments: Mapping[str, str] | None = None, notice: str = "") -> None:
        """Fill the inputs without emitting ``edited``.

        `editable` (a correction packet): only those inputs stay enabled; `comments` are
        the district's 退回意见 per field, shown above the inputs with `notice`.
        """
        for f, widget in self.inputs.items():
            widget.setEnabled(editable is None or f in editable)
        lines = [notice] if notice else []
        lines += [self.tr("退回意见 · {0}:{1}").format(
                  vocab_tr(FIELD_LABELS.get(f, f).replace("(%)", "")), c)
                  for f, c in (comments or {}).items()]
        self.notice.setText("\n".join(lines))
        self.notice.setVisible(bool(lines))
        self._loading = True
        try:
            i = self.status.findData(values.get("status"))
            self.status.setCurrentIndex(max(i, 0))
            self.percent.set_percent(values.get("percent"))
            self.percent_bar.setValue(int(values.get("percent") or 0))
            self._style_bar(values.get("status"))
            for f, box in self.texts.items():
                box.setPlainText(_text(values.get(f)))
            for f, line in self.lines.items():
                line.setText(_text(values.get(f)))
                line.setCursorPosition(0)
        finally:
            self._loading = False
        self._previous = dict(previous or {})
        self.prev_header.setText(self.tr("上期({0})").format(previous_label) if previous_label
                                 else self.tr("上期"))
        none = self.tr("(无上期记录)") if previous is None else ""
        for f, label in self.prev.items():
            value = self._previous.get(f)
            if f == "status":
                shown = vocab_tr(STATUS_LABELS.get(value or "", "")) or none
            elif f == "percent":
                shown = "" if value is None else f"{_text(value)}%"
            elif f in LINE_FIELDS:
                shown = self.tr("{0}:{1}").format(vocab_tr(FIELD_LABELS[f]),
                                                  _text(value)) if value else ""
            else:
                shown = _text(value)
            label.set_full_text(shown)
        has_people = any(self._previous.get(f) for f in LINE_FIELDS)
        for key, button in self.copy_buttons.items():
            if key == "people":
                button.setVisible(has_people)
            else:
                button.setVisible(self._previous.get(key) not in (None, ""))
        self.setEnabled(True)

    def values(self) -> dict[str, Any]:
        """What the clerk typed, as typed (the service parses and checks it)."""
        out: dict[str, Any] = {"status": self.status.currentData(),
                               "percent": self.percent.percent()}
        for f, box in self.texts.items():
            out[f] = box.toPlainText()
        for f, line in self.lines.items():
            out[f] = line.text()
        return out

    def copy_previous(self, key: str) -> None:
        fields = LINE_FIELDS if key == "people" else (key,)
        for f in fields:
            value = self._previous.get(f)
            if value in (None, ""):
                continue
            if f == "status":
                self.status.setCurrentIndex(max(self.status.findData(value), 0))
            elif f == "percent":
                self.percent.set_percent(value)
            elif f in self.texts:
                self.texts[f].setPlainText(_text(value))
            else:
                self.lines[f].setText(_text(value))
        self._changed()

    def show_problems(self, problems: Sequence[Any]) -> None:
        """The service's verdicts (``app.core.problems.Problem``: field, message, blocking) beside their
        inputs: refused values in red with a red frame, reminders in amber."""
        by_field: dict[str, list[Any]] = {}
        for p in problems:
            by_field.setdefault(p.field, []).append(p)
        shown: dict[FieldMessage, list[Any]] = {}
        for f, label in self.errors.items():
            found = by_field.pop(f, [])
            shown.setdefault(label, []).extend(found)
            self.inputs[f].setStyleSheet(INVALID_STYLE if any(p.blocking for p in found)
                                         else "")
        for label, found in shown.items():
            blocking = any(p.blocking for p in found)
            label.set_message("\n".join(("" if p.blocking else "⚠ ") + p.message
                                        for p in found),
                              ERROR_COLOUR if blocking else WARN_COLOUR)
        rest = [p.message for ps in by_field.values() for p in ps]
        self.message.setText("⚠ " + "\n⚠ ".join(rest) if rest else "")
        self.message.setVisible(bool(rest))

    def focus_field(self, f: str) -> None:
        widget = self.inputs.get(f, self.status)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll_area.ensureWidgetVisible(widget)

    def set_saved_text(self, text: str) -> None:
        self.saved_label.setText(text)

    def set_position(self, index: int, count: int) -> None:
        self.position_label.setText(self.tr("第 {0}/{1} 项").format(index + 1, count)
                                    if count else "")
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(0 <= index < count - 1)

    # ------------------------------------------------------------ signals

    def _style_bar(self, status: str | None) -> None:
        colour = {"behind": "#d32f2f", "completed": "#2e7d32"}.get(status or "", "#1a73e8")
        self.percent_bar.setStyleSheet(
            "QProgressBar { background: #e5e7eb; border: none; border-radius: 4px; }"
            f"QProgressBar::chunk {{ background: {colour}; border-radius: 4px; }}")

    def _status_changed(self, *_: object) -> None:
        self._style_bar(self.status.currentData())
        self._changed()

    def _percent_changed(self, value: float) -> None:
        self.percent_bar.setValue(max(int(value), 0))
        self._changed()

    def _changed(self, *_: object) -> None:
        if not self._loading:
            self.edited.emit()


__all__ = ["FORM_FIELDS", "PercentSpin", "TaskForm"]


class IndicatorForm(QWidget):
    """All of the unit's indicators for the period, one row each: what is asked, last
    period's value, and the two inputs (本期数值, 说明) with the service's verdict below."""

    edited = Signal(str)  # row key of the indicator the user changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value_edits: dict[str, QLineEdit] = {}
        self.note_edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, FieldMessage] = {}
        self.prev_labels: dict[str, QLabel] = {}
        self.keys: list[str] = []
        self._loading = False
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet(f"color: {MUTED};")
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setContentsMargins(16, 8, 16, 16)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(4)
        scroll = QScrollArea()
        scroll.setWidget(self.body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro_box = QHBoxLayout()
        intro_box.setContentsMargins(16, 10, 16, 0)
        intro_box.addWidget(self.intro)
        layout.addLayout(intro_box)
        layout.addWidget(scroll, 1)

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.value_edits.clear()
        self.note_edits.clear()
        self.errors.clear()
        self.prev_labels.clear()
        self.keys = []

    def set_indicators(self, items: list[Any], previous_label: str = "") -> None:
        """`items`: the office service's indicators (code, name, values, previous, …)."""
        self._loading = True
        self._clear()
        tr = self.tr
        self.intro.setText(
            tr("共 {0} 项指标。数字型指标请只填数字(如 95 或 12.5),单位已列出;"
               "其他指标填写完成情况。").format(len(items)) if items
            else tr("本期下发包中没有需要本单位填报的指标。"))
        headers = [tr("序号"), tr("指标"), tr("指标值 / 目标值"),
                   tr("上期({0})").format(previous_label) if previous_label else tr("上期"),
                   tr("本期数值"), tr("说明")]
        for col, text in enumerate(headers):
            h = QLabel(text)
            h.setStyleSheet(f"color: {MUTED}; font-weight: bold;")
            self.grid.addWidget(h, 0, col)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: #e3e6ea;")
        self.grid.addWidget(rule, 1, 0, 1, len(headers))
        row = 2
        previous_edit: QWidget | None = None
        for ind in items:
            key = ind.key
            self.keys.append(key)
            code = QLabel(ind.code)
            code.setStyleSheet("font-weight: bold;")
            name = QLabel((f"<span style='color:{MUTED}'>{html.escape(ind.group)} › </span>"
                           if ind.group else "") + html.escape(ind.name)
                          + (f" <span style='color:{MUTED}'>({html.escape(ind.unit)})</span>"
                             if ind.unit else ""))
            name.setWordWrap(True)
            name.setMinimumWidth(200)
            target_caption = tr("目标")
            asked = QLabel(html.escape(ind.standard or "—") + "<br><span style='color:"
                           f"{MUTED}'>{html.escape(target_caption)} {html.escape(ind.target or '—')}"
                           f"{html.escape(' · ' + vocab_tr(ind.attribute)) if ind.attribute else ''}"
                           "</span>")
            asked.setWordWrap(True)
            asked.setMaximumWidth(260)
            prev = Elided()
            pv = ind.previous or {}
            prev.set_full_text(_text(pv.get("value")) or (tr("(无)") if ind.previous is None
                                                           else ""), 40)
            value = QLineEdit(_text(ind.values.get("value")))
            value.setPlaceholderText(tr("数字") if ind.numeric else tr("完成情况"))
            value.setMinimumWidth(120)
            note = QLineEdit(_text(ind.values.get("note")))
            note.setPlaceholderText(tr("可不填"))
            note.setMinimumWidth(160)
            editable = ind.editable
            value.setEnabled(editable is None or "value" in editable)
            note.setEnabled(editable is None or "note" in editable)
            value.textEdited.connect(lambda _t, k=key: self._changed(k))
            note.textEdited.connect(lambda _t, k=key: self._changed(k))
            error = FieldMessage()
            comments = (tr("退回意见:{0}").format(";".join(ind.comments.values()))
                        if ind.comments else "")
            error.setProperty("comments", comments)
            error.set_message(comments, COMMENT_COLOUR)
            for col, widget in enumerate((code, name, asked, prev, value, note)):
                align = Qt.AlignmentFlag.AlignTop
                self.grid.addWidget(widget, row, col, align)
            self.grid.addWidget(error, row + 1, 4, 1, 2)
            sep = QFrame()
            sep.setFrameShape(QFrame.Shape.HLine)
            sep.setStyleSheet("color: #f0f1f3;")
            self.grid.addWidget(sep, row + 2, 0, 1, len(headers))
            row += 3
            self.value_edits[key], self.note_edits[key] = value, note
            self.errors[key], self.prev_labels[key] = error, prev
            for widget in (value, note):
                if previous_edit is not None:
                    QWidget.setTabOrder(previous_edit, widget)
                previous_edit = widget
        self.grid.setColumnStretch(1, 3)
        self.grid.setColumnStretch(4, 1)
        self.grid.setColumnStretch(5, 2)
        self.grid.setRowStretch(row, 1)
        self._loading = False

    def values(self, key: str) -> dict[str, Any]:
        return {"value": self.value_edits[key].text(), "note": self.note_edits[key].text()}

    def show_problems(self, key: str, problems: Mapping[str, str]) -> None:
        label = self.errors.get(key)
        if label is None:
            return
        text = "\n".join(problems.values())
        comments = str(label.property("comments") or "")
        # the district's comment comes back once the value is accepted
        label.set_message(text or comments, ERROR_COLOUR if text else COMMENT_COLOUR)
        for f, edit in (("value", self.value_edits[key]), ("note", self.note_edits[key])):
            edit.setStyleSheet(INVALID_STYLE if f in problems else "")

    def focus(self, key: str, field: str = "value") -> None:
        edit = (self.note_edits if field == "note" else self.value_edits).get(key)
        if edit is not None:
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_area.ensureWidgetVisible(edit)

    def _changed(self, key: str) -> None:
        if not self._loading:
            self.edited.emit(key)
