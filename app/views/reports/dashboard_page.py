"""看板: the period at a glance — key figures, charts, and the tasks behind schedule.

The figures come from ``app.services.reports.summary`` and the charts from
``app.services.reports.charts`` (the same figures the printed 通报 uses). The summary is
counted off the GUI thread; then each chart is drawn off it too, one at a time, at its
widget's size (``chart_view``: the GUI thread only shows the pictures, so no paint blocks
the window even for the tall per-unit charts at 100 units). The tiles and the table show
as soon as the summary is in; each chart as soon as it is drawn.
Clicking a bar opens the matching tasks on the 任务 page (a unit's bar filters by unit, a
section's bar selects the section); right-clicking a chart exports it as PNG.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QObject,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QMenu,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.jobs import Cancelled, Reporter
from app.core.vocab import BEHIND_REASON_LABELS, STATUS_LABELS
from app.services.reports.summary import PeriodSummary, period_summary
from app.views.i18n import period_text, vocab_tr
from app.views.reports.chart_view import ChartQueue, ChartView
from app.views.widgets.page import Page
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel

log = logging.getLogger(__name__)
PNG_FILTER = str(QT_TRANSLATE_NOOP("FileFilter", "PNG 图片 (*.png)"))

# chart name → (grid row, column, column span)
LAYOUT = {
    "status_by_section": (0, 0, 1),
    "attainment": (0, 1, 1),
    "trend": (1, 0, 2),
    "returns": (2, 0, 1),
    "status_by_unit": (2, 1, 1),
}


@dataclass(frozen=True)
class BehindRow:
    code: str
    title: str
    lead: str
    unit: str
    state: str
    problems: str


@dataclass
class DashboardData:
    summary: PeriodSummary


def build_dashboard(db: Any, plan_id: int, period: str, unit: str | None,
                    section_id: int | None, reporter: Reporter | None = None) -> DashboardData:
    """The dashboard's figures (no widgets: runs on a worker thread; the charts are drawn
    afterwards, each at its widget's size)."""
    reporter = reporter or Reporter()
    reporter.step(0, 1, QCoreApplication.translate("DashboardPage", "统计本期数据"))
    from app.services.reports.chart_process import chart_process

    chart_process().start()  # warms up while the figures are counted
    summary = period_summary(db, period, plan_id, unit=unit, section_id=section_id)
    reporter.step(1, 1, "")
    return DashboardData(summary)


def behind_rows(summary: PeriodSummary) -> list[BehindRow]:
    rows = []
    for b in summary.behind:
        for e in b.entries:
            state = vocab_tr(BEHIND_REASON_LABELS[e.reason])
            if e.reason == "overdue" and b.deadline:
                state += QCoreApplication.translate("DashboardPage", "(时限 {0})").format(
                    b.deadline)
            if e.percent is not None:
                state += f" · {e.percent:g}%"
            rows.append(BehindRow(b.code, b.title, "、".join(b.lead), e.unit, state,
                                  e.problems))
    return rows


def _alive(obj: Any) -> bool:
    from shiboken6 import isValid

    return bool(isValid(obj))


def _tile(title: str) -> tuple[QFrame, QLabel, QLabel]:
    frame = QFrame()
    frame.setObjectName("tile")
    frame.setStyleSheet("#tile { background: #F7F9FC; border: 1px solid #DDE3EA;"
                        " border-radius: 6px; }")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(12, 8, 12, 8)
    caption = QLabel(title)
    caption.setStyleSheet("color: #5F6B7A;")
    value = QLabel("—")
    value.setStyleSheet("font-size: 20pt; font-weight: 600; color: #1F2937;")
    detail = QLabel("")
    detail.setStyleSheet("color: #5F6B7A;")
    detail.setWordWrap(True)
    layout.addWidget(caption)
    layout.addWidget(value)
    layout.addWidget(detail)
    return frame, value, detail


class DashboardPage(Page):
    title = "看板"
    # reported progress, who returned, open conflicts
    watches = Changes(progress=True, receipts=True, packets=True, conflicts=True)
    updated = Signal()  # the tiles, table and every chart show the current context and filters
    drilled = Signal(str, str, str)  # kind, key, status/state of a clicked bar
    exported = Signal(list)  # the PNG files an export wrote ([Path])

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: DashboardData | None = None
        self._export_announce: tuple[bool, Path | None] = (False, None)
        self.chart_queue = ChartQueue(self)  # one chart drawn at a time
        self.charts: dict[str, ChartView] = {}  # made with the first summary, then reused
        self._announced = True  # `updated` was emitted for the data shown
        self.message_box: Any = None  # the last "已导出" notice
        self._generation = 0
        self._dirty = True
        self._handles: list[Any] = []

        self.unit_filter = QComboBox()
        self.unit_filter.setMinimumWidth(170)
        self.section_filter = QComboBox()
        self.section_filter.setMinimumWidth(220)
        self.unit_filter.currentIndexChanged.connect(self._filters_changed)
        self.section_filter.currentIndexChanged.connect(self._filters_changed)
        self.export_button = QPushButton(self.tr("导出图表…"))
        self.export_button.setToolTip(self.tr("把全部图表保存为 PNG 图片"))
        self.export_button.clicked.connect(self.export_all)
        self.status = QLabel()
        self.status.setStyleSheet("color: #5F6B7A;")

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("单位")))
        bar.addWidget(self.unit_filter)
        bar.addSpacing(8)
        bar.addWidget(QLabel(self.tr("领域")))
        bar.addWidget(self.section_filter)
        bar.addStretch(1)
        bar.addWidget(self.status)
        bar.addWidget(self.export_button)

        tiles = QHBoxLayout()
        frame, self.tile_returns, self.tile_returns_detail = _tile(self.tr("报送"))
        tiles.addWidget(frame)
        frame, self.tile_average, self.tile_average_detail = _tile(self.tr("平均完成进度"))
        tiles.addWidget(frame)
        frame, self.tile_behind, self.tile_behind_detail = _tile(self.tr("滞后任务"))
        tiles.addWidget(frame)
        frame, self.tile_indicators, self.tile_indicators_detail = _tile(self.tr("指标达标"))
        tiles.addWidget(frame)

        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        self.placeholder = QLabel(self.tr("正在生成图表…"))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMinimumHeight(200)
        self.grid.addWidget(self.placeholder, 0, 0, 1, 2)

        self.behind_model: RecordTableModel[BehindRow] = RecordTableModel([
            Column(self.tr("编号"), lambda r: r.code),
            Column(self.tr("任务"), lambda r: r.title),
            Column(self.tr("牵头单位"), lambda r: r.lead),
            Column(self.tr("填报单位"), lambda r: r.unit),
            Column(self.tr("情况"), lambda r: r.state,
                   background=lambda r: "#FDE2E1"),
            Column(self.tr("存在问题"), lambda r: r.problems, tooltip=lambda r: r.problems),
        ])
        self.behind_proxy = RecordFilterProxy()
        self.behind_proxy.setSourceModel(self.behind_model)
        self.behind_table = QTableView()
        self.behind_table.setModel(self.behind_proxy)
        self.behind_table.verticalHeader().setVisible(False)
        self.behind_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.behind_table.setWordWrap(False)
        self.behind_table.horizontalHeader().setSectionResizeMode(
            5, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 70), (1, 220), (2, 150), (3, 130), (4, 150)):
            self.behind_table.setColumnWidth(col, width)
        self.behind_table.setMinimumHeight(180)
        self.behind_table.doubleClicked.connect(self._behind_clicked)
        self.behind_label = QLabel(self.tr("滞后及逾期未完成任务"))
        self.behind_label.setStyleSheet("font-weight: 600;")

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        # the charts have fixed heights: let the content grow and the scroll area scroll
        body.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        body.addLayout(tiles)
        body.addLayout(self.grid)
        body.addWidget(self.behind_label)
        body.addWidget(self.behind_table)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(content)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.scroll_area)

    # ------------------------------------------------------------ context and filters

    def set_context(self, context: Any) -> None:
        previous = self.context
        self.context = context
        plan = context.plan if context else None
        if previous is None or previous.plan is None or plan is None \
                or previous.plan.plan.id != plan.plan.id:
            self._fill_filters()
        self.refresh()

    def _fill_filters(self) -> None:
        plan = self.context.plan if self.context else None
        for combo in (self.unit_filter, self.section_filter):
            combo.blockSignals(True)
            combo.clear()
        self.unit_filter.addItem(self.tr("全部单位"), None)
        self.section_filter.addItem(self.tr("全部领域"), None)
        if plan is not None:
            assigned = {n for t in plan.tasks for n in t.units()} | {
                n for i in plan.indicators for n in i.lead}
            for u in plan.units:
                if u.name in assigned and u.kind != "district_office":
                    self.unit_filter.addItem(u.name, u.name)
            depth: dict[int, int] = {}
            for s in plan.sections:
                depth[s.id] = 0 if s.parent_id is None else depth.get(s.parent_id, 0) + 1
                self.section_filter.addItem("    " * depth[s.id] + f"{s.code} {s.title}".strip(),
                                            s.id)
        for combo in (self.unit_filter, self.section_filter):
            combo.blockSignals(False)

    def set_filters(self, unit: str | None = None, section_id: int | None = None) -> None:
        """Programmatic filter choice (tests, links from other pages)."""
        for combo, value in ((self.unit_filter, unit), (self.section_filter, section_id)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self._filters_changed()

    def _filters_changed(self, *_: object) -> None:
        self._dirty = True
        self.refresh()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        """Rebuild the summary and charts (only while visible; otherwise on next show)."""
        self._dirty = True
        ctx = self.context
        if ctx is None or ctx.plan is None or ctx.period is None:
            self._clear(self.tr("请选择方案和填报周期。"))
            return
        if not self.isVisible():
            return
        self._dirty = False
        self._generation += 1
        generation = self._generation
        unit = self.unit_filter.currentData()
        section = self.section_filter.currentData()
        plan_id, period = ctx.plan.plan.id, ctx.period.key
        db = ctx.db
        self.status.setText(self.tr("正在统计…"))
        from app.views.ops import run_op

        # no parent and bound-method callbacks: if the page goes away while the worker
        # runs, Qt drops the connections instead of calling into a deleted widget; the
        # progress (with 取消) shows over the page, as for issuing
        handle = run_op(
            None, lambda reporter: (generation, build_dashboard(db, plan_id, period, unit,
                                                                section, reporter)),
            on_success=self._on_result, on_failure=self._on_failure,
            on_cancel=self._on_cancel, title=self.tr("正在统计看板…"), progress_over=self)
        self._handles.append(handle)
        handle.destroyed.connect(self._forget_finished)

    def _forget_finished(self, *_: object) -> None:
        self._handles = [h for h in self._handles if _alive(h)]

    def _on_result(self, result: tuple[int, DashboardData]) -> None:
        generation, data = result
        self._show(data, generation)

    def _on_failure(self, exc: BaseException) -> None:
        from app.views.widgets.dialogs import error_text

        self._clear(error_text(exc))

    def _on_cancel(self) -> None:
        """Cancelled: say so; the next period, filter or showing of the page counts again."""
        self._clear(self.tr("已取消统计。切换周期、筛选或重新打开本页时再统计。"))
        self._dirty = True

    def _clear(self, text: str) -> None:
        self.data = None
        for view in self.charts.values():
            self.chart_queue.forget(view)
            view.hide()
        self.placeholder.setText(text)
        self.placeholder.show()
        self.status.setText("")
        self.behind_model.set_records([])

    # ------------------------------------------------------------ showing

    def _chart(self, name: str) -> ChartView:
        view = self.charts.get(name)
        if view is None:
            view = self.charts[name] = ChartView(name, self.chart_queue)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(
                lambda pos, n=name: self._chart_menu(n, pos))
            view.picked.connect(self.open_gid)
            view.rendered.connect(self._chart_rendered)
            view.installEventFilter(self)  # the wheel scrolls the page
            view.setToolTip(self.tr("点击柱条查看对应任务;右键导出图片"))
            row, col, span = LAYOUT[name]
            self.grid.addWidget(view, row, col, 1, span)
        return view

    def _show(self, data: DashboardData, generation: int) -> None:
        if generation != self._generation:
            return  # a newer request is on its way
        from app.services.reports.charts import CHARTS, figure_height

        self.data = data
        self.placeholder.hide()
        s = data.summary
        row_height: dict[int, int] = {}
        for name in CHARTS:  # charts side by side share one height
            row = LAYOUT[name][0]
            row_height[row] = max(row_height.get(row, 0), round(figure_height(name, s) * 100))
        self._announced = False
        for name in CHARTS:
            view = self._chart(name)
            view.set_summary(s, row_height[LAYOUT[name][0]])
            view.show()
        self._tiles(s)
        rows = behind_rows(s)
        self.behind_model.set_records(rows)
        self.behind_label.setText(self.tr("滞后及逾期未完成任务({0} 项任务,{1} 条)").format(
            len(s.behind), len(rows)))
        self.status.setText(self.tr("{0} · 截止 {1}").format(period_text(s.period.key),
                                                            s.period.due.isoformat()))

    def _chart_rendered(self) -> None:
        """Say `updated` once every chart of the data shown has its picture."""
        if not self._announced and self.data is not None \
                and all(v.ready for v in self.charts.values()):
            self._announced = True
            self.updated.emit()

    def _tiles(self, s: PeriodSummary) -> None:
        t, p = s.totals, s.previous_totals
        self.tile_returns.setText(f"{t.returned}/{t.units}")
        self.tile_returns_detail.setText(self.tr("按时 {0} · 迟报 {1} · 未报 {2}").format(
            t.on_time, t.late, t.missing))
        avg = t.tasks.average
        self.tile_average.setText("—" if avg is None else f"{avg:.1f}%")
        change = s.average_change
        self.tile_average_detail.setText("" if change is None else self.tr(
            "较上期 {0} 个百分点").format(f"{change:+.1f}"))
        self.tile_behind.setText(str(t.behind_tasks))
        self.tile_behind_detail.setText(self.tr("涉及 {0} 条填报 · 标为{1} {2} 条").format(
            sum(len(b.entries) for b in s.behind), vocab_tr(STATUS_LABELS["behind"]),
            t.tasks.count("behind")) + ("" if p is None else self.tr(" · 上期 {0} 项").format(
                p.behind_tasks)))
        a = t.attainment
        self.tile_indicators.setText(f"{a['met']}/{sum(a.values())}")
        self.tile_indicators_detail.setText(self.tr("未达标 {0} · 待评估 {1}").format(
            a["not_met"], a["pending"]))

    # ------------------------------------------------------------ clicking

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A wheel notch over a chart scrolls the page (matplotlib would take it as a pick)."""
        if event.type() == QEvent.Type.Wheel and watched in self.charts.values():
            QCoreApplication.sendEvent(self.scroll_area.verticalScrollBar(), event)
            return True
        return super().eventFilter(watched, event)

    def open_gid(self, gid: str) -> None:
        """Open what a chart element stands for: ``kind|key|status``."""
        kind, _, rest = gid.partition("|")
        key, _, status = rest.rpartition("|")
        self.drilled.emit(kind, key, status)
        window: Any = self.window()
        if kind in ("unit", "return", "section"):
            from app.views.plans.tasks_page import TasksPage

            page = window.page(TasksPage) if hasattr(window, "page") else None
            if page is None:
                return
            page.search.setText("")
            if kind == "section":
                page.set_unit_filter(None)
                page.select_section(int(key))
            else:
                page.select_section(None)
                page.set_unit_filter(key)
            window.show_page(page)
        elif kind == "indicator":
            from app.views.plans.catalog_page import IndicatorsPage

            ipage = window.page(IndicatorsPage) if hasattr(window, "page") else None
            if ipage is not None:
                ipage.search.setText(key if key != "指标" else "")
                window.show_page(ipage)
        elif kind == "trend" and hasattr(window, "select_period"):
            window.select_period(key)

    def _behind_clicked(self, index: Any) -> None:
        row = self.behind_proxy.record(index.row())
        if row is not None:
            self.open_gid(f"unit|{row.unit}|behind")

    # ------------------------------------------------------------ export

    def _chart_menu(self, name: str, pos: QPoint) -> None:
        menu = QMenu(self)
        action = QAction(self.tr("导出此图为 PNG…"), menu)
        action.triggered.connect(lambda: self.export_chart(name))
        menu.addAction(action)
        menu.popup(self.charts[name].mapToGlobal(pos))

    def _base_name(self) -> str:
        s = self.data.summary if self.data else None
        return f"{s.period.key}" if s else "chart"

    def export_chart(self, name: str, path: str | None = None) -> Path | None:
        """Save one chart as a PNG (200 dpi, laid out as shown), asking where unless `path`
        is given. Drawn off the GUI thread: returns the file it will write, `exported`
        says when it is there."""
        from app.services.reports.charts import CHARTS
        from app.views.widgets.dialogs import save_file

        if self.data is None:
            return None
        announce = path is None  # asked where: say where it went
        if path is None:
            path = save_file(self, self.tr("导出图表"),
                             f"{self._base_name()}-{CHARTS[name][0]}.png", PNG_FILTER,
                             kind="exports")
        if not path:
            return None
        target = Path(path).with_suffix(".png")
        self._export({name: target}, announce)
        return target

    def export_all(self, folder: str | None = None) -> list[Path]:
        """Save every chart as PNG into a folder (asked for unless given); drawn off the GUI
        thread with progress and 取消, `exported` says when they are written."""
        from app.services.reports.charts import CHARTS
        from app.views.widgets.dialogs import choose_directory

        if self.data is None:
            return []
        if not folder:
            folder = choose_directory(self, self.tr("选择保存图表的文件夹"), kind="exports")
        if not folder:
            return []
        targets = {name: Path(folder) / f"{self._base_name()}-{CHARTS[name][0]}.png"
                   for name in CHARTS}
        self._export(targets, announce=True, folder=Path(folder))
        return list(targets.values())

    def _export(self, targets: dict[str, Path], announce: bool,
                folder: Path | None = None) -> None:
        from app.services.reports.chart_process import chart_process
        from app.services.reports.charts import CHARTS
        from app.views.ops import run_op

        assert self.data is not None
        summary = self.data.summary
        sizes = {name: (max(view.width(), 640), view.height())
                 for name, view in self.charts.items()}

        def work(reporter: Reporter) -> list[Path]:
            def stop_if_cancelled() -> None:
                if reporter.cancelled:
                    raise Cancelled

            written = []
            for i, (name, target) in enumerate(targets.items()):
                reporter.step(i, len(targets), CHARTS[name][0])
                # drawn in the chart process: matplotlib would hold this process's GIL
                target.write_bytes(chart_process().png(name, summary, *sizes[name], dpi=200,
                                                       check=stop_if_cancelled))
                written.append(target)
            return written

        self._export_announce = (announce, folder)
        run_op(None, work, on_success=self._exported, on_failure=self._export_failed,
               title=self.tr("正在导出图表…"), progress_over=self)

    def _exported(self, written: list[Path]) -> None:
        from app.views.widgets.dialogs import show_written

        announce, folder = self._export_announce
        if announce and written:
            if folder is not None:
                self.message_box = show_written(
                    self, self.tr("已导出 {0} 张图表。").format(len(written)), folder)
            else:
                self.message_box = show_written(self, self.tr("已导出图表。"), written[0])
        self.exported.emit(written)

    def _export_failed(self, exc: BaseException) -> None:
        from app.views.widgets.dialogs import show_error

        show_error(self, exc)
