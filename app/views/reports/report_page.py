"""报告: print preview of the 进展情况通报, a unit's report or the 催报通知, with 打印 /
导出PDF / 导出汇总表.

The document model is built off the GUI thread (summary and chart images); the preview,
the printer and the PDF are all painted by ``app.views.reports.render.render``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Signal
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.services.reports.document import Document, build_report
from app.services.reports.summary import period_summary
from app.views.reports.render import page_layout, render
from app.views.widgets.page import Page

PDF_FILTER = str(QT_TRANSLATE_NOOP("FileFilter", "PDF 文件 (*.pdf)"))
XLSX_FILTER = str(QT_TRANSLATE_NOOP("FileFilter", "Excel 工作簿 (*.xlsx)"))
KINDS = (("bulletin", str(QT_TRANSLATE_NOOP("ReportPage", "进展情况通报"))),
         ("unit_report", str(QT_TRANSLATE_NOOP("ReportPage", "单位报告"))),
         ("reminder", str(QT_TRANSLATE_NOOP("ReportPage", "催报通知"))))


def build_document(db: Any, kind: str, plan_id: int, period: str, unit: str | None,
                   date: dt.date, charts: bool, reporter: Reporter | None = None) -> Document:
    """The chosen document with its chart images (runs on a worker thread)."""
    reporter = reporter or Reporter()
    if kind == "unit_report" and not unit:
        # build_report refuses this too, in Chinese (for the CLI): the page says it in the
        # interface language
        raise UserFacingError(QCoreApplication.translate("ReportPage",
                                                         "请选择要生成报告的单位。"))
    reporter.step(0, 2, QCoreApplication.translate("ReportPage", "统计本期数据"))
    summary = None
    if kind == "bulletin":  # the figures first, so that 取消 is heard before the charts
        summary = period_summary(db, period, plan_id, today=date)
        if charts:
            reporter.step(1, 2, QCoreApplication.translate("ReportPage", "绘制图表"))
    doc = build_report(db, kind, period, plan_id, unit=unit, date=date, charts=charts,
                       summary=summary)
    reporter.step(2, 2, "")
    return doc


def make_printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)  # the renderer places everything itself (GB/T 9704 margins)
    printer.setPageLayout(page_layout(False))
    return printer


class ReportPage(Page):
    title = "报告"
    watches = Changes(progress=True, receipts=True, packets=True)
    document_ready = Signal(object)  # Document now in the preview
    exported = Signal(str)  # path of a written PDF or workbook

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        self.message_box: QMessageBox | None = None  # the last "已导出" notice
        self._generation = 0
        self._dirty = True
        self._handles: list[Any] = []

        self.kind = QComboBox()
        for code, label in KINDS:
            self.kind.addItem(self.tr(label), code)
        self.kind.currentIndexChanged.connect(self._options_changed)
        self.unit = QComboBox()
        self.unit.setMinimumWidth(180)
        self.unit.currentIndexChanged.connect(self._options_changed)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat(self.tr("yyyy年M月d日"))  # English: "MMM d, yyyy"
        self.date.dateChanged.connect(self._options_changed)
        self.charts = QCheckBox(self.tr("附图表(横向附页)"))
        self.charts.setChecked(True)
        self.charts.toggled.connect(self._options_changed)

        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.clicked.connect(self.print_document)
        self.pdf_button = QPushButton(self.tr("导出PDF…"))
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.xlsx_button = QPushButton(self.tr("导出汇总表…"))
        self.xlsx_button.clicked.connect(lambda: self.export_xlsx())
        self.reminder_button = QPushButton(self.tr("催报通知"))
        self.reminder_button.clicked.connect(lambda: self.show_kind("reminder"))
        self.unit_button = QPushButton(self.tr("单位报告"))
        self.unit_button.clicked.connect(lambda: self.show_kind("unit_report"))
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: #5F6B7A;")

        form = QFormLayout()
        form.addRow(self.tr("文种"), self.kind)
        form.addRow(self.tr("单位"), self.unit)
        form.addRow(self.tr("成文日期"), self.date)
        form.addRow("", self.charts)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addLayout(form)
        for button in (self.print_button, self.pdf_button, self.xlsx_button,
                       self.reminder_button, self.unit_button):
            side_layout.addWidget(button)
        side_layout.addWidget(self.info)
        side_layout.addStretch(1)
        side.setMaximumWidth(280)

        self.printer = make_printer()
        self.preview = QPrintPreviewWidget(self.printer)
        self.preview.paintRequested.connect(self._paint)
        self.preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitInView)

        splitter = QSplitter()
        splitter.addWidget(side)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._update_controls()

    # ------------------------------------------------------------ context

    def set_context(self, context: Any) -> None:
        self.context = context
        plan = context.plan if context else None
        current = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        if plan is not None:
            assigned = {n for t in plan.tasks for n in t.units()} | {
                n for i in plan.indicators for n in i.lead}
            for u in plan.units:
                if u.name in assigned and u.kind != "district_office":
                    self.unit.addItem(u.name, u.name)
        self.unit.setCurrentIndex(max(0, self.unit.findData(current)))
        self.unit.blockSignals(False)
        if context is not None and context.period is not None:
            # a document is dated after its period's deadline: today, or the due date of a
            # past period shown now
            self.date.blockSignals(True)
            self.date.setDate(QDate.currentDate())
            self.date.blockSignals(False)
        self.refresh()

    def show_kind(self, kind: str, unit: str | None = None) -> None:
        """Switch the preview to a document kind (and unit for a unit report)."""
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.kind.blockSignals(False)
        if unit is not None:
            self.unit.blockSignals(True)
            self.unit.setCurrentIndex(max(0, self.unit.findData(unit)))
            self.unit.blockSignals(False)
        window: Any = self.window()
        if hasattr(window, "show_page"):
            window.show_page(self)
        self._options_changed()

    def _options_changed(self, *_: object) -> None:
        self._update_controls()
        self._dirty = True
        self.refresh()

    def _update_controls(self) -> None:
        kind = self.kind.currentData()
        self.unit.setEnabled(kind == "unit_report")
        self.charts.setEnabled(kind == "bulletin")
        ready = self.document is not None
        self.print_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:
        self._dirty = True
        ctx = self.context
        if ctx is None or ctx.plan is None or ctx.period is None or not self.isVisible():
            return
        self._dirty = False
        self._generation += 1
        generation = self._generation
        kind = self.kind.currentData()
        unit = self.unit.currentData()
        qd = self.date.date()
        date = dt.date(qd.year(), qd.month(), qd.day())
        charts = self.charts.isChecked()
        db, plan_id, period = ctx.db, ctx.plan.plan.id, ctx.period.key
        self.info.setText(self.tr("正在生成…"))
        from app.views.ops import run_op

        # no parent and bound-method callbacks: a page that goes away while the worker
        # runs simply loses the connections; the progress (with 取消) shows over the page
        handle = run_op(
            None, lambda r: (generation, build_document(db, kind, plan_id, period, unit, date,
                                                        charts, r)),
            on_success=self._on_result, on_failure=self._on_failure,
            on_cancel=self._on_cancel, title=self.tr("正在生成预览…"), progress_over=self)
        self._keep(handle)

    def _keep(self, handle: Any) -> None:
        from shiboken6 import isValid

        self._handles.append(handle)
        handle.destroyed.connect(
            lambda *_: setattr(self, "_handles", [h for h in self._handles if isValid(h)]))

    def _on_result(self, result: tuple[int, Document]) -> None:
        generation, doc = result
        self._show(doc, generation)

    def _on_failure(self, exc: BaseException) -> None:
        from app.views.widgets.dialogs import error_text

        self.document = None
        self.info.setText(error_text(exc))
        self._update_controls()
        self.preview.updatePreview()

    def _on_cancel(self) -> None:
        """Cancelled: no document; the next choice or showing of the page builds again."""
        self.document = None
        self.info.setText(self.tr("已取消生成。更改选项或重新打开本页时再生成。"))
        self._dirty = True
        self._update_controls()
        self.preview.updatePreview()

    def _show(self, doc: Document, generation: int) -> None:
        if generation != self._generation:
            return
        self.document = doc
        s = doc.summary
        t = s.totals
        self.info.setText(self.tr("{0}\n应报 {1} · 按时 {2} · 迟报 {3} · 未报 {4}\n滞后任务 {5} 项").format(
            doc.title, t.units, t.on_time, t.late, t.missing, t.behind_tasks))
        self._update_controls()
        self.preview.updatePreview()
        self.document_ready.emit(doc)

    def _paint(self, printer: QPrinter) -> None:
        if self.document is None:
            return
        render(self.document, printer, turn_landscape=True)

    # ------------------------------------------------------------ output

    def print_document(self) -> QPrintDialog | None:
        if self.document is None:
            return None
        printer = make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("打印"))
        doc = self.document

        def accepted(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                render(doc, printer, turn_landscape=True)

        dialog.finished.connect(accepted)
        dialog.open()  # type: ignore[call-arg]  # the stubs know only open(receiver, member)
        return dialog

    def export_pdf(self, path: str | None = None) -> Path | None:
        """The document as a PDF, written off the GUI thread; returns the target (the file
        is there when `exported` is emitted), None when the dialog was cancelled."""
        from app.views.ops import run_op
        from app.views.reports.render import write_pdf
        from app.views.widgets.dialogs import save_file

        if self.document is None:
            return None
        if path is None:
            path = save_file(self, self.tr("导出PDF"), f"{self.document.title}.pdf", PDF_FILTER,
                             kind="exports")
        if not path:
            return None
        target = Path(path).with_suffix(".pdf")
        doc = self.document

        def work(reporter: Reporter) -> Path:
            reporter.step(0, 1, QCoreApplication.translate("ReportPage", "正在生成PDF…"))
            write_pdf(doc, target)
            return target

        self._keep(run_op(self, work, on_success=self._exported,
                          title=self.tr("正在导出PDF")))
        return target

    def export_xlsx(self, path: str | None = None) -> Path | None:
        """汇总表 of the current period, written off the GUI thread."""
        from app.services.reports.workbook import write_summary_workbook
        from app.views.ops import run_op
        from app.views.widgets.dialogs import save_file

        ctx = self.context
        if ctx is None or ctx.plan is None or ctx.period is None:
            return None
        if path is None:
            path = save_file(self, self.tr("导出汇总表"),
                             f"{ctx.period.label}任务进展汇总表.xlsx", XLSX_FILTER, kind="exports")
        if not path:
            return None
        target = Path(path).with_suffix(".xlsx")
        db, plan_id, period = ctx.db, ctx.plan.plan.id, ctx.period.key
        handle = run_op(self, lambda r: write_summary_workbook(db, period, target, plan_id),
                        on_success=self._exported, title=self.tr("正在导出汇总表"))
        self._keep(handle)
        return target

    def _exported(self, path: Any) -> None:
        from app.views.widgets.dialogs import show_written

        target = Path(str(path))
        what = self.tr("已导出PDF。") if target.suffix == ".pdf" else self.tr("已导出汇总表。")
        self.message_box = show_written(self, what, target)
        self.exported.emit(str(path))


def install_report_menu(window: Any) -> None:
    """报告 menu entries of the main window (called from ``MainWindow._build_menus``)."""
    menu = getattr(window, "summary_menu", None)
    if menu is None:
        return

    def page() -> ReportPage | None:
        found = window.page(ReportPage) if hasattr(window, "page") else None
        return found if isinstance(found, ReportPage) else None

    def go(kind: str) -> None:
        p = page()
        if p is not None:
            p.show_kind(kind)

    def dashboard() -> None:
        from app.views.reports.dashboard_page import DashboardPage

        found = window.page(DashboardPage)
        if found is not None:
            window.show_page(found)

    translate = QCoreApplication.translate  # `window.tr` would use the window's class name
    for text, slot in ((translate("ReportMenu", "看板"), dashboard),
                       (translate("ReportMenu", "进展情况通报…"), lambda: go("bulletin")),
                       (translate("ReportMenu", "单位报告…"), lambda: go("unit_report")),
                       (translate("ReportMenu", "催报通知…"), lambda: go("reminder"))):
        action = QAction(text, window)
        action.triggered.connect(slot)
        menu.addAction(action)
    menu.addSeparator()
    xlsx = QAction(translate("ReportMenu", "导出汇总表…"), window)
    def export_xlsx() -> None:
        p = page()
        if p is not None:
            p.export_xlsx()

    xlsx.triggered.connect(export_xlsx)
    menu.addAction(xlsx)
