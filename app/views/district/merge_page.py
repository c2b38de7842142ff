"""汇总: drop returned packets here, see what merging each would do, then apply.

Nothing is written until 应用: adding files runs the dry run (``check_packets``) in the
background; 应用全部有效 / 应用所选 hands those previews to ``apply_packets`` (one
transaction per packet; refusals of packets this database issued are recorded so 收件登记
shows them). Results replace the previews in the same table.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.problems import Problem
from app.services.district.check import (
    PacketPreview,
    check_packets,
    collect_files,
    warm_readers,
)
from app.services.district.inbox import InboxScan, inbox_folders, set_inbox_folders
from app.services.district.merge import MergeResults, PacketResult, apply_packets
from app.views.district.inbox_watch import InboxWatcher
from app.views.i18n import period_text, vocab_tr
from app.views.ops import run_op
from app.views.widgets import dialogs
from app.views.widgets.page import Page
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel, record_view

STATUS_COLOURS = {"new": "#DDEBFA", "applied": "#DDF3DD", "unchanged": "#EEEEEE",
                  "superseded": "#FFF1C2", "rejected": "#FFD9D6", "cancelled": "#EEEEEE"}


@dataclass
class MergeRow:
    """One file in the table: its dry-run preview and, once applied, its result."""

    preview: PacketPreview
    result: PacketResult | None = None

    @property
    def status(self) -> str:
        return self.result.status if self.result else self.preview.status

    @property
    def status_label(self) -> str:
        return self.result.status_label if self.result else self.preview.status_label

    @property
    def problems(self) -> list[Problem]:
        return self.result.problems if self.result else self.preview.problems

    @property
    def reason(self) -> str:
        return self.result.reason if self.result else self.preview.reason

    @property
    def pending(self) -> bool:
        """Not applied yet (applying it may write something)."""
        return self.result is None


def merge_columns(tr: Callable[[str], str]) -> list[Column[MergeRow]]:
    def counted(n: int) -> int | None:
        return n or None

    def rows(r: MergeRow, n: int) -> int | None:
        """Row counts mean something only for what is (or would be) written."""
        return n or None if r.status in ("new", "applied") else None

    return [
        Column(tr("文件"), lambda r: r.preview.path.name, tooltip=lambda r: "\n".join(
            [str(r.preview.path), *([tr("邮件:{0} · {1} · {2}").format(
                o.sender, o.date, o.subject)] if (o := r.preview.origin) else [])])),
        Column(tr("单位"), lambda r: r.preview.unit or ""),
        Column(tr("周期"), lambda r: period_text(r.preview.period) if r.preview.period else ""),
        Column(tr("版本"), lambda r: r.preview.revision, align_right=True),
        Column(tr("结果"), lambda r: vocab_tr(r.status_label),
               background=lambda r: STATUS_COLOURS.get(r.status),
               tooltip=lambda r: r.reason or None),
        Column(tr("新增行"), lambda r: rows(r, r.preview.rows_new), align_right=True),
        Column(tr("修改行"), lambda r: rows(r, r.preview.rows_changed), align_right=True),
        Column(tr("无变化行"), lambda r: rows(r, r.preview.rows_unchanged), align_right=True),
        Column(tr("冲突"), lambda r: rows(r, r.preview.conflicts), align_right=True,
               background=lambda r: "#FFE2B8" if r.preview.conflicts else None),
        Column(tr("警告"), lambda r: counted(len([p for p in r.problems
                                                  if p.severity != "error"])),
               align_right=True),
        Column(tr("错误"), lambda r: counted(len([p for p in r.problems
                                                  if p.severity == "error"])),
               align_right=True,
               background=lambda r: "#FFD9D6" if any(p.severity == "error"
                                                     for p in r.problems) else None),
        Column(tr("说明"), lambda r: r.reason, tooltip=lambda r: r.reason or None),
    ]


def problem_columns(tr: Callable[[str], str]) -> list[Column[Problem]]:
    return [
        Column(tr("类型"), lambda p: tr("错误") if p.severity == "error" else tr("警告"),
               background=lambda p: "#FFD9D6" if p.severity == "error" else "#FFF1C2"),
        Column(tr("工作表"), lambda p: p.sheet),
        Column(tr("单元格"), lambda p: p.cell),
        Column(tr("说明"), lambda p: p.message, tooltip=lambda p: p.message),
    ]


def _spare_the_collector() -> None:
    """Move what exists now (the window, loaded modules, earlier previews) out of the
    cyclic garbage collector's sight before a long batch: a full collection pauses every
    thread, the GUI's too, for as long as it takes to walk all objects (measured: 100–400 ms
    pauses while 100 packets were checked). Frozen objects are still freed by reference
    counting; only cycles among them would wait, and these are long-lived anyway."""
    gc.freeze()


class _FreezeNowAndThen:
    """Previews pile up during a long check: freeze them too every 100 files (measured with
    1,000 packets: one 680 ms collection stall without this). Progress arrives throttled, so
    this counts files since the last freeze rather than waiting for a multiple of 100."""

    EVERY = 100

    def __init__(self) -> None:
        self.frozen_at = 0

    def __call__(self, done: int, _total: int, _text: str) -> None:
        if done - self.frozen_at >= self.EVERY:
            self.frozen_at = done
            gc.freeze()


class DropZone(QFrame):
    """The visible target; the whole page accepts drops."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(70)
        self.set_active(False)
        self.label = QLabel(self.tr("把单位报送的填报包拖到这里:.xlsx 文件、存下的邮件(.eml)、压缩包(.zip)或整个文件夹"))
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("font-size: 15px; color: #4A5A6A; border: none;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)

    def set_active(self, active: bool) -> None:
        colour = "#2F7BD6" if active else "#9AA8B8"
        fill = "#EAF3FF" if active else "#F7F9FB"
        self.setStyleSheet(f"#dropZone {{ border: 2px dashed {colour}; border-radius: 8px;"
                           f" background: {fill}; }}")


class MergePage(Page):
    title = "汇总"
    watches = Changes()  # its list is its own; nothing else changes it
    previews_ready = Signal()  # a dry run of added files ended (its results are shown)
    applied = Signal()  # an apply ended (results are in the table)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self._context_key: tuple[int | None, int | None] = (None, None)
        self._busy = False

        self.drop_zone = DropZone()
        self.files_button = QPushButton(self.tr("选择文件…"))
        self.files_button.clicked.connect(self.choose_files)
        self.folder_button = QPushButton(self.tr("选择文件夹…"))
        self.folder_button.clicked.connect(self.choose_folder)
        self.clear_button = QPushButton(self.tr("清空列表"))
        self.clear_button.clicked.connect(self.clear)
        self.inbox_button = QPushButton(self.tr("收件文件夹…"))
        self.inbox_button.setToolTip(self.tr(
            "邮件或聊天程序保存附件的文件夹:其中新到的报送包会在这里提示"))
        self.inbox_button.clicked.connect(self.edit_inbox_folders)

        # the watched inbox: a banner when returns of ours wait there (nothing is merged
        # before 预览 and then 应用 are clicked)
        self.inbox_scan: InboxScan | None = None
        self.inbox_dialog: InboxFoldersDialog | None = None
        self.inbox_label = QLabel()
        self.inbox_preview = QPushButton(self.tr("预览"))
        self.inbox_preview.clicked.connect(self.preview_inbox)
        self.inbox_banner = QWidget()
        self.inbox_banner.setObjectName("inboxBanner")
        self.inbox_banner.setStyleSheet(
            "#inboxBanner { background: #E3F2FD; border: 1px solid #90CAF9;"
            " border-radius: 4px; }")
        banner = QHBoxLayout(self.inbox_banner)
        banner.setContentsMargins(10, 4, 6, 4)
        banner.addWidget(self.inbox_label, 1)
        banner.addWidget(self.inbox_preview)
        self.inbox_banner.hide()
        db = getattr(parent, "db", None)
        self.watcher: InboxWatcher | None = None
        if db is not None:
            self.watcher = InboxWatcher(db, self)
            self.watcher.scanned.connect(self._inbox_scanned)
            self.watcher.set_folders(inbox_folders(db))

        self.model: RecordTableModel[MergeRow] = RecordTableModel(merge_columns(self.tr), self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = record_view(self.proxy, stretch=11, service_order=True, widths=(
            (0, 230), (1, 110), (2, 80), (3, 40), (4, 100), (5, 52), (6, 52), (7, 64), (8, 40),
            (9, 40), (10, 40)))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.problem_model: RecordTableModel[Problem] = RecordTableModel(
            problem_columns(self.tr), self)
        self.problem_proxy = RecordFilterProxy(self)
        self.problem_proxy.setSourceModel(self.problem_model)
        self.problems = QTableView()
        self.problems.setModel(self.problem_proxy)
        self.problems.verticalHeader().setVisible(False)
        self.problems.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.problems.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 50), (1, 90), (2, 60)):
            self.problems.setColumnWidth(col, width)
        self.problems_label = QLabel(self.tr("选中一个文件查看它的问题(工作表、单元格、说明)。"))

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.conflicts_button = QPushButton(self.tr("处理冲突…"))
        self.conflicts_button.clicked.connect(self.go_to_conflicts)
        self.conflicts_button.hide()
        self.apply_selected_button = QPushButton(self.tr("应用所选"))
        self.apply_selected_button.clicked.connect(self.apply_selected)
        self.apply_all_button = QPushButton(self.tr("应用全部有效"))
        self.apply_all_button.setDefault(True)
        self.apply_all_button.clicked.connect(self.apply_all)

        top = QHBoxLayout()
        top.addWidget(self.drop_zone, 1)
        side = QVBoxLayout()
        side.addWidget(self.files_button)
        side.addWidget(self.folder_button)
        side.addWidget(self.clear_button)
        side.addWidget(self.inbox_button)
        top.addLayout(side)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.problems_label)
        ll.addWidget(self.problems)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.conflicts_button)
        bottom.addWidget(self.apply_selected_button)
        bottom.addWidget(self.apply_all_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.inbox_banner)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._update_buttons()

    # ------------------------------------------------------------ context

    def refresh(self) -> None:
        ctx = self.context
        key = (ctx.plan.plan.id if ctx and ctx.plan else None,
               ctx.period.id if ctx and ctx.period else None)
        if key != self._context_key:
            # previews were checked against another plan/period: start over
            self._context_key = key
            self.model.set_records([])
            self.problem_model.set_records([])
        self._update_buttons()

    def _period_key(self) -> str | None:
        ctx = self.context
        return ctx.period.key if ctx and ctx.period else None

    # ------------------------------------------------------------ adding files

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            self.drop_zone.set_active(True)
            event.acceptProposedAction()
            self._get_ready()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: object) -> None:
        self.drop_zone.set_active(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self.drop_zone.set_active(False)
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    def _get_ready(self) -> None:
        """Files are on their way (dragged over the page, a file dialog opened): the worker
        processes that read a check's files ahead start now, while the person drops or
        picks them (the window lives on; a command-line dry run starts them within its
        batch)."""
        if self.context and self.context.plan and self.context.period and not self._busy:
            warm_readers()

    def choose_files(self) -> None:
        self._get_ready()
        files = dialogs.open_files(self, self.tr("选择报送包"), dialogs.RETURNS_FILTER,
                                     kind="returns")
        if files:
            self.add_paths(files)

    def choose_folder(self) -> None:
        self._get_ready()
        folder = dialogs.choose_directory(self, self.tr("选择存放报送包的文件夹"),
                                           kind="returns")
        if folder:
            self.add_paths([folder])

    def clear(self) -> None:
        self.model.set_records([])
        self.problem_model.set_records([])
        self._update_buttons()

    def add_paths(self, paths: Sequence[str | Path]) -> None:
        """Check the files (dry run, in the background) and list them."""
        ctx = self.context
        if self._busy:
            return  # one check or import at a time; the progress dialog shows it
        if ctx is None or ctx.plan is None or ctx.period is None:
            dialogs.show_info(self, self.tr("请先在上方选择方案和填报周期。"))
            return
        # a packet from a mail or an archive is listed as container/name: the container
        # counts as listed too
        known = {p for r in self.model.records
                 for p in (r.preview.path.resolve(), *r.preview.path.resolve().parents)}
        files = collect_files(paths)
        if known:  # (each resolve walks the path's folders: not for a first drop)
            files = [f for f in files if f.resolve() not in known]
        if not files:
            dialogs.show_info(self, self.tr("没有找到新的填报包文件。"))
            return
        db, period, plan_id = ctx.db, ctx.period.key, ctx.plan.plan.id
        # the files join those listed and not applied yet: the service orders the batch
        pending = [r for r in self.model.records if r.pending]
        batch = [r.preview for r in pending]
        self._set_busy(True)
        _spare_the_collector()
        handle = run_op(
            self, lambda reporter: check_packets(db, files, period=period, plan_id=plan_id,
                                                 reporter=reporter, batch=batch),
            on_success=lambda previews: self._previews_checked(pending, previews),
            on_failure=self._failed,
            on_cancel=lambda: self._set_busy(False), title=self.tr("正在检查报送包…"))
        handle.signals.progress.connect(_FreezeNowAndThen())
        # `finished` is the worker's last signal: after it nothing touches the handle
        handle.signals.finished.connect(self.previews_ready.emit)

    def _previews_checked(self, pending: list[MergeRow],
                          previews: Sequence[PacketPreview]) -> None:
        """Show the service's verdicts: the pending rows restated, then the new files."""
        restated = dict(zip((id(r) for r in pending), previews, strict=False))
        rows = [MergeRow(restated[id(r)]) if id(r) in restated else r
                for r in self.model.records]
        rows.extend(MergeRow(p) for p in previews[len(pending):])
        self.model.set_records(rows)
        self._set_busy(False)
        self._show_summary()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        dialogs.show_error(self, exc)

    # ------------------------------------------------------------ applying

    def applicable(self, rows: Sequence[MergeRow]) -> list[MergeRow]:
        """Rows applying would do something with: new ones, and refusals to record."""
        return [r for r in rows if r.pending and (
            r.preview.status == "new" or (r.preview.status == "rejected"
                                          and r.preview.record_rejection))]

    def apply_all(self) -> None:
        self._apply(self.applicable(self.model.records))

    def apply_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        self._apply(self.applicable([self.proxy.record(r) for r in rows]))

    def _apply(self, rows: list[MergeRow]) -> None:
        ctx = self.context
        if ctx is None or ctx.period is None or ctx.plan is None or not rows:
            return
        db, period, plan_id = ctx.db, ctx.period.key, ctx.plan.plan.id
        previews = [r.preview for r in rows]
        self._set_busy(True)
        _spare_the_collector()

        def done(results: MergeResults) -> None:
            for row, result in zip(rows, results, strict=True):
                row.result = result
            self.model.set_records(list(self.model.records))
            self._set_busy(False)
            self._show_summary()  # run_op then announces results.changes

        handle = run_op(
            self, lambda reporter: apply_packets(db, previews, period=period, plan_id=plan_id,
                                                 reporter=reporter),
            on_success=done, on_failure=self._failed, on_cancel=lambda: self._set_busy(False),
            title=self.tr("正在导入报送包…"))
        handle.signals.finished.connect(self.applied.emit)
        if self.watcher is not None:  # what was merged is no longer offered
            handle.signals.finished.connect(self.watcher.rescan)

    # ------------------------------------------------------------ the watched inbox

    def _inbox_scanned(self, scan: InboxScan) -> None:
        self.inbox_scan = scan
        n = scan.count
        self.badge_changed.emit(str(n) if n else "")
        if not n:
            self.inbox_banner.hide()
            return
        units = list(dict.fromkeys(u for a in scan.arrivals for u in a.units))
        shown = "、".join(units[:6]) + (self.tr(" 等") if len(units) > 6 else "")
        self.inbox_label.setText(self.tr("收到 {0} 个新报送包({1}),在收件文件夹中,尚未导入。")
                                 .format(n, shown))
        self.inbox_banner.show()

    def preview_inbox(self) -> None:
        """One click: the waiting files go into the list for the dry run (not merged)."""
        if self.inbox_scan is not None and self.inbox_scan.arrivals:
            self.add_paths([a.path for a in self.inbox_scan.arrivals])

    def edit_inbox_folders(self) -> InboxFoldersDialog | None:
        if self.watcher is None:
            return None
        dlg = InboxFoldersDialog(self.watcher.folders, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.chosen.connect(self._set_inbox_folders)
        self.inbox_dialog = dlg
        dlg.open()
        return dlg

    def _set_inbox_folders(self, folders: list[str]) -> None:
        if self.watcher is None:
            return
        try:
            stored = set_inbox_folders(self.watcher.db, folders)
        except UserFacingError as exc:
            dialogs.show_error(self, exc)
            return
        self.watcher.set_folders(stored)

    # ------------------------------------------------------------ display

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self._busy
        has_context = bool(self.context and self.context.plan and self.context.period)
        for b in (self.files_button, self.folder_button):
            b.setEnabled(has_context and not busy)
        self.clear_button.setEnabled(bool(self.model.records) and not busy)
        self.apply_all_button.setEnabled(
            not busy and any(r.pending and r.preview.status == "new"
                             for r in self.model.records))
        self.apply_selected_button.setEnabled(not busy and bool(self.model.records))
        if not self.model.records:
            period = self._period_key()
            self.summary.setText(
                self.tr("合并到:{0}。先预览,确认无误后再应用;被拒收的文件不会写入任何数据。")
                .format(period_text(period)) if period else self.tr("请先选择方案和填报周期。"))

    def _show_summary(self) -> None:
        counts: dict[str, int] = {}
        conflicts = 0
        for r in self.model.records:
            counts[r.status_label] = counts.get(r.status_label, 0) + 1
            if r.result is not None:
                conflicts += r.result.conflicts
        text = self.tr("共 {0} 个文件:").format(len(self.model.records)) + "、".join(
            f"{vocab_tr(k)} {v}" for k, v in counts.items())
        if conflicts:
            text += self.tr(";产生 {0} 处冲突,需人工决定。").format(conflicts)
        self.summary.setText(text)
        self.conflicts_button.setVisible(conflicts > 0)
        self._update_buttons()

    def _selection_changed(self, *_: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        if len(rows) != 1:
            self.problem_model.set_records([])
            return
        record: MergeRow = self.proxy.record(rows[0].row())
        self.problem_model.set_records(record.problems)
        self.problems_label.setText(
            self.tr("{0}:{1} 个问题").format(record.preview.path.name, len(record.problems))
            if record.problems else self.tr("{0}:没有问题").format(record.preview.path.name))

    def go_to_conflicts(self) -> None:
        from app.views.district.conflicts_page import ConflictsPage

        window = self.window()
        page = getattr(window, "page", lambda _cls: None)(ConflictsPage)
        if page is not None:
            window.show_page(page)  # type: ignore[attr-defined]


class InboxFoldersDialog(QDialog):
    """收件文件夹: the folders watched for returns (one or more)."""

    chosen = Signal(list)  # list[str]

    def __init__(self, folders: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("收件文件夹"))
        self.resize(560, 320)
        hint = QLabel(self.tr("邮件程序或微信、钉钉保存附件的文件夹。其中新到的报送包(.xlsx、"
                              ".eml、.zip)会在“汇总”页提示,点“预览”后再决定导入;"
                              "不是本数据库的文件不会提示。"))
        hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.addItems(list(folders))
        add = QPushButton(self.tr("添加…"))
        add.clicked.connect(self.add_folder)
        self.remove_button = QPushButton(self.tr("移除"))
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        side.addWidget(add)
        side.addWidget(self.remove_button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)

    def folders(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def add_folder(self) -> None:
        folder = dialogs.choose_directory(self, self.tr("选择收件文件夹"), kind="returns")
        if folder and folder not in self.folders():
            self.list.addItem(folder)

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def accept(self) -> None:
        self.chosen.emit(self.folders())
        super().accept()


def install_merge_actions(window: QWidget, menu: QMenu) -> list[QAction]:
    """填报 menu: 导入报送包… / 导入文件夹… open the 汇总 page's dialogs; 收件登记 and 冲突
    jump to their pages."""
    from app.views.district.conflicts_page import ConflictsPage
    from app.views.district.receipts_page import ReceiptsPage

    def page_of(cls: type) -> QWidget | None:
        find = getattr(window, "page", None)
        return find(cls) if find else None

    def show(cls: type) -> QWidget | None:
        page = page_of(cls)
        if page is not None:
            window.show_page(page)  # type: ignore[attr-defined]
        return page

    def choose(folder: bool) -> None:
        page = show(MergePage)
        if isinstance(page, MergePage) and folder:
            page.choose_folder()
        elif isinstance(page, MergePage):
            page.choose_files()

    actions = []
    translate = QCoreApplication.translate  # `window.tr` would use the window's class name
    for text, shortcut, slot in (
            (translate("ReturnsMenu", "导入报送包…"), "Ctrl+I", lambda: choose(False)),
            (translate("ReturnsMenu", "导入文件夹中的报送包…"), "Ctrl+Shift+I",
             lambda: choose(True)),
            (translate("ReturnsMenu", "收件登记"), "", lambda: show(ReceiptsPage)),
            (translate("ReturnsMenu", "冲突"), "", lambda: show(ConflictsPage))):
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        actions.append(action)
    return actions
