"""The district window's way into office mode: 文件 › 打开下发包(单位填报)… checks the
packet, asks where the unit's database goes, loads the packet into it and opens the clerk's
window in place of the district's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QWidget

from app.core.jobs import Reporter
from app.services.office import opening as office_opening
from app.services.office.opening import OpenResult
from app.views.database_menu import DB_FILTER, request_open
from app.views.ops import OpHandle, run_op
from app.views.widgets import dialogs


def _remove_database_files(path: Path) -> None:
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        path.with_name(name).unlink(missing_ok=True)


def open_packet_as_office(parent: QWidget) -> OpHandle | None:
    """打开下发包(单位填报): check the packet first, then ask where the unit's database
    goes, load the packet into it and open the clerk's window on it (replacing `parent`).

    A refused packet never gets as far as a database file; a database this created for a
    packet that then fails to load is removed again."""
    translate = QCoreApplication.translate  # `parent.tr` would use the caller's class name
    packet = dialogs.open_file(parent, translate("OfficeEntry", "打开下发包(单位填报)"),
                               kind="packets")
    if not packet:
        return None

    def check(reporter: Reporter) -> str:
        reporter.step(0, 1, translate("OfficeEntry", "正在检查下发包…"))
        return office_opening.check_issued_packet(Path(packet)).manifest.unit

    def checked(unit: str) -> None:
        suggested = dialogs.start_folder("database") / translate(
            "OfficeEntry", "{0}_填报库.db").format(unit)
        target = dialogs.save_file(parent, translate("OfficeEntry", "本单位填报库保存到"),
                                   str(suggested), DB_FILTER, kind="database")
        if target:
            path = Path(target)
            if path.suffix.lower() != ".db":
                path = path.with_name(path.name + ".db")
            load(path)

    def load(path: Path) -> None:
        created = not path.exists()

        def work(reporter: Reporter) -> OpenResult:
            from app.services.db import open_database

            try:
                db = open_database(path)
            except BaseException:
                if created:
                    _remove_database_files(path)
                raise
            try:
                return office_opening.open_packet(db, Path(packet), reporter=reporter)
            except BaseException:
                db.dispose()  # closed before its files are removed (Windows locks them)
                if created:
                    _remove_database_files(path)
                raise
            finally:
                db.dispose()

        def opened(result: OpenResult) -> None:
            request_open(parent, str(path), note=result.summary())

        run_op(parent, work, on_success=opened,
               title=translate("OfficeEntry", "正在打开下发包…"))

    return run_op(parent, check, on_success=checked,
                  title=translate("OfficeEntry", "正在检查下发包…"))


def install_office_entry(window: QMainWindow, menu: Any) -> QAction:
    """The district window's 文件 › 打开下发包(单位填报)… (its own section of the menu)."""
    action = QAction(QCoreApplication.translate("OfficeEntry", "打开下发包(单位填报)…"), window)
    action.setToolTip(QCoreApplication.translate(
        "OfficeEntry", "以单位身份填报:把区里下发的填报包载入本单位的填报库"))
    action.triggered.connect(lambda: open_packet_as_office(window))
    menu.addAction(action)
    return action
