"""The watched inbox, window side: notice new files in the folders and count the returns.

``QFileSystemWatcher`` reports a change in a folder at once (debounced: a mail program
writes a file in several steps); a ``QTimer`` rescans every minute as well, because
watchers miss events on network drives. Each scan runs off the GUI thread (``run_op``
without a progress dialog) and opens only new or changed names (``inbox.scan_inbox`` with
the previous seen-index); one scan at a time, a request meanwhile runs after it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from app.core.jobs import Reporter
from app.services.db import Database
from app.services.district.inbox import InboxScan, Seen, scan_inbox
from app.views.ops import OpHandle, run_op

RESCAN_MS = 60_000
SETTLE_MS = 1_500


class InboxWatcher(QObject):
    """Watches folders; `scanned` carries each finished scan (its arrivals and count)."""

    scanned = Signal(object)  # InboxScan

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.folders: list[str] = []
        self.index: dict[str, Seen] = {}
        self.last: InboxScan | None = None
        self.op: OpHandle | None = None
        self._again = False
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._changed)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self.rescan)
        self.timer = QTimer(self)
        self.timer.setInterval(RESCAN_MS)
        self.timer.timeout.connect(self.rescan)

    def set_folders(self, folders: list[str]) -> None:
        """Watch these folders from now on (an empty list stops watching)."""
        if self.watcher.directories():
            self.watcher.removePaths(self.watcher.directories())
        self.folders = list(folders)
        present = [f for f in self.folders if Path(f).is_dir()]
        if present:
            self.watcher.addPaths(present)
        if self.folders:
            self.timer.start()
            self.rescan()
        else:
            self.timer.stop()
            self.index = {}
            self.last = InboxScan((), {}, 0)
            self.scanned.emit(self.last)

    def _changed(self, _folder: str) -> None:
        self.settle.start()  # restarts: one scan after the writes settle

    def rescan(self) -> None:
        if not self.folders:
            return
        if self.op is not None:
            self._again = True
            return
        db, folders, index = self.db, list(self.folders), dict(self.index)

        def work(reporter: Reporter) -> InboxScan:
            return scan_inbox(db, folders, index, reporter)

        self.op = run_op(None, work, on_success=self._done, on_failure=self._failed,
                         on_cancel=self._ended, show_progress=False)

    def _done(self, scan: InboxScan) -> None:
        self.index, self.last = scan.index, scan
        self._ended()
        self.scanned.emit(scan)

    def _failed(self, _exc: BaseException) -> None:
        self._ended()  # logged by run_op; the next timer tick tries again

    def _ended(self) -> None:
        self.op = None
        for folder in self.folders:  # a folder created later, or a drive back
            if Path(folder).is_dir() and folder not in self.watcher.directories():
                self.watcher.addPath(folder)
        if self._again:
            self._again = False
            QTimer.singleShot(0, self, self.rescan)

    def stop(self) -> None:
        self.timer.stop()
        self.settle.stop()
        if self.op is not None:
            self.op.cancel()
