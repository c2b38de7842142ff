"""Changes: the flags an operation sets and how pages match them."""

from __future__ import annotations

from app.core.changes import EVERYTHING, NOTHING, Changes


def test_flags_combine_and_match_what_a_page_watches() -> None:
    merged = Changes(progress=True, note="merged") | Changes(conflicts=True, note="other")
    assert merged.kinds() == {"progress", "conflicts"} and merged.note == "merged"
    assert merged.touches(Changes(conflicts=True))
    assert not merged.touches(Changes(plans=True, units=True, audit=True))
    assert not NOTHING and not Changes(note="only a note")
    assert EVERYTHING.touches(Changes(flags=True))
    assert not Changes(flags=True).touches(NOTHING)
