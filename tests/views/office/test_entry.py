"""文件 › 打开下发包(单位填报)… from the district window: the packet is checked before
anything is asked, loaded into a new database, and the clerk's window takes over; a refused
packet or a failed load leaves no file behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from merge_helpers import issue
from pytestqt.qtbot import QtBot

from app.core.errors import UserFacingError
from app.services.db import Database, open_database
from app.services.office import opening as office_opening
from app.views.main_window import MainWindow
from app.views.office.entry import open_packet_as_office
from app.views.office.window import OfficeWindow
from app.views.widgets import dialogs

UNIT = "青龙街道"


@pytest.fixture
def packets(tianning: Database, tmp_path: Path) -> dict[str, Path]:
    return {"2021-05": issue(tianning, "2021-05", [UNIT], tmp_path / "issued")[UNIT]}


def test_district_window_opens_a_packet_as_an_office(
        qtbot: QtBot, tianning: Database, packets: dict[str, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from app.views.app import make_application
    from app.views.database_menu import requests

    make_application()  # connects the database requests to the window switching
    district = MainWindow(tianning)
    qtbot.addWidget(district)
    district.show()
    target = tmp_path / "mine" / "青龙填报"
    asked: list[str] = []

    def save(_parent: object, _title: str, suggested: str = "", *_a: object,
             **_k: object) -> str:
        asked.append(suggested)
        return str(target)

    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(packets["2021-05"]))
    monkeypatch.setattr(dialogs, "save_file", save)
    with qtbot.waitSignal(requests.opened, timeout=15000) as blocker:
        district.office_entry.trigger()
    opened = blocker.args[0]
    assert isinstance(opened, OfficeWindow)
    assert Path(asked[0]).name == "青龙街道_填报库.db"
    assert opened.info is not None and opened.info.unit == UNIT
    assert opened.model.rowCount() == 50
    assert (tmp_path / "mine" / "青龙填报.db").is_file()
    assert not district.isVisible()  # the clerk's window replaced the district's
    assert "单位填报" in opened.windowTitle() and "青龙填报.db" in opened.windowTitle()
    assert opened.message_box is not None and "已载入" in opened.message_box.text()
    opened.message_box.close()
    opened.close()


def test_a_refused_packet_is_refused_before_asking_and_leaves_no_file(
        qtbot: QtBot, tianning: Database, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "不是下发包.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    district = MainWindow(tianning)
    qtbot.addWidget(district)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(bad))
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: asked.append("asked") or str(
        tmp_path / "orphan.db"))
    errors: list[BaseException] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: errors.append(exc))
    handle = open_packet_as_office(district)
    assert handle is not None
    qtbot.waitUntil(lambda: bool(errors), timeout=15000)
    assert asked == []
    assert "下发包" in str(errors[0]) or "文件" in str(errors[0])
    assert not [p.name for p in tmp_path.iterdir() if "orphan" in p.name]


def test_a_packet_the_database_refuses_leaves_no_new_file(
        qtbot: QtBot, tianning: Database, tianning_path: Path, packets: dict[str, Path],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The packet is fine but loading fails (another unit's database already there: refused);
    a database file the attempt created is removed, an existing one is kept."""
    other = issue(tianning, "2021-05", ["郑陆镇"], tmp_path / "other")["郑陆镇"]
    existing = tmp_path / "郑陆.db"
    db = open_database(existing)
    office_opening.open_packet(db, other)
    db.dispose()
    district = MainWindow(tianning)
    qtbot.addWidget(district)
    monkeypatch.setattr(dialogs, "open_file", lambda *a, **k: str(packets["2021-05"]))
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(existing))
    errors: list[BaseException] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc: errors.append(exc))
    open_packet_as_office(district)
    qtbot.waitUntil(lambda: bool(errors), timeout=15000)
    assert "郑陆镇" in str(errors[0])
    assert existing.is_file()  # the clerk's existing database is never removed

    fresh = tmp_path / "新库.db"
    monkeypatch.setattr(dialogs, "save_file", lambda *a, **k: str(fresh))

    def fails(*_a: object, **_k: object) -> None:
        raise UserFacingError("磁盘已满")

    monkeypatch.setattr(office_opening, "open_packet", fails)
    open_packet_as_office(district)
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=15000)
    assert str(errors[1]) == "磁盘已满"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("新库")]
