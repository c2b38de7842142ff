"""下发 page: choose units and folder, issue off the GUI thread, folder opened at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.services.db import Database
from app.services.district.issue import issue_candidates
from app.services.packets import read_packet
from app.views.district import issue_page
from app.views.district.issue_page import IssuePage, UnitChoiceModel, candidate_columns
from app.views.main_window import MainWindow


def _page(qtbot: QtBot, db: Database) -> tuple[MainWindow, IssuePage]:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.select_period("2021-06")
    page = window.page(IssuePage)
    assert isinstance(page, IssuePage)
    window.show_page(page)
    return window, page


def test_issue_chosen_units_and_open_the_folder(qtbot: QtBot, tianning: Database,
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(issue_page, "open_folder", opened.append)
    _window, page = _page(qtbot, tianning)
    assert page.model.rowCount() == len(issue_candidates(tianning, 1))
    assert "2021年6月" in page.heading.text()
    page.none_button.click()
    assert not page.issue_button.isEnabled()
    names = [page.model.record(r).name for r in range(page.model.rowCount())]
    for name in ("青龙街道", "区住建局"):
        idx = page.model.index(names.index(name), 0)
        assert page.model.setData(idx, 2, 10)  # Qt.CheckStateRole, Checked
    assert "已选 2/" in page.count.text()
    page.folder.setText(str(tmp_path / "下发"))
    assert page.issue_button.isEnabled()
    page.issue_button.click()
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=20000)
    result = page.last_result
    assert result is not None and {p.unit for p in result.packets} == {"青龙街道", "区住建局"}
    assert opened == [tmp_path / "下发"]
    assert "已生成 2 个下发包" in page.result_label.text()
    files = sorted((tmp_path / "下发").iterdir())
    assert len(files) == 2 and read_packet(files[0]).manifest.period == "2021-06"
    qtbot.waitUntil(lambda: page.op is None)
    # the ledger shows in the table after the bus refresh
    qtbot.waitUntil(lambda: any(page.model.record(r).last_issued_at is not None
                                for r in range(page.model.rowCount())))


def test_choose_folder_through_the_dialog(qtbot: QtBot, tianning: Database, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from app.views.widgets import dialogs

    monkeypatch.setattr(dialogs, "choose_directory", lambda *_a, **_k: str(tmp_path))
    _window, page = _page(qtbot, tianning)
    page.folder_button.click()
    assert page.folder.text() == str(tmp_path)


def test_unit_choice_model(qtmodeltester, tianning: Database) -> None:  # type: ignore[no-untyped-def]
    model = UnitChoiceModel(candidate_columns(str))
    model.set_records(issue_candidates(tianning, 1))
    qtmodeltester.check(model)
    model.set_all(False)
    assert model.chosen() == []
    model.set_all(True)
    assert len(model.chosen()) == model.rowCount()


def test_issue_with_mail_drafts(qtbot: QtBot, tianning: Database, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """同时生成邮件草稿: an .eml beside each packet, the units without 邮箱 named."""
    import email
    import email.policy

    monkeypatch.setattr(issue_page, "open_folder", lambda _p: None)
    _window, page = _page(qtbot, tianning)
    page.none_button.click()
    names = [page.model.record(r).name for r in range(page.model.rowCount())]
    assert page.model.setData(page.model.index(names.index("青龙街道"), 0), 2, 10)
    page.folder.setText(str(tmp_path / "下发"))
    page.eml.setChecked(True)
    page.issue_button.click()
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=20000)
    qtbot.waitUntil(lambda: page.op is None)
    [draft] = page.last_drafts
    assert "已生成 1 封邮件草稿" in page.result_label.text()
    assert "没有登记邮箱" in page.result_label.text() and "青龙街道" in page.result_label.text()
    msg = email.message_from_bytes(draft.path.read_bytes(), policy=email.policy.default)
    [packet] = (tmp_path / "下发").glob("*.xlsx")
    assert next(msg.iter_attachments()).get_payload(decode=True) == packet.read_bytes()


def test_cancel_while_worker_processes_write(qtbot: QtBot, tianning: Database, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Every unit, written by worker processes: the progress dialog counts the packets, 取消
    stops the batch, only whole packets stay in the folder, each recorded."""
    import worker_helpers

    from app.services import workers
    from app.services.district import issue

    monkeypatch.setattr(workers, "cpus", lambda: 2)
    monkeypatch.setattr(workers, "load_average", lambda: 0.5)
    monkeypatch.setattr(issue, "PARALLEL_COLD", 16)  # tianning's 31 units: workers start
    monkeypatch.setattr(issue, "write_job", worker_helpers.slow_write)
    monkeypatch.setattr(issue_page, "open_folder", lambda _p: None)
    _window, page = _page(qtbot, tianning)
    page.all_button.click()
    page.folder.setText(str(tmp_path / "下发"))
    page.issue_button.click()
    op = page.op
    assert op is not None and op.dialog is not None
    qtbot.waitUntil(lambda: op.dialog.value() >= 2, timeout=30000)
    assert "正在生成下发包(" in op.dialog.labelText()
    cancel = op.dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "取消"
    cancel.click()
    qtbot.waitUntil(lambda: page.op is None, timeout=30000)
    assert page.last_result is None and "已取消" in page.result_label.text()
    files = sorted((tmp_path / "下发").iterdir())
    assert 2 <= len(files) < page.model.rowCount()
    assert all(f.suffix == ".xlsx" and not f.name.startswith(".") for f in files)
    ledger = {c.name for c in issue_candidates(tianning, 1) if c.last_issued_at is not None}
    assert ledger == {read_packet(f).manifest.unit for f in files}
