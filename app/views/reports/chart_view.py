"""Charts drawn off the GUI thread: a widget that shows a picture, and the queue that draws it.

A tall per-unit chart at 100 units took about 0.6 s to draw, and ``FigureCanvasQTAgg`` drew
it in its first ``paintEvent``: the window froze that long. Here a ``ChartView`` only paints
a ``QImage``; the pixels come from ``app.services.reports.charts.render_chart``, drawn in
the chart process (``app.services.reports.chart_process``: matplotlib holds the GIL while
it draws, which a worker thread of this process made the GUI thread wait for) at the
widget's size and device pixel ratio, asked for and waited on by ``run_op``'s worker. A
``ChartQueue`` runs those renders one at a time: a newer request for the same view replaces
one still waiting and cancels one being drawn, and a picture that arrives for an older
request is dropped. A resize re-renders after a short pause; the old picture, scaled,
stands in meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget
from shiboken6 import isValid

from app.core.jobs import Cancelled, Reporter
from app.services.reports.charts import ChartImage, Hit
from app.services.reports.summary import PeriodSummary

RESIZE_PAUSE_MS = 150  # re-render once a resize has rested this long

# (name, summary, width, height, ratio, check) → the picture; run on a worker thread
Renderer = Callable[[str, PeriodSummary, int, int, float, Callable[[], None]], ChartImage]


def in_chart_process(name: str, summary: PeriodSummary, width: int, height: int, ratio: float,
               check: Callable[[], None]) -> ChartImage:
    """The default renderer: the chart process draws, this thread waits on its pipe."""
    from app.services.reports.chart_process import chart_process

    return chart_process().render(name, summary, width, height, ratio, check)


@dataclass(frozen=True)
class _Job:
    """What a worker needs to draw one chart: plain values only (no widget)."""

    token: int
    name: str
    summary: PeriodSummary
    width: int
    height: int
    ratio: float


def _render(job: _Job, reporter: Reporter, render: Renderer
            ) -> tuple[int, ChartImage, QImage]:
    """Worker side: the chart's pixels, and a QImage of them already in the format the
    window paints with, so that the GUI thread only copies them to the screen (QImage is
    not a widget: it may be made on any thread)."""
    def check() -> None:
        if reporter.cancelled:  # superseded
            raise Cancelled

    reporter.step(0, 1, job.name)  # raises Cancelled if superseded while waiting
    image = render(job.name, job.summary, job.width, job.height, job.ratio, check)
    qimage = QImage(image.rgba, image.width, image.height, image.width * 4,
                    QImage.Format.Format_RGBA8888).convertToFormat(
        QImage.Format.Format_ARGB32_Premultiplied)  # a copy that owns its pixels
    qimage.setDevicePixelRatio(image.ratio)
    return job.token, image, qimage


class ChartQueue(QObject):
    """Renders charts one at a time through ``run_op``; the newest request of each view wins."""

    idle = Signal()  # nothing waiting or being drawn

    def __init__(self, parent: QObject | None = None, render: Renderer = in_chart_process) -> None:
        super().__init__(parent)
        self.render = render
        self._waiting: list[tuple[ChartView, _Job]] = []
        self._running: tuple[ChartView, _Job] | None = None
        self._handle: Any = None

    @property
    def busy(self) -> bool:
        return self._running is not None or bool(self._waiting)

    def submit(self, view: ChartView, job: _Job) -> None:
        """Draw `job` for `view`, replacing whatever of that view waits or is drawn."""
        self.forget(view)
        self._waiting.append((view, job))
        self._next()

    def forget(self, view: ChartView) -> None:
        """Drop what waits for `view` and stop drawing for it (stale, or the view goes)."""
        self._waiting = [(v, j) for v, j in self._waiting if v is not view]
        if self._running is not None and self._running[0] is view \
                and self._handle is not None and isValid(self._handle):
            self._handle.cancel()  # stops at its next check; its picture is dropped anyway

    def _next(self) -> None:
        if self._running is not None:
            return
        while self._waiting:
            view, job = self._waiting.pop(0)
            if isValid(view) and job.token == view.token:
                break
        else:
            self.idle.emit()
            return
        from app.views.ops import run_op

        self._running = (view, job)
        # no parent and bound-method callbacks: Qt drops them if the queue goes first
        render = self.render
        self._handle = run_op(None, lambda reporter: _render(job, reporter, render),
                              on_success=self._done, on_failure=self._failed,
                              on_cancel=self._cancelled, show_progress=False)

    def _finish(self) -> ChartView | None:
        """The view the finished render was for, if it still wants that picture."""
        running, self._running, self._handle = self._running, None, None
        if running is None or not isValid(running[0]) or running[1].token != running[0].token:
            return None  # gone, or stale: a newer request replaced it
        return running[0]

    def _done(self, result: tuple[int, ChartImage, QImage]) -> None:
        view = self._finish()
        if view is not None:
            view.set_image(result[1], result[2])
        self._next()

    def _failed(self, exc: BaseException) -> None:
        view = self._finish()
        if view is not None:
            view.set_failed(exc)
        self._next()

    def _cancelled(self) -> None:
        self._finish()
        self._next()


class ChartView(QWidget):
    """One chart as a picture drawn elsewhere; clicking a bar emits its gid."""

    picked = Signal(str)  # the gid of the bar clicked (left button)
    rendered = Signal()  # the picture of the current summary and size arrived (or failed)

    def __init__(self, name: str, queue: ChartQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.queue = queue
        self.summary: PeriodSummary | None = None
        self.image: ChartImage | None = None
        self.qimage: QImage | None = None
        self.token = 0  # of the newest request; pictures of older ones are dropped
        self._shown_token = -1  # of the picture (or failure) shown
        self._message = self.tr("正在绘制图表…")
        self._requested: tuple[int, int, float] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.request)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(360)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # ------------------------------------------------------------ data and rendering

    def set_summary(self, summary: PeriodSummary, height: int) -> None:
        """Show the chart of `summary`, `height` logical pixels tall (drawn once laid out)."""
        self.summary = summary
        self.setFixedHeight(height)
        self.image, self.qimage, self._requested = None, None, None
        self._message = self.tr("正在绘制图表…")
        self.token += 1
        self._timer.start(0)  # after the layout gave it its width
        self.update()

    @property
    def ready(self) -> bool:
        """The picture of the current summary at the current size is shown."""
        return self._shown_token == self.token and not self._timer.isActive() \
            and self._requested == self._wanted()

    def _wanted(self) -> tuple[int, int, float]:
        return self.width(), self.height(), self.devicePixelRatioF()

    def request(self) -> None:
        """Ask the queue for a picture at the current size (unless that one is coming)."""
        self._timer.stop()
        if self.summary is None or self.width() < 10:
            return
        wanted = self._wanted()
        if wanted == self._requested:
            return
        self._requested = wanted
        self.token += 1
        self.queue.submit(self, _Job(self.token, self.name, self.summary, *wanted))

    def set_image(self, image: ChartImage, qimage: QImage) -> None:
        self.image, self.qimage = image, qimage
        self._shown_token = self.token
        self.update()
        self.rendered.emit()

    def set_failed(self, exc: BaseException) -> None:
        from app.views.widgets.dialogs import error_text

        self.image, self.qimage = None, None
        self._message = self.tr("图表未能绘制:{0}").format(error_text(exc))
        self._shown_token = self.token
        self.update()
        self.rendered.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.summary is not None and event.size().width() != event.oldSize().width():
            # the first picture at once; later ones once the resize rests
            self._timer.start(RESIZE_PAUSE_MS if self.qimage is not None else 0)

    # ------------------------------------------------------------ painting and clicks

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        area = QRectF(event.rect())
        image = self.qimage
        if image is None:
            painter.fillRect(area, QColor("white"))
            painter.setPen(QColor("#8A94A3"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._message)
        else:
            ratio = image.devicePixelRatio()
            if round(image.width() / ratio) == self.width() \
                    and round(image.height() / ratio) == self.height():
                # a blit of the exposed part only
                painter.drawImage(area, image, QRectF(area.x() * ratio, area.y() * ratio,
                                                      area.width() * ratio,
                                                      area.height() * ratio))
            else:  # the old picture, scaled, until the new size is drawn
                painter.drawImage(QRectF(self.rect()), image)
        painter.end()

    def hit_at(self, x: float, y: float) -> Hit | None:
        """The bar under the widget position (x, y) in the picture shown."""
        image = self.image
        if image is None:
            return None
        sx = image.width / image.ratio / max(self.width(), 1)
        sy = image.height / image.ratio / max(self.height(), 1)
        return image.hit(x * sx, y * sy)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            hit = self.hit_at(event.position().x(), event.position().y())
            if hit is not None:
                self.picked.emit(hit.gid)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self.hit_at(event.position().x(), event.position().y()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over
                       else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)
