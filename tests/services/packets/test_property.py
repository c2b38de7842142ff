"""Property: whatever a clerk may legitimately type comes back from the packet unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packet_helpers import sample_manifest, sample_rows, sealed

from app.services.packets import read_packet, write_packet
from app.services.packets.values import normalise_value

# Letters, digits, CJK, punctuation, symbols and spaces; line breaks only in multi-line
# fields. Control characters are refused by the value rules, so they are not "legitimate".
TEXT = st.text(st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x00"),
               max_size=120)
LONG_TEXT = st.lists(TEXT, min_size=1, max_size=3).map("\n".join)
FORMULA_LIKE = st.tuples(st.sampled_from("=+-@"), TEXT).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    progress=st.one_of(LONG_TEXT, FORMULA_LIKE),
    problems=st.one_of(TEXT, FORMULA_LIKE),
    responsible=TEXT.filter(lambda t: len(t.strip()) <= 50),
    percent=st.one_of(st.none(), st.decimals(0, 100, places=2).map(float)),
    status=st.sampled_from([None, "not_started", "in_progress", "completed", "behind",
                            "ongoing"]),
    text_value=TEXT.filter(lambda t: len(t) <= 100),
    number=st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: f"{f:.3f}"),
)
def test_any_legitimate_input_reads_back_exactly(progress: str, problems: str,
                                                 responsible: str, percent: float | None,
                                                 status: str | None, text_value: str,
                                                 number: str) -> None:
    rows = sample_rows(2)
    typed = {"status": status, "percent": percent, "progress": progress,
             "problems": problems, "next_steps": "", "responsible": responsible, "phone": "",
             "completed_on": None}
    expected = {}
    for field, raw in typed.items():
        normal, problem = normalise_value(field, raw)
        if problem is not None:  # the office form would refuse it before export
            return
        expected[field] = normal
    rows[0].values = expected
    text_normal, problem = normalise_value("value", text_value)
    if problem is not None:
        return
    number_normal, _ = normalise_value("value", number)
    rows[-2].values = {"value": number_normal, "note": ""}  # numeric standard (≥20)
    rows[-1].values = {"value": text_normal, "note": ""}  # text standard (制定实施)
    with tempfile.TemporaryDirectory() as tmp:
        written = write_packet(Path(tmp) / "p.xlsx", sealed(sample_manifest(), rows), rows)
        packet = read_packet(written.path)
    assert packet.errors == []
    assert packet.row(rows[0].key).values == expected
    read_number = packet.row(rows[-2].key).values["value"]
    assert float(read_number) == float(number)  # numeric indicators normalise 0.000 → "0"
    assert packet.row(rows[-1].key).values == {"value": text_normal, "note": ""}
