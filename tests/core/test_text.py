"""Bidi controls and zero-width characters never reach what the district prints."""

from __future__ import annotations

from app.core.text import has_bidi_control, strip_invisible
from app.services.packets.values import normalise_value
from app.services.plans.importing.grid import cell_text
from app.services.plans.units import clean_name

SPOOF = "完成 3 家\u202e%001 成完\u202c"  # prints reversed: "…完成 100%"


def test_a_reported_value_with_a_bidi_control_is_refused() -> None:
    value, problem = normalise_value("progress", SPOOF)
    assert value == "" and problem is not None and "U+202E" in problem
    for ch in ("\u2066", "\u200f", "\u061c"):
        assert normalise_value("problems", f"资金{ch}未到位")[1] is not None


def test_zero_width_characters_are_dropped_from_reported_values() -> None:
    assert normalise_value("responsible", "\ufeff张\u200b三\u200d") == ("张三", None)
    assert normalise_value("phone", "0519-\u200b86661234") == ("0519-86661234", None)


def test_plan_texts_and_unit_names_lose_them() -> None:
    assert cell_text("推进\u202e海绵城市\u200b建设") == "推进海绵城市建设"
    assert clean_name("青龙\u200b街道\u2068") == "青龙街道"
    assert strip_invisible(SPOOF) == "完成 3 家%001 成完" and not has_bidi_control("完成")
