"""Charts: built with the object API, Chinese glyphs present, bars clickable."""

from __future__ import annotations

import warnings

from progress_seed import LAST, seeded_fixture, seeded_path_fixture, seeded_template_fixture  # noqa: F401

from app.services.db import Database
from app.services.reports.charts import CHARTS, build_figure, figure_png
from app.services.reports.fonts import SANS, font_files, setup_matplotlib
from app.services.reports.summary import period_summary


def test_bundled_fonts_are_registered_and_used() -> None:
    setup_matplotlib()
    import matplotlib
    from matplotlib import font_manager

    assert {p.name for p in font_files()} == {"TaizhangSansSC-Regular.otf",
                                              "TaizhangSerifSC-Regular.otf",
                                              "TaizhangSerifSC-Bold.otf"}
    for path in font_files():
        assert path.stat().st_size < 4_000_000  # a few MB each
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]),
                                  fallback_to_default=False)
    assert font_manager.get_font(found).family_name == SANS


def test_every_chart_renders_chinese_without_missing_glyphs(seeded: Database) -> None:
    s = period_summary(seeded, LAST, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise
        for name in CHARTS:
            fig = build_figure(name, s)
            png = figure_png(fig, dpi=80)
            assert png.startswith(b"\x89PNG") and len(png) > 5000
            texts = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]
            assert any("\u4e00" <= ch <= "\u9fff" for t in texts for ch in t)



def test_no_pyplot_state_anywhere() -> None:
    """Figures come from matplotlib.figure.Figure; pyplot's global state is never used."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "app"
    for path in root.rglob("*.py"):
        code = path.read_text("utf-8")
        assert "import pyplot" not in code and "matplotlib.pyplot" not in code, path


def test_bars_carry_pickable_ids(seeded: Database) -> None:
    from matplotlib.patches import Rectangle

    s = period_summary(seeded, LAST, 1)
    fig = build_figure("status_by_unit", s)
    gids = {r.get_gid() for r in fig.findobj(Rectangle) if r.get_gid()}
    assert "unit|郑陆镇|behind" in gids and "unit|红梅街道|unreported" in gids
    assert all(r.pickable() for r in fig.findobj(Rectangle) if r.get_gid())
    fig = build_figure("status_by_section", s)
    top = s.top_sections()[0]
    assert f"section|{top.id}|in_progress" in {r.get_gid() for r in fig.findobj(Rectangle)}
    fig = build_figure("returns", s)
    assert "return|红梅街道|missing" in {r.get_gid() for r in fig.findobj(Rectangle)}


def test_negative_numbers_print_with_a_plain_minus(seeded: Database) -> None:
    """A section whose average fell shows e.g. (-2.0): the hyphen, never a tofu box."""
    setup_matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.plot([-3, -1, 2], [-2.5, 0, 1.5])
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any(label.startswith("-") for label in labels)
    assert not any("\u2212" in label for label in labels)


def test_render_chart_gives_pixels_and_the_boxes_of_its_bars(seeded: Database) -> None:
    """The dashboard's pictures: drawn at the widget's size and pixel ratio, Chinese without
    missing glyphs, every clickable bar with its box (logical pixels, from the top left)."""
    from app.services.reports.charts import figure_height, render_chart

    s = period_summary(seeded, LAST, 1)
    height = round(figure_height("status_by_unit", s) * 100)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise
        one = render_chart("status_by_unit", s, 600, height)
        two = render_chart("status_by_unit", s, 600, height, ratio=2.0)
    assert (one.width, one.height, one.ratio) == (600, height, 1.0)
    assert (two.width, two.height) == (1200, 2 * height)  # sharper, same layout
    assert len(one.rgba) == 600 * height * 4 and len(set(one.rgba[::4096])) > 3
    boxes = {h.gid: h for h in one.hits}
    assert "unit|郑陆镇|behind" in boxes and "unit|红梅街道|unreported" in boxes
    for h in one.hits:
        assert 0 <= h.left < h.right <= 600 and 0 <= h.top < h.bottom <= height
        twin = next(t for t in two.hits if t.gid == h.gid)
        assert abs(twin.left - h.left) < 2 and abs(twin.bottom - h.bottom) < 2
    bar = boxes["unit|郑陆镇|behind"]
    assert one.hit((bar.left + bar.right) / 2, (bar.top + bar.bottom) / 2) == bar
    assert one.hit(2, 2) is None  # the title's corner is no bar
    # a unit's rows are in the order the chart lists them, top to bottom
    tops = [boxes[f"unit|{u.name}|unreported"].top for u in s.units
            if f"unit|{u.name}|unreported" in boxes]
    assert tops == sorted(tops)
