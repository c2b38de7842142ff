"""The clerk's form: the percent box reads typed or pasted text with the packet reader's
number rule; verdicts never move the inputs."""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QApplication

from app.core.problems import Problem
from app.views.office.form import PercentSpin, TaskForm


def test_percent_box_reads_pasted_percent_text(qtbot) -> None:
    spin = PercentSpin()
    qtbot.addWidget(spin)
    for text, value in (("60%", 60.0), ("60%", 60.0), ("60", 60.0), ("  55.5 ", 55.5),
                        ("", PercentSpin.EMPTY), ("六十", PercentSpin.EMPTY)):
        assert spin.valueFromText(text) == value, text
    assert spin.validate("60%", 0)[0] == QValidator.State.Acceptable
    assert spin.validate("150", 0)[0] == QValidator.State.Invalid
    assert spin.validate("6.", 0)[0] in (QValidator.State.Acceptable,
                                         QValidator.State.Intermediate)
    assert spin.validate("abc", 0)[0] == QValidator.State.Invalid
    spin.lineEdit().setText("60%")
    spin.interpretText()
    assert spin.percent() == 60


def test_messages_never_move_the_fields_while_typing(qtbot) -> None:
    """A verdict appearing or going away under an input keeps every input in its place
    (the line is reserved); a long one is cut and shown whole in the tooltip."""
    form = TaskForm()
    qtbot.addWidget(form)
    form.resize(900, 1000)
    form.setEnabled(True)
    form.show()

    def places() -> dict[str, int]:
        QApplication.processEvents()
        return {f: w.mapTo(form, w.rect().topLeft()).y() for f, w in form.inputs.items()}

    before = places()
    long_message = "联系电话格式不对,请填写手机号或带区号的固话(如 0519-88001234)" * 3
    form.show_problems([
        Problem(field="percent", message="完成进度应在 0 到 100 之间"),
        Problem(field="progress", message="进展状态改为“滞后”,请填写本期进展。",
                severity="warning"),
        Problem(field="phone", message=long_message),
        Problem(field="responsible", message="请填写责任人。", severity="warning"),
    ])
    assert places() == before
    assert form.errors["percent"].has_message()
    phone = form.errors["phone"]
    assert form.errors["responsible"] is phone  # the people row shares its line
    assert long_message in phone.toolTip() and "请填写责任人" in phone.toolTip()
    assert phone.height() == phone.fontMetrics().lineSpacing() + 2  # one line, cut
    assert "border" in form.inputs["phone"].styleSheet()  # the refused input framed
    assert form.inputs["responsible"].styleSheet() == ""  # a reminder is not a refusal
    form.show_problems([])
    assert places() == before
    assert not any(label.has_message() for label in form.errors.values())
