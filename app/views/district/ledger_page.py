"""台账: what every unit reported on every task item for the chosen plan and period.

Three views in tabs: the grid (task items × units, with filters and the report behind the
selected cell), one unit's whole period as the clerk filled it, and — for plans of
rectification measures — the 整改清单 (item, 责任单位, 整改时限, state). The grid is one
``ledger_grid`` service call; filters only rebuild the model's row and column lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import UserFacingError
from app.core.jobs import Cancelled, Reporter
from app.core.vocab import FIELD_LABELS, ROLE_LABELS, STATUS_LABELS
from app.services.district.approval import approve
from app.services.district.ledger import (
    DISTRICT_EDIT,
    CellDetail,
    ChangeRecord,
    HistoryPoint,
    LedgerGrid,
    RectificationItem,
    cell_detail,
    is_rectification_plan,
    ledger_grid,
    rectification_list,
    unit_period,
)
from app.services.packets.values import display
from app.views.bus import Changes, bus
from app.views.district.ledger_dialogs import CloseOutDialog, EditDialog
from app.views.district.ledger_model import Arrangement, LedgerFilter, LedgerModel, arrange
from app.views.i18n import period_text, vocab_tr
from app.views.ops import OpHandle, run_op
from app.views.widgets import dialogs
from app.views.widgets.page import Page
from app.views.widgets.table_model import Column, RecordFilterProxy, RecordTableModel, record_view

RECTIFICATION_COLOURS = {"closed": "#E0E0E0", "done": "#DDF3DD", "overdue": "#FFD9D6"}


def _status(code: str | None) -> str:
    return vocab_tr(STATUS_LABELS[code]) if code else ""


def _pct(value: Any) -> str:
    return f"{value:g}%" if isinstance(value, int | float) else ""


def history_columns(tr: Callable[[str], str]) -> list[Column[HistoryPoint]]:
    return [
        Column(tr("周期"), lambda h: period_text(h.period), sort_key=lambda h: h.period),
        Column(tr("状态"), lambda h: _status(h.status)),
        Column(tr("进度"), lambda h: _pct(h.percent), align_right=True),
        Column(tr("来源"), lambda h: tr("区里更正") if h.edited else h.source,
               tooltip=lambda h: h.source or None),
    ]


def change_columns(tr: Callable[[str], str]) -> list[Column[ChangeRecord]]:
    def what(c: ChangeRecord) -> str:
        return vocab_tr(FIELD_LABELS.get(c.field.removesuffix(":kept"), c.field))

    return [
        Column(tr("时间"), lambda c: f"{c.at:%m-%d %H:%M}", sort_key=lambda c: c.at.isoformat()),
        Column(tr("字段"), what),
        Column(tr("原值"), lambda c: display(c.field, c.old), tooltip=lambda c: c.old),
        Column(tr("新值"), lambda c: display(c.field, c.new), tooltip=lambda c: c.new),
        Column(tr("来源"), lambda c: tr("区里更正") if c.kind == DISTRICT_EDIT else
               (tr("报送") if c.packet_id else c.actor),
               background=lambda c: "#FFF2CC" if c.kind == DISTRICT_EDIT else None),
        Column(tr("说明"), lambda c: c.note, tooltip=lambda c: c.note or None),
    ]


def unit_columns(tr: Callable[[str], str]) -> list[Column[CellDetail]]:
    def v(f: str) -> Callable[[CellDetail], Any]:
        return lambda d: (d.values or {}).get(f) or ""

    return [
        Column(tr("编号"), lambda d: d.task_code),
        Column(tr("任务"), lambda d: d.task_title, tooltip=lambda d: d.task_text),
        Column(tr("角色"), lambda d: vocab_tr(ROLE_LABELS[d.role])),
        Column(tr("状态"), lambda d: tr("已销号") if d.closed_on else
               _status((d.values or {}).get("status")) or tr("未报"),
               background=lambda d: "#FFD9D6" if d.behind else None),
        Column(tr("进度"), lambda d: _pct((d.values or {}).get("percent")), align_right=True),
        Column(vocab_tr(FIELD_LABELS["progress"]), v("progress"), tooltip=v("progress")),
        Column(vocab_tr(FIELD_LABELS["problems"]), v("problems"), tooltip=v("problems")),
        Column(vocab_tr(FIELD_LABELS["next_steps"]), v("next_steps"), tooltip=v("next_steps")),
        Column(vocab_tr(FIELD_LABELS["responsible"]), v("responsible")),
        Column(vocab_tr(FIELD_LABELS["phone"]), v("phone")),
        Column(vocab_tr(FIELD_LABELS["completed_on"]), v("completed_on")),
    ]


def rectification_columns(tr: Callable[[str], str]) -> list[Column[RectificationItem]]:
    labels = {"open": tr("未完成"), "done": tr("已完成待销号"), "closed": tr("已销号"),
              "overdue": tr("逾期")}
    return [
        Column(tr("编号"), lambda r: r.code),
        Column(tr("整改事项"), lambda r: r.title, tooltip=lambda r: r.section or None),
        Column(tr("责任单位"), lambda r: "、".join(r.responsible),
               tooltip=lambda r: "、".join(r.responsible) or None),
        Column(tr("整改时限"), lambda r: r.deadline or ""),
        Column(tr("整改目标"), lambda r: r.target or "", tooltip=lambda r: r.target),
        Column(tr("状态"), lambda r: labels[r.state] + (
            f" {r.closed_on.isoformat()}" if r.closed_on else ""),
            background=lambda r: RECTIFICATION_COLOURS.get(r.state)),
        Column(tr("已完成/单位"), lambda r: f"{r.completed}/{r.units}", align_right=True),
    ]


class CellPane(QWidget):
    """The report behind the selected cell: entry, source, history, actions."""

    def __init__(self, page: LedgerPage) -> None:
        super().__init__(page)
        self.page = page
        self.detail: CellDetail | None = None
        self.chart_job: OpHandle | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 14px; font-weight: bold;")
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for f in ("progress", "problems", "next_steps", "responsible", "phone", "completed_on"):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[f] = label
            form.addRow(vocab_tr(FIELD_LABELS[f]), label)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color: #555;")
        self.history_model: RecordTableModel[HistoryPoint] = RecordTableModel(
            history_columns(self.tr))
        self.history_proxy = RecordFilterProxy()
        self.history_proxy.setSourceModel(self.history_model)
        self.history = record_view(self.history_proxy, service_order=True)
        self.history.setMaximumHeight(140)
        self.history.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.chart = QLabel()
        self.chart.setMinimumHeight(120)
        self.chart.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.changes_model: RecordTableModel[ChangeRecord] = RecordTableModel(
            change_columns(self.tr))
        self.changes_proxy = RecordFilterProxy()
        self.changes_proxy.setSourceModel(self.changes_model)
        self.changes = record_view(self.changes_proxy, service_order=True)
        self.changes.setMaximumHeight(140)
        self.changes.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.edit_button = QPushButton(self.tr("更正…"))
        self.edit_button.clicked.connect(self.open_edit)
        self.approve_button = QPushButton(self.tr("审核通过"))
        self.approve_button.clicked.connect(self.toggle_approval)
        self.close_button = QPushButton(self.tr("销号…"))
        self.close_button.clicked.connect(self.toggle_close_out)
        self.dialog: EditDialog | CloseOutDialog | None = None

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(self.heading)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addWidget(self.source)
        layout.addWidget(QLabel(self.tr("历期进度")))
        layout.addWidget(self.chart)
        layout.addWidget(self.history)
        layout.addWidget(QLabel(self.tr("本期改动记录")))
        layout.addWidget(self.changes)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)
        self.show_detail(None)

    def show_detail(self, detail: CellDetail | None) -> None:
        self.detail = detail
        for button in (self.edit_button, self.approve_button, self.close_button):
            button.setEnabled(detail is not None)
        self.chart.clear()
        if detail is None:
            self.heading.setText(self.tr("选择台账中的一格,查看该单位本期填报的内容、来源和历期进度。"))
            self.state.setText("")
            self.source.setText("")
            for label in self.fields.values():
                label.setText("")
            self.history_model.set_records([])
            self.changes_model.set_records([])
            return
        d = detail
        self.heading.setText(f"{d.task_code} {d.task_title}\n{d.unit} · "
                             f"{vocab_tr(ROLE_LABELS[d.role])} · {period_text(d.period)}")
        values = d.values or {}
        parts: list[str] = []
        if d.values is None:
            parts.append(self.tr("本期未报"))
        else:
            parts.append(_status(values.get("status")) or self.tr("未填状态"))
            if values.get("percent") is not None:
                parts.append(_pct(values["percent"]))
        if d.previous and d.previous.get("percent") is not None:
            parts.append(self.tr("上期 {0}").format(_pct(d.previous["percent"])))
        if d.backwards:
            parts.append(self.tr("⚠ 进度倒退"))
        if d.behind:
            parts.append(self.tr("滞后") if d.behind == "behind" else self.tr("逾期未完成"))
        if d.approved_at:
            parts.append(self.tr("✓ 已审核 {0}").format(f"{d.approved_at:%Y-%m-%d}"))
        if d.closed_on:
            parts.append(self.tr("已销号 {0}({1})").format(d.closed_on.isoformat(),
                                                          d.closed_note))
        self.state.setText(" · ".join(parts))
        colour = "#C62828" if d.behind or d.backwards else "#212121"
        self.state.setStyleSheet(f"font-size: 13px; color: {colour};")
        for f, label in self.fields.items():
            label.setText(str(values.get(f) or ""))
        src: list[str] = []
        if d.file_name:
            src.append(self.tr("来源:{0}(第 {1} 版)").format(d.file_name, d.revision))
        if d.received_at:
            src.append(self.tr("{0} 收").format(f"{d.received_at:%Y-%m-%d %H:%M}"))
        if d.mail:
            src.append(self.tr("邮件:{0}").format(d.mail))
        if d.where():
            src.append(d.where())
        edits = [s for s in d.sources.values() if s.kind == DISTRICT_EDIT]
        if edits:
            src.append(self.tr("区里更正:{0}").format("、".join(
                vocab_tr(FIELD_LABELS.get(s.field, s.field)) for s in edits)))
        self.source.setText(" · ".join(src))
        self.history_model.set_records(d.history)
        self.changes_model.set_records(d.changes)
        self.approve_button.setText(self.tr("取消审核") if d.approved_at else self.tr("审核通过"))
        self.close_button.setText(self.tr("撤销销号") if d.closed_on else self.tr("销号…"))
        self._draw_history(d)

    def _draw_history(self, d: CellDetail) -> None:
        points = [(h.period, h.percent) for h in d.history]
        if not points:
            return
        from app.services.reports.chart_process import chart_process

        key = (d.unit, d.task_code, d.period)

        def draw(reporter: Reporter) -> tuple[tuple[str, str, str], bytes]:
            def check() -> None:
                if reporter.cancelled:
                    raise Cancelled

            # drawn in the chart process: matplotlib would hold this process's GIL
            return key, chart_process().history_png(points, check=check)

        # no parent and bound-method callbacks: if the pane goes while the line is drawn,
        # Qt drops the connections instead of calling into a deleted widget
        self.chart_job = run_op(None, draw, on_success=self._history_drawn,
                                on_failure=self._history_failed, show_progress=False)

    def _history_drawn(self, result: tuple[tuple[str, str, str], bytes]) -> None:
        key, png = result
        d = self.detail
        if d is not None and (d.unit, d.task_code, d.period) == key:  # still the one shown
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            self.chart.setPixmap(pixmap)

    def _history_failed(self, _exc: BaseException) -> None:
        """No line (the chart process could not draw it): the table below it has the same
        figures, so nothing is said (a bug is logged by run_op)."""

    # ---------------------------------------------------------------- actions

    def open_edit(self) -> None:
        if self.detail is None:
            return
        self.dialog = EditDialog(self.page.db(), self.detail, self)
        self.dialog.open()

    def toggle_approval(self) -> None:
        d = self.detail
        if d is None:
            return
        try:
            approve(self.page.db(), d.period, d.unit, plan_id=d.plan_id,
                    undo=d.approved_at is not None)
        except UserFacingError as exc:
            dialogs.show_error(self, exc)
            return
        bus.changed.emit(Changes(progress=True, receipts=True, audit=True, note="ledger-approval"))

    def toggle_close_out(self) -> None:
        d = self.detail
        if d is None:
            return
        if d.closed_on is None:
            self.dialog = CloseOutDialog(self.page.db(), d, self)
            self.dialog.open()
            return
        from app.services.district.approval import close_out

        try:
            close_out(self.page.db(), d.task_code, unit=d.unit, plan_id=d.plan_id, undo=True)
        except UserFacingError as exc:
            dialogs.show_error(self, exc)
            return
        bus.changed.emit(Changes(progress=True, audit=True, note="ledger-reopen"))


class LedgerPage(Page):
    title = "台账"
    # the grid of the latest refresh is shown (or its failure said): for tests and anyone
    # who acts on the grid right after a change
    loaded = Signal()
    unit_loaded = Signal()  # ... and the 单位本期 tab's

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid: LedgerGrid | None = None
        self._reading = False  # a grid is being read off the GUI thread
        self._again = False  # ... and a refresh was asked for meanwhile: read again after
        self._shown = 0  # reports shown in the pane (one per selection, not two)
        self._unit_reading = self._unit_again = False  # as _reading/_again, 单位本期 tab
        self.model = LedgerModel(self.tr)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setDefaultSectionSize(74)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.selectionModel().selectionChanged.connect(self._cell_selected)
        self.pane = CellPane(self)

        self.units = QComboBox()
        self.units.setMinimumWidth(150)
        self.sections = QComboBox()
        self.sections.setMinimumWidth(180)
        self.behind = QCheckBox(self.tr("只看滞后"))
        self.unreported = QCheckBox(self.tr("只看未报"))
        self.changed = QCheckBox(self.tr("只看有变化"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索编号或任务…"))
        self.search.setClearButtonEnabled(True)
        for box in (self.units, self.sections):
            box.currentIndexChanged.connect(self._filter_changed)
        for check in (self.behind, self.unreported, self.changed):
            check.toggled.connect(self._filter_changed)
        self.search.textChanged.connect(self._filter_changed)
        self.summary = QLabel()
        self.legend = QLabel(self.tr("○ 未报 · ◐ 推进中 · ● 已完成 · ∞ 长期坚持 · ! 滞后 · "
                                     "↑↓ 较上期 · ✎ 区里更正 · ✓ 已审核 · 销号 已销号"))
        self.legend.setStyleSheet("color: #666;")

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("单位")))
        bar.addWidget(self.units)
        bar.addWidget(QLabel(self.tr("领域")))
        bar.addWidget(self.sections)
        bar.addWidget(self.behind)
        bar.addWidget(self.unreported)
        bar.addWidget(self.changed)
        bar.addWidget(self.search, 1)
        grid_tab = QWidget()
        gl = QVBoxLayout(grid_tab)
        gl.setContentsMargins(0, 0, 0, 0)
        gl.addLayout(bar)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([820, 420])
        gl.addWidget(splitter, 1)
        gl.addWidget(self.legend)

        # one unit's whole period
        self.unit_choice = QComboBox()
        self.unit_choice.setMinimumWidth(180)
        self.unit_choice.currentIndexChanged.connect(self._refresh_unit)
        self.unit_model: RecordTableModel[CellDetail] = RecordTableModel(unit_columns(self.tr))
        self.unit_proxy = RecordFilterProxy()
        self.unit_proxy.setSourceModel(self.unit_model)
        self.unit_table = record_view(self.unit_proxy, service_order=True,
                                      widths=((0, 64), (1, 220), (2, 50), (3, 80), (4, 56),
                                              (5, 260), (6, 180), (7, 180)))
        self.unit_summary = QLabel()
        unit_tab = QWidget()
        ul = QVBoxLayout(unit_tab)
        ul.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("单位")))
        row.addWidget(self.unit_choice)
        row.addWidget(self.unit_summary, 1)
        ul.addLayout(row)
        ul.addWidget(self.unit_table, 1)

        # 整改清单
        self.rect_model: RecordTableModel[RectificationItem] = RecordTableModel(
            rectification_columns(self.tr))
        self.rect_proxy = RecordFilterProxy()
        self.rect_proxy.setSourceModel(self.rect_model)
        self.rect_table = record_view(self.rect_proxy, service_order=True,
                                      widths=((0, 56), (1, 300), (2, 220), (3, 80), (4, 300),
                                              (5, 130)))
        self.rect_summary = QLabel()
        rect_tab = QWidget()
        rl = QVBoxLayout(rect_tab)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.rect_summary)
        rl.addWidget(self.rect_table, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(grid_tab, self.tr("台账"))
        self.tabs.addTab(unit_tab, self.tr("单位本期"))
        self.tabs.addTab(rect_tab, self.tr("整改清单"))
        self.tabs.currentChanged.connect(self._tab_changed)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def db(self) -> Any:
        assert self.context is not None
        return self.context.db

    # ---------------------------------------------------------------- loading

    @property
    def loading(self) -> bool:
        """A grid is being read."""
        return self._reading

    def refresh(self) -> None:
        """Read the grid off the GUI thread (a third of a second at 100 units × 300 tasks,
        see benchmarks/bench_ledger.py): the window stays live and the grid shown stays
        until the new one arrives. One read at a time: a refresh asked for during a read
        (quick period switches, a change announced) reads again once it ends, so what is
        shown is always the latest selection's, and a late grid never replaces a newer."""
        if self._reading:
            self._again = True
            return
        ctx = self.context
        if ctx is None or ctx.plan is None or ctx.period is None:
            self._show_grid(None)
            self.loaded.emit()
            return
        db, period, plan_id = ctx.db, ctx.period.key, ctx.plan.plan.id
        flt = self.current_filter()  # (what the filter bar keeps across a switch)

        def work(_reporter: Any) -> Arrangement:
            try:
                grid = ledger_grid(db, period, plan_id)
            except UserFacingError:  # the period or plan went meanwhile: nothing to show
                grid = None
            return arrange(grid, flt)  # the rows and counts too: little is left to do here

        self._reading, self._again = True, False
        self.summary.setText(self.tr("正在读取台账…"))
        # no parent and bound-method callbacks: if the page goes while the worker reads,
        # Qt drops the connections instead of calling into a deleted widget
        run_op(None, work, on_success=self._grid_read, on_failure=self._grid_failed,
               show_progress=False)

    def _grid_read(self, arranged: Arrangement) -> None:
        self._reading = False
        if self._again:
            self.refresh()
            return
        self._show_grid(arranged.grid, arranged=arranged)
        self.loaded.emit()

    def _grid_failed(self, exc: BaseException) -> None:
        """A fault reading the database (locked, damaged, server down): one plain line
        where the summary goes (a bug is logged by run_op)."""
        self._reading = False
        if self._again:
            self.refresh()
            return
        self._show_grid(None, dialogs.error_text(exc))
        self.loaded.emit()

    def _show_grid(self, grid: LedgerGrid | None, failure: str = "",
                   arranged: Arrangement | None = None) -> None:
        ctx = self.context
        selected = self.selected_key()
        self.grid = grid
        self._fill_filters()
        # (arranged again here only if the filter bar changed meanwhile or lost a choice)
        self.model.set_grid(self.grid, self.current_filter(), arranged)
        self._size_columns()
        g = self.grid
        if g is None:
            self.summary.setText(failure or self.tr("请选择方案和周期。"))
        else:
            received = sum(u.received for u in g.units)
            approved = sum(u.approved for u in g.units)
            self.summary.setText(self.tr("{0} · 已收 {1}/{2} 个单位 · 已审核 {3} · 滞后 {4} 条").format(
                period_text(g.period.key), received, len(g.units), approved, g.behind))
        rect = ctx is not None and ctx.plan is not None and is_rectification_plan(
            ctx.plan.plan.title)
        self.tabs.setTabVisible(2, rect)
        previous = self.pane.detail
        if selected is None or not self.select_cell(*selected):
            self._reload(previous)
        self._tab_changed(self.tabs.currentIndex())

    def _reload(self, previous: CellDetail | None) -> None:
        """Keep showing the report that was selected when a filter now hides its row (an
        item corrected out of 只看滞后 stays in the pane, fresh from the database)."""
        ctx, g = self.context, self.grid
        if previous is None or ctx is None or g is None or previous.plan_id != g.plan_id:
            self.pane.show_detail(None)
            return
        try:
            self.pane.show_detail(cell_detail(ctx.db, g.period.key, previous.unit,
                                              previous.task_code, g.plan_id))
        except UserFacingError:
            self.pane.show_detail(None)

    def _fill_filters(self) -> None:
        g = self.grid
        keep_unit = self.units.currentData()
        keep_section = self.sections.currentData()
        keep_choice = self.unit_choice.currentText()
        for box in (self.units, self.sections, self.unit_choice):
            box.blockSignals(True)
            box.clear()
        self.units.addItem(self.tr("全部单位"), "all")
        self.units.addItem(self.tr("镇街(开发区、镇、街道)"), "towns")
        self.units.addItem(self.tr("部门"), "departments")
        for role, label in ROLE_LABELS.items():
            self.units.addItem(self.tr("{0}单位").format(vocab_tr(label)), f"role:{role}")
        self.sections.addItem(self.tr("全部领域"), None)
        if g is not None:
            for u in g.units:
                self.units.addItem(u.name, f"unit:{u.id}")
                self.unit_choice.addItem(u.name, u.name)
            for s in g.sections:
                depth = s.path.count("›")
                self.sections.addItem("  " * depth + (f"{s.code} {s.title}".strip()), s.id)
        self.units.setCurrentIndex(max(0, self.units.findData(keep_unit)))
        self.sections.setCurrentIndex(max(0, self.sections.findData(keep_section)))
        self.unit_choice.setCurrentIndex(max(0, self.unit_choice.findText(keep_choice)))
        for box in (self.units, self.sections, self.unit_choice):
            box.blockSignals(False)

    def current_filter(self) -> LedgerFilter:
        sid = self.sections.currentData()
        section_ids: frozenset[int] | None = None
        if sid is not None and self.grid is not None:
            path = next((s.path for s in self.grid.sections if s.id == sid), "")
            section_ids = frozenset(s.id for s in self.grid.sections
                                    if s.path == path or s.path.startswith(path + " › "))
        return LedgerFilter(self.units.currentData() or "all", section_ids,
                            self.behind.isChecked(), self.unreported.isChecked(),
                            self.changed.isChecked(), self.search.text())

    def _filter_changed(self, *_: object) -> None:
        selected = self.selected_key()
        self.model.set_filter(self.current_filter())
        self._size_columns()
        if selected is not None:
            self.select_cell(*selected)  # the pane keeps the report if its row is hidden

    def _size_columns(self) -> None:
        self.table.setColumnWidth(0, 260)
        last = self.model.columnCount() - 1
        if last > 0:
            self.table.setColumnWidth(last, 70)

    # ---------------------------------------------------------------- selection

    def selected_key(self) -> tuple[int, int] | None:
        d = self.pane.detail
        if d is None or self.grid is None:
            return None
        task = next((t for t in self.grid.tasks if t.code == d.task_code), None)
        unit = next((u for u in self.grid.units if u.name == d.unit), None)
        return (task.id, unit.id) if task and unit else None

    def select_cell(self, task_id: int, unit_id: int) -> bool:
        index = self.model.index_of(task_id, unit_id)
        if not index.isValid():
            return False
        shown = self._shown
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        if self._shown == shown:  # the selection did not change: no _cell_selected
            self._show(index.row(), index.column())
        return True

    def _cell_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        self._show(indexes[0].row(), indexes[0].column())

    def _show(self, row: int, column: int) -> None:
        self._shown += 1
        cell = self.model.cell_at(row, column)
        ctx = self.context
        if cell is None or ctx is None or self.grid is None:
            self.pane.show_detail(None)
            return
        task, unit = self.model.task_at(row), self.model.unit_at(column)
        assert task is not None and unit is not None
        try:
            detail = cell_detail(ctx.db, self.grid.period.key, unit.name, task.code,
                                 self.grid.plan_id)
        except UserFacingError as exc:
            dialogs.show_error(self, exc)
            return
        self.pane.show_detail(detail)

    # ---------------------------------------------------------------- other views

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self._refresh_unit()
        elif index == 2:
            self._refresh_rectification()

    @property
    def unit_loading(self) -> bool:
        """The 单位本期 tab's rows are being read."""
        return self._unit_reading

    def _refresh_unit(self, *_: object) -> None:
        """One unit's whole period, read off the GUI thread (≈ 0.9 s for 300 items: every
        item's report with its sources), one read at a time as for the grid."""
        ctx, g = self.context, self.grid
        name = self.unit_choice.currentData()
        if ctx is None or g is None or not name or self.tabs.currentIndex() != 1:
            self.unit_model.set_records([])
            return
        self.unit_summary.setText(self.tr("正在读取{0}的本期填报…").format(name))
        if self._unit_reading:
            self._unit_again = True
            return
        db, period, plan_id = ctx.db, g.period.key, g.plan_id
        self._unit_reading, self._unit_again = True, False
        run_op(None, lambda _r: (name, period, unit_period(db, period, name, plan_id)),
               on_success=self._unit_read, on_failure=self._unit_failed,
               show_progress=False)

    def _unit_read(self, result: tuple[str, str, list[CellDetail]]) -> None:
        self._unit_reading = False
        if self._unit_again:
            self._refresh_unit()
            return
        name, period, rows = result
        self.unit_model.set_records(rows)
        filled = sum(r.values is not None for r in rows)
        self.unit_summary.setText(self.tr("{0} · {1} · 已填 {2}/{3}").format(
            name, period_text(period), filled, len(rows)))
        self.unit_loaded.emit()

    def _unit_failed(self, exc: BaseException) -> None:
        self._unit_reading = False
        if self._unit_again:
            self._refresh_unit()
            return
        self.unit_model.set_records([])
        self.unit_summary.setText(dialogs.error_text(exc))
        self.unit_loaded.emit()

    def _refresh_rectification(self) -> None:
        ctx = self.context
        if ctx is None or ctx.plan is None:
            self.rect_model.set_records([])
            return
        items = rectification_list(ctx.db, ctx.plan.plan.id)
        self.rect_model.set_records(items)
        counts = {s: sum(i.state == s for i in items) for s in ("open", "done", "closed",
                                                               "overdue")}
        self.rect_summary.setText(self.tr(
            "整改事项 {0} 项 · 已销号 {1} · 已完成待销号 {2} · 未完成 {3} · 逾期 {4}").format(
            len(items), counts["closed"], counts["done"], counts["open"], counts["overdue"]))
