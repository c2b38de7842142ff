"""The start-up probe that benchmarks/bundle_startup.py relies on."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.views import startup_probe


class _Timer:
    calls: ClassVar[list[Any]] = []

    @staticmethod
    def singleShot(msec: int, fn: Any) -> None:
        _Timer.calls.append((msec, fn))


def test_first_paint_prints_the_marker_once_and_asks_to_quit(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(startup_probe.VARIABLE, "1")
    monkeypatch.setattr(startup_probe, "QTimer", _Timer)
    _Timer.calls = []
    widget = QWidget()
    qtbot.addWidget(widget)
    startup_probe.watch(widget)
    widget.resize(200, 100)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: bool(_Timer.calls))
    widget.update()
    qtbot.wait(50)
    assert capsys.readouterr().out.splitlines() == [startup_probe.MARKER]
    assert len(_Timer.calls) == 1 and _Timer.calls[0][0] == 0


def test_without_the_variable_nothing_is_installed(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(startup_probe.VARIABLE, raising=False)
    widget = QWidget()
    qtbot.addWidget(widget)
    startup_probe.watch(widget)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait(50)
    assert widget.findChildren(startup_probe._FirstPaint) == []
    assert capsys.readouterr().out == ""
