"""The percent box reads typed or pasted text with the packet reader's number rule."""

from __future__ import annotations

from PySide6.QtGui import QValidator

from app.views.office.form import PercentSpin


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
