"""English interface: the shipped translation is complete and current, and freshly built
windows speak English while it is installed (Chinese again once it is removed)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QMenu, QMessageBox, QTableView
from pytestqt.qtbot import QtBot

import app.core.vocab as vocab
from app.services.db import Database, open_database
from app.services.district.issue import issue_packets
from app.services.office import opening as office_opening
from app.services.plans.query import period_label
from app.views.i18n import (
    choose_language,
    install_translator,
    period_text,
    remove_translator,
    vocab_tr,
)
from app.views.main_window import PAGES, MainWindow
from app.views.office.window import OfficeWindow, due_text
from app.views.plans.tasks_page import TasksPage

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "app" / "resources" / "translations" / "taizhang_en.ts"
QM = TS.with_suffix(".qm")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"\{\d*(?::[^{}]*)?\}|%L?\d+|%n")
# named in their own language on purpose (a user stuck in the other language finds them)
LANGUAGE_ENTRIES = {"语言 / Language", "中文", "English"}


def qt_tool(name: str) -> str | None:
    found = Path(sys.executable).parent / f"pyside6-{name}"
    return str(found) if found.is_file() else shutil.which(f"pyside6-{name}")


def ts_messages() -> list[tuple[str, str, ET.Element | None]]:
    root = ET.parse(TS).getroot()
    return [(ctx.findtext("name") or "", m.findtext("source") or "", m.find("translation"))
            for ctx in root.iter("context") for m in ctx.iter("message")]


@pytest.fixture
def english(qapp: QApplication) -> Iterator[QTranslator]:
    translator = install_translator(qapp, "en")
    assert translator is not None, "taizhang_en.qm missing or unreadable"
    try:
        yield translator
    finally:
        remove_translator(qapp, translator)


def menu_texts(menu: QObject) -> list[str]:
    assert isinstance(menu, QMenu)
    out = []
    for action in menu.actions():
        if action.isSeparator() or action.objectName() == "recent-database":
            continue  # a separator, or a recent file (its name is no interface text)
        out.append(action.text())
        if action.menu() is not None:
            out += menu_texts(action.menu())
    return out


def headers(table: QTableView) -> list[str]:
    model = table.model()
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]


def untranslated(texts: list[str]) -> list[str]:
    return [t for t in texts if CJK.search(t) and t not in LANGUAGE_ENTRIES]


# ---------------------------------------------------------------- the files


def test_every_message_is_finished_with_matching_placeholders() -> None:
    messages = ts_messages()
    assert len(messages) > 400
    problems = []
    for context, source, tr in messages:
        text = (tr.text or "") if tr is not None else ""
        if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished") or not text:
            problems.append(f"[{context}] {source!r}: unfinished")
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"[{context}] {source!r} → {text!r}: placeholders differ")
        if source.count("&") - 2 * source.count("&&") != text.count("&") - 2 * text.count("&&"):
            problems.append(f"[{context}] {source!r} → {text!r}: accelerator differs")
        if CJK.search(text) and not re.search(r'制定实施|"、"|年5月底前', text):
            problems.append(f"[{context}] {source!r} → {text!r}: Chinese left in English")
    assert not problems, "\n".join(problems)


def test_ts_holds_every_message_of_the_sources(tmp_path: Path) -> None:
    """lupdate over app/views finds nothing the .ts lacks (new tr() strings need English:
    run tools/update_translations.py after adding them to tools/translations_en.py)."""
    lupdate = qt_tool("lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate not installed")
    fresh = tmp_path / "fresh.ts"
    sources = [str(p) for p in sorted((ROOT / "app" / "views").rglob("*.py"))]
    subprocess.run([lupdate, *sources, "-no-obsolete", "-locations", "none", "-silent",
                    "-ts", str(fresh)], check=True, cwd=ROOT)
    found = {(c.findtext("name") or "", m.findtext("source") or "")
             for c in ET.parse(fresh).getroot().iter("context") for m in c.iter("message")}
    shipped = {(context, source) for context, source, _ in ts_messages()}
    assert sorted(found - shipped) == []
    assert sorted(shipped - found) == []


def test_no_message_is_filed_under_a_variable_name() -> None:
    """``window.tr("…")`` is extracted under the context "window" but looked up at run time
    under the window's class: such calls must use QCoreApplication.translate("Ctx", "…")."""
    contexts = {context for context, _, _ in ts_messages()}
    assert sorted(c for c in contexts if c and not c[0].isupper()) == []


def test_qm_is_built_from_the_ts(tmp_path: Path) -> None:
    lrelease = qt_tool("lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease not installed")
    rebuilt = tmp_path / "taizhang_en.qm"
    subprocess.run([lrelease, "-silent", str(TS), "-qm", str(rebuilt)], check=True)
    assert rebuilt.read_bytes() == QM.read_bytes(), \
        "taizhang_en.qm is stale: run tools/update_translations.py"


def test_every_vocabulary_label_and_page_title_has_english(english: QTranslator) -> None:
    labels = {label for name in dir(vocab) if name.endswith("_LABELS")
              for label in getattr(vocab, name).values()} | {vocab.UNREPORTED_LABEL}
    missing = sorted(label for label in labels if vocab_tr(label) == label)
    assert missing == []
    for factory in PAGES:
        title = getattr(factory, "title", "")
        shown = QCoreApplication.translate("Navigation", title)
        assert shown != title and not CJK.search(shown), f"page {title!r} has no English title"


# ---------------------------------------------------------------- the windows


def test_district_window_in_english(qtbot: QtBot, tianning: Database,
                                    english: QTranslator) -> None:
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    window.show()
    bar = [a.text() for a in window.menuBar().actions()]
    assert bar == ["&File", "&Plan", "&Returns", "Report&s", "&Help"]
    every_menu = [t for a in window.menuBar().actions() for t in menu_texts(a.menu())]
    assert "Quit" in every_menu and "About Taizhang" in every_menu
    assert untranslated(every_menu) == []
    nav = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert nav[:5] == ["Dashboard", "Ledger", "Tasks", "Indicators", "Units"]
    assert untranslated(nav) == []
    assert window.windowTitle().startswith("Taizhang")

    window.select_period("2021-06")
    assert window.period_combo.currentText() == "Jun 2021"
    page = window.page(TasksPage)
    assert isinstance(page, TasksPage)
    assert headers(page.table) == ["No.", "Task", "Lead units", "Cooperating units", "Deadline"]
    assert len(window.pages) == 12  # (built when first shown or asked for: all of them now)
    tables = window.findChildren(QTableView)
    assert len(tables) >= 10
    # the 台账 grid's column headers are the units' names (data), but for its first and last
    from app.views.district.ledger_page import LedgerPage

    ledger = window.page(LedgerPage)
    assert isinstance(ledger, LedgerPage)
    if ledger.loading:  # (its grid is read off the GUI thread)
        with qtbot.waitSignal(ledger.loaded, timeout=30_000):
            pass
    grid = headers(ledger.table)
    assert grid[0] == "Task" and grid[-1] == "Reported/assigned"
    tables = [t for t in tables if t is not ledger.table]
    assert untranslated([h for t in tables for h in headers(t)]) == []
    buttons = [b.text() for b in window.findChildren(QAbstractButton) if b.text()]
    assert untranslated(buttons) == []
    role_filter = [page.role_filter.itemText(i) for i in range(page.role_filter.count())]
    assert role_filter == ["Any role", "Lead", "Cooperating", "Implementing"]


@pytest.fixture
def office_db(tianning: Database, tmp_path: Path) -> Iterator[Database]:
    result = issue_packets(tianning, "2021-06", tmp_path / "out", units=["青龙街道"])
    db = open_database(tmp_path / "qinglong.db")
    office_opening.open_packet(db, result.packets[0].path)
    yield db
    db.dispose()


def test_office_window_in_english(qtbot: QtBot, office_db: Database,
                                  english: QTranslator) -> None:
    window = OfficeWindow(office_db, today=dt.date(2021, 7, 2))
    qtbot.addWidget(window)
    window.show()
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Edit", "&Help"]
    every_menu = [t for a in window.menuBar().actions() for t in menu_texts(a.menu())]
    assert "Export return packet…" in every_menu and "English" in every_menu
    assert untranslated(every_menu) == []
    assert window.tabs.tabText(0).startswith("Task progress")
    assert window.export_button.text() == "Export return packet"
    assert window.period_label.text() == "Jun 2021"
    assert window.due_label.text() == "Due Jul 5 (3 day(s) left)"
    assert window.form.status.itemText(1) == "Not started"
    assert window.form.field_labels["progress"].text() == "Progress this period"
    buttons = [b.text() for b in window.findChildren(QAbstractButton) if b.text()]
    assert untranslated(buttons) == []
    first = window.model.entries[0]
    assert not CJK.search(first.state_label())


def test_periods_and_due_dates_follow_the_language(qapp: QApplication) -> None:
    keys = ("2021-06", "2021-Q2", "2021-H1", "2021")
    assert [period_text(k) for k in keys] == [period_label(k) for k in keys]
    assert due_text(dt.date(2021, 7, 5), dt.date(2021, 7, 2))[0] == "截止 7月5日(还有 3 天)"
    translator = install_translator(qapp, "en")
    assert translator is not None
    try:
        assert [period_text(k) for k in keys] == ["Jun 2021", "Q2 2021", "H1 2021", "2021"]
        assert due_text(dt.date(2022, 1, 3), dt.date(2021, 12, 30))[0] == \
            "Due Jan 3, 2022 (4 day(s) left)"
        assert due_text(dt.date(2021, 7, 5), dt.date(2021, 7, 7))[0] == \
            "Due Jul 5 (2 day(s) overdue)"
    finally:
        remove_translator(qapp, translator)
    assert period_text("2021-06") == "2021年6月"
    assert QCoreApplication.translate("Navigation", "任务") == "任务"


def test_chinese_is_back_after_removing_the_translator(qtbot: QtBot, tianning: Database,
                                                       qapp: QApplication) -> None:
    translator = install_translator(qapp, "en")
    assert translator is not None
    remove_translator(qapp, translator)
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    assert window.menuBar().actions()[0].text() == "文件(&F)"
    assert window.nav.item(2).text() == "任务"


def test_language_menu_saves_the_choice_for_the_next_start(qtbot: QtBot,
                                                           tianning: Database) -> None:
    settings = QSettings()
    before = settings.value("language")
    window = MainWindow(tianning)
    qtbot.addWidget(window)
    try:
        entries = {a.text(): a for a in window.language_actions.actions()}
        assert set(entries) == {"中文", "English"}
        assert entries["中文"].isChecked()  # nothing saved yet: Chinese
        entries["English"].trigger()
        assert QSettings().value("language") == "en"
        box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
        assert "next time" in box.text()
        box.close()
        assert choose_language(window, "zh").isVisible()
        assert QSettings().value("language") == "zh"
        # nothing changes before the next start
        assert window.menuBar().actions()[0].text() == "文件(&F)"
    finally:
        if before is None:
            settings.remove("language")
        else:
            settings.setValue("language", before)


def test_unknown_or_chinese_language_installs_no_english(qapp: QApplication) -> None:
    assert install_translator(qapp, "zh") is None
    assert QCoreApplication.translate("MainWindow", "方案") == "方案"


def test_english_menu_shortcuts_keep_their_modifiers(qapp: QApplication) -> None:
    from PySide6.QtGui import QKeySequence

    translator = install_translator(qapp, "en")
    assert translator is not None
    try:
        native = QKeySequence.SequenceFormat.NativeText
        assert QKeySequence("Ctrl+Q").toString(native) == "Ctrl+Q"
        assert QKeySequence("Ctrl+Shift+O").toString(native) == "Ctrl+Shift+O"
        assert QCoreApplication.translate("Navigation", "任务") == "Tasks"
    finally:
        remove_translator(qapp, translator)
