"""The dashboard's charts drawn in a separate, warm process (no Qt).

matplotlib's Agg renderer holds the GIL while it draws: a chart drawn on a worker thread of
the window's process kept the GUI thread waiting for the GIL (measured: a 96 ms paint with
1 ms of GUI-thread CPU, a 389 ms deletion of an operation's handle), and left its figure's
garbage to the window's collector. Here one child process (``spawn``: nothing of this
process, its threads or Qt is copied) imports matplotlib once and draws chart after chart;
the calling thread only sends the request and waits on a pipe, which lets go of the GIL.
The summary is sent once per summary (the five charts of a refresh share it), without the
parts no chart shows (the behind-schedule list, the 销号 items).

A request cancelled while the child draws is abandoned: its answer is read and dropped
before the next request's. If the child dies, the request fails with a plain error and
the next one starts a new child. ``shutdown()`` stops it (also at interpreter exit).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import itertools
import multiprocessing as mp
import pickle
import threading
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from app.services.reports.charts import ChartImage
from app.services.reports.summary import PeriodSummary

POLL_SECONDS = 0.05  # how often a waiting caller runs its `check` (cancel point)


def _serve(conn: Connection) -> None:
    """The child's loop: keep the last summary, draw what is asked, answer each request
    with ("ok", result) or ("error", exception); stop at EOF or None."""
    from app.services.reports import charts
    from app.services.reports.fonts import setup_matplotlib

    setup_matplotlib()  # the fonts and matplotlib's imports before the first request
    import matplotlib.backends.backend_agg  # noqa: F401

    summaries: dict[int, PeriodSummary] = {}
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        kind, key, payload = message
        if kind == "summary":
            summaries.clear()  # only the newest is asked for
            summaries[key] = pickle.loads(payload)
            continue
        try:
            if kind == "history":  # (no summary: the points come with the request)
                result: Any = charts.percent_history_png(*payload[1:])
            elif kind == "render":
                result = charts.render_chart(payload[0], summaries[key], *payload[1:])
            else:  # "png"
                result = charts.chart_png(payload[0], summaries[key], *payload[1:])
            answer: tuple[str, Any] = ("ok", result)
        except Exception as exc:  # a bug in drawing: hand it to the caller
            answer = ("error", exc)
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return
        except Exception as exc:  # an exception that does not pickle
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class ChartProcessError(RuntimeError):
    """The drawing process went away (killed, out of memory) while drawing."""


class ChartProcess:
    """One warm drawing process, shared by every caller (one request at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: Any = None  # multiprocessing's SpawnProcess
        self._conn: Connection | None = None
        self._abandoned = 0  # answers still to come for cancelled requests
        self._sent: weakref.ref[PeriodSummary] | None = None  # the summary the child has
        self._keys = itertools.count(1)
        self._key = 0

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.is_alive()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Start the child now if it is not running (it imports matplotlib and the app's
        models: about a second), e.g. while the summary it will draw is counted. Never
        waits for a request being drawn."""
        if self._lock.acquire(blocking=False):
            try:
                self._ensure()
            finally:
                self._lock.release()

    def render(self, name: str, summary: PeriodSummary, width: int, height: int,
               ratio: float = 1.0, check: Callable[[], None] | None = None) -> ChartImage:
        """`charts.render_chart` drawn in the child. `check` runs while waiting (it raises
        to cancel: the request is then abandoned, the child finishes it unheard)."""
        result = self._ask("render", name, summary, (width, height, ratio), check)
        assert isinstance(result, ChartImage)
        return result

    def png(self, name: str, summary: PeriodSummary, width: int, height: int,
            dpi: int = 200, check: Callable[[], None] | None = None) -> bytes:
        """`charts.chart_png` drawn in the child (an export)."""
        result = self._ask("png", name, summary, (width, height, dpi), check)
        assert isinstance(result, bytes)
        return result

    def history_png(self, points: list[tuple[str, float | None]],
                    check: Callable[[], None] | None = None) -> bytes:
        """`charts.percent_history_png` drawn in the child (the 台账 cell pane's line: the
        window's process then never imports matplotlib for it)."""
        result = self._ask("history", "", None, (points,), check)
        assert isinstance(result, bytes)
        return result

    def shutdown(self) -> None:
        """Stop the child (it finishes nothing more); the next request starts a new one."""
        with self._lock:
            self._stop()

    # ------------------------------------------------------------ inside the lock

    def _ask(self, kind: str, name: str, summary: PeriodSummary | None,
             args: tuple[Any, ...], check: Callable[[], None] | None) -> Any:
        with self._lock:
            conn = self._ensure()
            try:
                while self._abandoned:  # answers of cancelled requests: read and drop
                    self._wait(conn, check)
                    conn.recv()
                    self._abandoned -= 1
                if summary is not None and (self._sent is None or self._sent() is not summary):
                    self._key = next(self._keys)
                    charted = dataclasses.replace(summary, behind=[], closed=[])
                    conn.send(("summary", self._key,
                               pickle.dumps(charted, pickle.HIGHEST_PROTOCOL)))
                    self._sent = weakref.ref(summary)
                conn.send((kind, self._key, (name, *args)))
                try:
                    self._wait(conn, check)
                except BaseException:
                    self._abandoned += 1
                    raise
                status, result = conn.recv()
            except (EOFError, OSError) as exc:
                self._stop()
                raise ChartProcessError("绘制图表的进程意外退出,请重试。") from exc
        if status == "error":
            raise result
        return result

    def _wait(self, conn: Connection, check: Callable[[], None] | None) -> None:
        while not conn.poll(POLL_SECONDS):
            if check is not None:
                check()
            if self._process is None or not self._process.is_alive():
                raise EOFError("the drawing process is gone")

    def _ensure(self) -> Connection:
        if self._conn is not None and self.running:
            return self._conn
        self._stop()
        ctx = mp.get_context("spawn")
        ours, theirs = ctx.Pipe()
        process = ctx.Process(target=_serve, args=(theirs,), name="taizhang-charts",
                              daemon=True)
        process.start()
        theirs.close()
        self._process, self._conn = process, ours
        self._abandoned, self._sent = 0, None
        return ours

    def _stop(self) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn, self._sent, self._abandoned = None, None, None, 0
        if conn is not None:
            with contextlib.suppress(OSError, ValueError):  # already gone
                conn.send(None)
            conn.close()
        if process is not None:
            process.join(2)
            if process.is_alive():
                process.kill()
                process.join(2)


_PROCESS = ChartProcess()
atexit.register(_PROCESS.shutdown)


def chart_process() -> ChartProcess:
    """The process that draws the dashboard's charts (started on first use)."""
    return _PROCESS
