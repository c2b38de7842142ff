"""The summary's charts as matplotlib ``Figure`` objects (object API, no pyplot state).

The same figures go into the dashboard and into the printed 通报, both as images drawn
here by matplotlib's Agg renderer (``render_chart``, ``figure_png``), so both show the same
picture of the same numbers. Drawing happens on worker threads, one figure at a time
(``_LOCK``); the GUI only shows the pixels. matplotlib is imported on first use only: it
costs about half a second.

Bars that stand for a group of tasks carry a ``gid`` (``"unit|<name>|<status>"``,
``"section|<id>|<status>"``, ``"return|<name>|<state>"``, ``"indicator|<domain>|<result>"``)
and are pickable; ``render_chart`` returns their boxes in the image, so a view can open the
matching tasks when one is clicked without asking matplotlib on the GUI thread.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core.vocab import (
    ATTAINMENT_LABELS,
    ATTAINMENTS,
    RETURN_LABELS,
    RETURN_STATES,
    STATUS_LABELS,
    UNREPORTED,
    UNREPORTED_LABEL,
)
from app.services.reports.fonts import setup_matplotlib
from app.services.reports.summary import STATUS_KEYS, Breakdown, PeriodSummary

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STATUS_COLORS = {
    "completed": "#2E7D32",
    "in_progress": "#1E88E5",
    "ongoing": "#7E57C2",
    "not_started": "#B0BEC5",
    "behind": "#E53935",
    UNREPORTED: "#FFFFFF",
}
RETURN_COLORS = {"on_time": "#2E7D32", "late": "#F9A825", "missing": "#E53935"}
ATTAINMENT_COLORS = {"met": "#2E7D32", "not_met": "#E53935", "pending": "#B0BEC5"}
TEXT = "#212121"
GRID = "#E0E0E0"


def status_label(key: str) -> str:
    return UNREPORTED_LABEL if key == UNREPORTED else STATUS_LABELS[key]


def _integer_locator() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _figure(width: float, height: float,
            margins: tuple[float, float, float, float] | None = None) -> Figure:
    """A figure laid out by matplotlib's constrained layout, or with fixed `margins`
    (left, right, top, bottom, in inches) for the tall per-unit charts: constrained layout
    measures every label twice and costs most of the drawing time at 100 units."""
    setup_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100,
                 layout=None if margins else "constrained")
    fig.patch.set_facecolor("white")
    if margins:
        left, right, top, bottom = margins
        fig.subplots_adjust(left=min(0.6, left / width), right=1 - right / width,
                            top=1 - top / height, bottom=bottom / height)
    return fig


def _unit_margins(names: list[str], label_pt: float, right: float
                  ) -> tuple[float, float, float, float]:
    """Fixed margins for a chart with one row per unit: room for the longest name."""
    longest = max((len(n) for n in names), default=4)
    return (longest * label_pt * 1.02 / 72 + 0.18, right, 0.62, 0.8)


def _style(ax: Axes, title: str) -> None:
    """Title (first line) and a smaller explanatory second line, left-aligned."""
    head, _, sub = title.partition("\n")
    ax.set_title(head, fontsize=11, loc="left", color=TEXT, pad=16 if sub else 8)
    if sub:
        ax.text(0, 1.01, sub, transform=ax.transAxes, fontsize=8, color="#616161",
                va="bottom", ha="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#9E9E9E")
    ax.spines["bottom"].set_color("#9E9E9E")
    ax.tick_params(labelsize=8.5, colors=TEXT)
    ax.set_axisbelow(True)


def _fmt_change(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:+.1f}".replace("+0.0", "±0.0").replace("-0.0", "±0.0")


def _stacked_percent(ax: Axes, labels: list[str], keys: list[str],
                     parts: list[Breakdown], gid: Callable[[int, str], str],
                     notes: list[str], label_pt: float) -> None:
    """100 % stacked horizontal bars, first row at the top, counts written in the bars."""
    ys = list(range(len(labels)))[::-1]
    lefts = [0.0] * len(labels)
    totals = [sum(p.counts.get(k, 0) for k in STATUS_KEYS) for p in parts]
    for key in STATUS_KEYS:
        widths = [100.0 * p.counts.get(key, 0) / t if t else 0.0 for p, t in zip(parts, totals,
                                                                                  strict=True)]
        bars = ax.barh(ys, widths, left=lefts, height=0.72, color=STATUS_COLORS[key],
                       edgecolor="#9E9E9E" if key == UNREPORTED else "white",
                       linewidth=0.6, hatch="////" if key == UNREPORTED else None,
                       label=status_label(key))
        for i, (bar, w) in enumerate(zip(bars, widths, strict=True)):
            bar.set_gid(gid(i, key))
            bar.set_picker(True)
            n = parts[i].counts.get(key, 0)
            if n and w >= 7 and len(labels) <= 40:  # beyond that the rows are too thin
                ax.text(lefts[i] + w / 2, ys[i], str(n), ha="center", va="center",
                        fontsize=min(7.5, label_pt), color=TEXT if key in ("not_started", UNREPORTED)
                        else "white")
        lefts = [a + b for a, b in zip(lefts, widths, strict=True)]
    ax.set_yticks(ys, labels)
    ax.tick_params(axis="y", labelsize=label_pt)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    for y, note in zip(ys, notes, strict=True):
        ax.text(101.5, y, note, va="center", ha="left", fontsize=min(7.5, label_pt),
                color="#424242", clip_on=False)


def _row_font(height_in: float, rows: int, reserved_in: float = 1.1) -> float:
    """Label size that keeps `rows` bar labels from overlapping in a figure this tall."""
    per_row_pt = max(0.1, height_in - reserved_in) * 72 / max(rows, 1)
    return max(5.0, min(8.5, per_row_pt * 0.78))


def _legend(fig: Figure, ax: Axes, ncol: int) -> None:
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        where = {"loc": "outside lower center"} if fig.get_layout_engine() else {
            "loc": "lower center", "bbox_to_anchor": (0.5, 0.0)}
        fig.legend(handles, labels, ncol=ncol, fontsize=8, frameon=False, handlelength=1.4,
                   columnspacing=1.2, **where)


def _chart_units(summary: PeriodSummary) -> list[Any]:
    """The units of the 各单位进展状态 chart: those with tasks."""
    return [u for u in summary.units if u.tasks.expected or u.tasks.reported]


def _chart_sections(summary: PeriodSummary) -> list[Any]:
    """The sections of the 各领域进展状态 chart: the top level (or the shallowest shown)."""
    return summary.top_sections() or [s for s in summary.sections
                                      if s.depth == min(x.depth for x in summary.sections)]


def _domains(summary: PeriodSummary) -> dict[str, dict[str, int]]:
    """指标 results counted per domain (领域), in the indicators' order."""
    domains: dict[str, dict[str, int]] = OrderedDict()
    for ind in summary.indicators:
        d = domains.setdefault(ind.domain or "指标", dict.fromkeys(ATTAINMENTS, 0))
        d[ind.result] += 1
    return domains


def figure_height(name: str, summary: PeriodSummary) -> float:
    """A chart's natural height in inches: the per-unit charts grow with the units (a row
    of 0.2 in each), the others with their sections or domains."""
    if name == "returns":
        return max(2.6, 0.9 + 0.2 * len(summary.units))
    if name == "status_by_unit":
        return max(2.6, 1.1 + 0.2 * len(_chart_units(summary)))
    if name == "status_by_section":
        return max(2.4, 1.2 + 0.36 * len(_chart_sections(summary)))
    if name == "attainment":
        return max(2.4, 1.2 + 0.34 * len(_domains(summary)))
    return 2.8  # trend


def returns_figure(summary: PeriodSummary, width: float = 6.4,
                   height: float | None = None) -> Figure:
    """报送情况 by unit: how much of its tasks each unit filled in, coloured on time / late /
    missing; the units that did not return come first."""
    order = {s: i for i, s in enumerate(("missing", "late", "on_time"))}
    units = sorted(summary.units, key=lambda u: order[u.state])
    height = height or figure_height("returns", summary)
    label_pt = _row_font(height, len(units))
    fig = _figure(width, height, _unit_margins([u.name for u in units], label_pt, 0.15))
    ax = fig.add_subplot()
    t = summary.totals
    _style(ax, f"报送情况\n应报 {t.units} · 按时 {t.on_time} · 迟报 {t.late} · 未报 {t.missing}")
    ys = list(range(len(units)))[::-1]
    seen: set[str] = set()
    for y, u in zip(ys, units, strict=True):
        exp = u.tasks.expected
        filled = 100.0 * u.tasks.reported / exp if exp else (100.0 if u.returned else 0.0)
        label = RETURN_LABELS[u.state] if u.state not in seen else None
        seen.add(u.state)
        bar = ax.barh([y], [max(filled, 1.5)], height=0.7, color=RETURN_COLORS[u.state],
                      label=label)[0]
        bar.set_gid(f"return|{u.name}|{u.state}")
        bar.set_picker(True)
        note = {"on_time": "", "late": f"迟报{u.days_late}天", "missing": "未报"}[u.state]
        if u.returned and exp:
            note = (note + " " if note else "") + f"{u.tasks.reported}/{exp}"
        ax.text(min(filled, 100) + 1.5, y, note, va="center",
                fontsize=min(7.5, _row_font(height, len(units))), color="#424242")
    ax.set_yticks(ys, [u.name for u in units])
    ax.tick_params(axis="y", labelsize=label_pt)
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("已填报任务占应报任务比例", fontsize=8, color="#616161")
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    handles, labels = ax.get_legend_handles_labels()
    by_label = OrderedDict(zip(labels, handles, strict=True))
    ordered = [RETURN_LABELS[s] for s in RETURN_STATES if RETURN_LABELS[s] in by_label]
    fig.legend([by_label[k] for k in ordered], ordered, loc="lower center",
               bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=8, frameon=False)
    return fig


def status_by_unit_figure(summary: PeriodSummary, width: float = 6.4,
                          height: float | None = None) -> Figure:
    """进展状态 by unit (share of each unit's tasks), units with tasks only."""
    units = _chart_units(summary)
    height = height or figure_height("status_by_unit", summary)
    label_pt = _row_font(height, len(units), 1.3)
    fig = _figure(width, height, _unit_margins([u.name for u in units], label_pt, 0.45))
    ax = fig.add_subplot()
    _style(ax, "各单位任务进展状态\n各状态事项占本单位应报事项的比例")
    _stacked_percent(ax, [u.name for u in units], list(STATUS_KEYS), [u.tasks for u in units],
                     lambda i, k: f"unit|{units[i].name}|{k}",
                     [f"{sum(u.tasks.counts.values())}项" for u in units], label_pt)
    _legend(fig, ax, len(STATUS_KEYS))
    return fig


def status_by_section_figure(summary: PeriodSummary, width: float = 6.4,
                             height: float | None = None) -> Figure:
    """进展状态 by top-level section, with each section's average completion and its change."""
    sections = _chart_sections(summary)
    height = height or figure_height("status_by_section", summary)
    fig = _figure(width, height)
    ax = fig.add_subplot()
    _style(ax, "各领域任务进展状态\n右侧为平均完成进度(较上期变化)")
    notes = []
    for s in sections:
        avg = s.breakdown.average
        change = _fmt_change(s.average_change)
        notes.append((f"{avg:.1f}%" if avg is not None else "—") + (f"({change})" if change
                                                                    else ""))
    _stacked_percent(ax, [_wrap(s.label, 10) for s in sections], list(STATUS_KEYS),
                     [s.breakdown for s in sections],
                     lambda i, k: f"section|{sections[i].id}|{k}", notes, 8.5)
    _legend(fig, ax, len(STATUS_KEYS))
    return fig


def attainment_figure(summary: PeriodSummary, width: float = 6.4,
                      height: float | None = None) -> Figure:
    """指标达标情况 by domain (领域), counts of 达标 / 未达标 / 待评估."""
    domains = _domains(summary)
    names = list(domains)
    height = height or figure_height("attainment", summary)
    fig = _figure(width, height)
    ax = fig.add_subplot()
    a = summary.totals.attainment
    _style(ax, f"指标达标情况\n达标 {a['met']} · 未达标 {a['not_met']} · 待评估 {a['pending']}")
    ys = list(range(len(names)))[::-1]
    lefts = [0] * len(names)
    for key in ATTAINMENTS:
        counts = [domains[n][key] for n in names]
        bars = ax.barh(ys, counts, left=lefts, height=0.64, color=ATTAINMENT_COLORS[key],
                       edgecolor="white", linewidth=0.6, label=ATTAINMENT_LABELS[key])
        for i, (bar, n) in enumerate(zip(bars, counts, strict=True)):
            bar.set_gid(f"indicator|{names[i]}|{key}")
            bar.set_picker(True)
            if n:
                ax.text(lefts[i] + n / 2, ys[i], str(n), ha="center", va="center",
                        fontsize=7.5, color=TEXT if key == "pending" else "white")
        lefts = [x + n for x, n in zip(lefts, counts, strict=True)]
    ax.set_yticks(ys, names)
    ax.set_xlim(0, max([*lefts, 1]) * 1.05)
    ax.xaxis.set_major_locator(_integer_locator())
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    _legend(fig, ax, 3)
    return fig


def trend_figure(summary: PeriodSummary, width: float = 6.4, height: float = 2.8) -> Figure:
    """平均进度 and 按时报送率 over the periods so far; 滞后 entries as bars."""
    points = summary.trend
    fig = _figure(width, height)
    ax = fig.add_subplot()
    _style(ax, "进展趋势\n各期平均完成进度、按时报送率与滞后事项数")
    xs = list(range(len(points)))
    labels = [_short_period(p.key) for p in points]
    units = summary.totals.units or 1
    avg = [p.average if p.average is not None else float("nan") for p in points]
    on_time = [100.0 * (p.returned - p.late) / units for p in points]
    ax2 = ax.twinx()
    bars = ax2.bar(xs, [p.behind for p in points], width=0.5, color=STATUS_COLORS["behind"],
                   alpha=0.25, label="滞后事项(右轴)")
    for bar, p in zip(bars, points, strict=True):
        bar.set_gid(f"trend|{p.key}|behind")
        bar.set_picker(True)
    ax2.set_ylim(0, max([p.behind for p in points] + [4]) * 2.2)
    ax2.tick_params(labelsize=8, colors="#9E9E9E")
    ax2.spines["top"].set_visible(False)
    ax2.spines["right"].set_color("#BDBDBD")
    ax2.yaxis.set_major_locator(_integer_locator())
    ax.set_zorder(ax2.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.plot(xs, avg, marker="o", markersize=4, color=STATUS_COLORS["in_progress"],
            linewidth=1.8, label="平均完成进度")
    ax.plot(xs, on_time, marker="s", markersize=3.5, color=RETURN_COLORS["on_time"],
            linewidth=1.2, linestyle="--", label="按时报送率")
    for x, y in zip(xs, avg, strict=True):
        if y == y:  # not NaN
            ax.annotate(f"{y:.1f}", (x, y), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=7.5, color=STATUS_COLORS["in_progress"])
    ax.set_ylim(0, 109)
    ax.set_yticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
    ax.set_xticks(xs, labels)
    if len(xs) > 12:
        for i, tick in enumerate(ax.get_xticklabels()):
            tick.set_visible(i % max(1, len(xs) // 12) == 0 or i == len(xs) - 1)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    fig.legend(h1 + h2, l1 + l2, loc="outside lower center", ncol=3, fontsize=8, frameon=False)
    return fig


def percent_history_png(points: list[tuple[str, float | None]], width: float = 3.4,
                        height: float = 1.5, dpi: int = 110) -> bytes:
    """A small line of one unit's percent on one task over the periods (台账 cell pane);
    PNG bytes, so a worker thread can draw it and the GUI only shows the picture."""
    with _LOCK:
        fig = _figure(width, height)
        ax = fig.add_subplot()
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        xs = list(range(len(points)))
        ys = [p if p is not None else float("nan") for _, p in points]
        ax.plot(xs, ys, marker="o", markersize=3.5, linewidth=1.6,
                color=STATUS_COLORS["in_progress"])
        for x, y in zip(xs, ys, strict=True):
            if y == y:
                ax.annotate(f"{y:g}", (x, y), textcoords="offset points", xytext=(0, 5),
                            ha="center", fontsize=7, color=TEXT)
        ax.set_ylim(0, 115)
        ax.set_yticks([0, 50, 100], ["0", "50%", "100%"])
        ax.set_xticks(xs, [_short_period(k) for k, _ in points])
        ax.tick_params(labelsize=7, colors=TEXT)
        ax.grid(axis="y", color=GRID, linewidth=0.5)
        if len(xs) == 1:
            ax.set_xlim(-1, 1)
        return figure_png(fig, dpi)


def _short_period(key: str) -> str:
    """'2023-01' → '23.1'; quarters and halves as they are."""
    if len(key) == 7 and key[4] == "-" and key[5:].isdigit():
        return f"{key[2:4]}.{int(key[5:])}"
    return key


def _wrap(text: str, width: int) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


CHARTS: dict[str, tuple[str, Callable[..., Figure]]] = {
    "returns": ("报送情况", returns_figure),
    "status_by_unit": ("各单位进展状态", status_by_unit_figure),
    "status_by_section": ("各领域进展状态", status_by_section_figure),
    "attainment": ("指标达标情况", attainment_figure),
    "trend": ("进展趋势", trend_figure),
}


# matplotlib is not made for several threads drawing at once (font caches, text layout);
# the dashboard and the report page may both build charts in the background
_LOCK = threading.RLock()


def build_figure(name: str, summary: PeriodSummary, **size: float) -> Figure:
    with _LOCK:
        return CHARTS[name][1](summary, **size)


def figure_png(fig: Figure, dpi: int = 150) -> bytes:
    """PNG bytes of a figure, through the Agg renderer (no GUI backend involved)."""
    buf = io.BytesIO()
    with _LOCK:
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


@dataclass(frozen=True)
class Hit:
    """A clickable element of a rendered chart: its gid and its box in the image, in
    logical pixels from the top left (device pixels / ratio)."""

    gid: str
    left: float
    top: float
    right: float
    bottom: float

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


@dataclass(frozen=True)
class ChartImage:
    """A chart drawn for a widget: RGBA8888 pixels (premultiplied, as Agg draws them on
    an opaque white background) of `width` × `height` device pixels at `ratio` device
    pixels per logical pixel, with the boxes of its clickable bars."""

    name: str
    width: int
    height: int
    ratio: float
    rgba: bytes
    hits: tuple[Hit, ...]

    def hit(self, x: float, y: float) -> Hit | None:
        """The clickable element at logical (x, y), the topmost where two overlap."""
        for h in reversed(self.hits):
            if h.contains(x, y):
                return h
        return None


def render_chart(name: str, summary: PeriodSummary, width: int, height: int,
                 ratio: float = 1.0, check: Callable[[], None] | None = None) -> ChartImage:
    """Draw chart `name` at `width` × `height` logical pixels (100 a figure inch) for a
    screen with `ratio` device pixels per logical pixel, through the Agg renderer: the
    pixels and the clickable boxes, no GUI involved (worker threads call this, one at a
    time). `check` runs between building and drawing (a reporter's cancel point)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    with _LOCK:
        fig = CHARTS[name][1](summary, width=max(width, 50) / 100,
                              height=max(height, 50) / 100)
        if check is not None:
            check()
        fig.set_dpi(100 * ratio)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        w, h = canvas.get_width_height(physical=True)
        rgba = bytes(canvas.buffer_rgba())
        renderer = canvas.get_renderer()
        hits = []
        for artist in fig.findobj(lambda a: a.get_gid() is not None and a.pickable()):
            box: Bbox | None = artist.get_window_extent(renderer)
            if box is not None and artist.axes is not None:  # only inside the plot area
                box = Bbox.intersection(box, artist.axes.bbox)
            if box is None or box.width <= 0 or box.height <= 0:
                continue
            hits.append(Hit(str(artist.get_gid()), box.x0 / ratio, (h - box.y1) / ratio,
                            box.x1 / ratio, (h - box.y0) / ratio))
        _dismantle(fig, canvas)
    return ChartImage(name, w, h, ratio, rgba, tuple(hits))


def _dismantle(fig: Figure, canvas: Any) -> None:
    """Break a drawn figure's reference cycles so that it is freed here, on the worker, by
    reference counting: the app collects cyclic garbage only on the GUI thread
    (``app.views.widgets.gc_guard``), and a tall chart left ~50,000 such objects there
    (~3,000 after this)."""
    for artist in fig.findobj():
        artist.__dict__.clear()
    canvas.__dict__.clear()


def chart_png(name: str, summary: PeriodSummary, width: int, height: int,
              dpi: int = 200) -> bytes:
    """PNG bytes of chart `name` laid out at `width` × `height` logical pixels (as the
    dashboard shows it) and drawn at `dpi` (an export)."""
    with _LOCK:
        fig = CHARTS[name][1](summary, width=max(width, 50) / 100,
                              height=max(height, 50) / 100)
        png = figure_png(fig, dpi)
        _dismantle(fig, fig.canvas)
        return png
