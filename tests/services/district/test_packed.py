"""A merged return's ledger row packed: the same values and first-value facts back, small."""

from __future__ import annotations

import json

from merge_helpers import older_ledger_rows

from app.services.district.packed import (
    FirstValue,
    first_values,
    pack,
    returned_values,
    target_token,
    unpack,
)
from app.services.packets.format import (
    INDICATOR_INPUT_FIELDS,
    SHEET_INDICATORS,
    SHEET_TASKS,
    TASK_INPUT_FIELDS,
)

TEXT = "持续开展重点行业专项整治,巡查发现问题{0}处并已整改到位。"


def _task(n: int) -> dict[str, object]:
    return {"status": ("in_progress", None, "completed")[n % 3],
            "percent": (float(n % 101) if n % 4 else None), "progress": TEXT.format(n),
            "problems": "" if n % 2 else "资金未到位", "next_steps": "继续推进",
            "responsible": "王敏", "phone": "", "completed_on": "2024-03-01" if n % 5 == 0
            else None}


def _cells(sheet_columns: dict[str, str], row: int) -> dict[str, str]:
    """field → cell of every input field of a row, as the reader gives them."""
    return {f: f"{c}{row}" for f, c in sheet_columns.items()}


TASK_COLUMNS = dict(zip(TASK_INPUT_FIELDS, "GHIJKLMN", strict=True))
IND_COLUMNS = dict(zip(INDICATOR_INPUT_FIELDS, "HI", strict=True))


def _return() -> tuple[list[tuple[str, dict[str, object]]], list]:  # type: ignore[type-arg]
    returned: list[tuple[str, dict[str, object]]] = []
    created = []
    for n in range(200):
        key, values = f"T:task{n:04d}", _task(n)
        returned.append((key, values))
        if n % 7:  # the rest existed already
            created.append(("progress", 1000 + n, key, SHEET_TASKS, n + 3,
                            _cells(TASK_COLUMNS, n + 3)))
    for n in range(3):
        key, values = f"I:ind{n}", {"value": str(12 + n), "note": "" if n else "初报"}
        returned.append((key, values))
        created.append(("indicator_value", 50 + n, key, SHEET_INDICATORS, n + 3,
                        _cells(IND_COLUMNS, n + 3)))
    return returned, created


def _facts(created: list) -> list[FirstValue]:  # type: ignore[type-arg]
    values = dict(_return()[0])
    out = []
    for entity, target_id, key, sheet, _number, cells in created:
        names = TASK_INPUT_FIELDS if key.startswith("T:") else INDICATOR_INPUT_FIELDS
        for f in names:
            v = values[key].get(f)
            if v in (None, ""):
                continue
            text = str(int(v)) if isinstance(v, float) else str(v)
            out.append(FirstValue(entity, target_id, f, text, sheet, cells.get(f, "")))
    return out


def test_values_and_first_values_come_back_exactly() -> None:
    returned, created = _return()
    packed, targets = pack(returned, "青龙填报员", created)
    assert returned_values(packed, {}) == dict(returned)
    actor, facts = first_values(packed, {})
    assert actor == "青龙填报员" and facts == _facts(created)
    assert targets is not None
    assert [t for t in targets.split()] == [f"T{1000 + n}" for n in range(200) if n % 7] + [
        "I50", "I51", "I52"]
    assert target_token("progress", 1001) in targets
    assert target_token("progress", 1000) not in targets  # existed before: not created
    assert target_token("progress", 100) not in targets  # no prefix match
    wanted = {("progress", 1001), ("indicator_value", 52)}
    assert first_values(packed, {}, wanted)[1] == [
        v for v in _facts(created) if (v.entity, v.target_id) in wanted]
    # cells follow from the row and the sheet's columns: stored once per sheet
    doc = unpack(packed)
    assert doc["first"]["sheets"] == [SHEET_TASKS, SHEET_INDICATORS]
    assert doc["first"]["columns"] == [  # (no phone was filled)
        {f: c for f, c in TASK_COLUMNS.items() if f != "phone"}, IND_COLUMNS]
    assert all(len(item) == 4 for item in doc["first"]["created"])


def test_rows_that_do_not_follow_the_layout_keep_their_own_cells() -> None:
    """A correction packet's row (only the unlocked fields taken), a field without a
    cell, a field in another column than its sheet's others: each stored as it was."""
    returned = [("T:a", {"percent": 40.0}),  # a correction: one field taken
                ("T:b", _task(1)), ("T:c", _task(2)), ("T:d", _task(4))]
    odd = {**_cells(TASK_COLUMNS, 7), "progress": "Z7"}
    del odd["percent"]
    created = [("progress", 1, "T:a", SHEET_TASKS, 5, _cells(TASK_COLUMNS, 5)),
               ("progress", 2, "T:b", SHEET_TASKS, 6, _cells(TASK_COLUMNS, 6)),
               ("progress", 3, "T:c", SHEET_TASKS, 7, odd),
               ("progress", 4, "T:d", SHEET_TASKS, 8, {})]  # a row the reader did not find
    packed, _targets = pack(returned, "甲", created)
    assert returned_values(packed, {}) == dict(returned)
    facts = first_values(packed, {})[1]
    values = dict(returned)
    assert [(v.target_id, v.field, v.cell) for v in facts] == [
        (t, f, cells.get(f, "")) for _e, t, k, _s, _n, cells in created
        for f in TASK_INPUT_FIELDS if values[k].get(f) not in (None, "")]
    assert ("Z7" in {v.cell for v in facts}) and ("" in {v.cell for v in facts})
    assert [len(i) for i in unpack(packed)["first"]["created"]] == [4, 4, 5, 5]


def test_a_return_that_created_nothing() -> None:
    packed, targets = pack([("T:a", _task(3))], "甲", [])
    assert targets is None and first_values(packed, {}) == ("", [])
    assert returned_values(packed, {}) == {"T:a": _task(3)}


def test_ledger_rows_of_earlier_versions_read_the_same() -> None:
    returned, created = _return()
    packed, _targets = pack(returned, "青龙填报员", created)
    for layout in ("by_key", "list"):
        rows = older_ledger_rows(packed, layout)
        assert returned_values(None, rows) == dict(returned)
        assert first_values(None, rows) == ("青龙填报员", _facts(created))
        wanted = {("progress", 1001)}
        assert first_values(None, rows, wanted)[1] == first_values(packed, {}, wanted)[1]
    assert returned_values(None, None) == {} and first_values(None, None) == ("", [])


def test_packed_is_a_fraction_of_the_earlier_json() -> None:
    """What made a 200-row return's ledger row ≈ 100 KB: the row dicts and the cells."""
    returned, created = _return()
    packed, _targets = pack(returned, "青龙填报员", created)
    before = json.dumps(older_ledger_rows(packed), ensure_ascii=False).encode()
    assert len(packed) * 5 < len(before)


def test_version_2_one_object_reads_the_same() -> None:
    """Returns packed for a while as one JSON object (rows inside) read as the lines do."""
    import zlib

    returned, created = _return()
    packed, _targets = pack(returned, "青龙填报员", created)
    doc = unpack(packed)
    stream = zlib.decompressobj()  # the return's line, then the rows' stream
    assert doc["v"] == 4 and b"\n" not in stream.decompress(packed)
    assert len(zlib.decompress(stream.unused_data).split(b"\n")) == len(returned)
    old = zlib.compress(json.dumps({**doc, "v": 2}, ensure_ascii=False).encode())
    assert returned_values(old, {}) == dict(returned)
    assert first_values(old, {}) == first_values(packed, {})
    wanted = {("progress", 1001), ("indicator_value", 52)}
    assert first_values(old, {}, wanted) == first_values(packed, {}, wanted)
    assert unpack(old) == {**doc, "v": 2}


def test_the_rows_stream_made_by_a_worker_packs_the_same_ledger_row() -> None:
    """`read_packed` (a worker process) makes the rows' stream from the values as read;
    packed with it, the ledger row is the one the merging thread would pack alone, and
    reads back the same."""
    from app.services.district.packed import pack_rows

    returned, created = _return()
    alone = pack(returned, "甲", created)
    assert pack(returned, "甲", created, pack_rows(returned)) == alone
    assert returned_values(alone[0], {}) == dict(returned)


def test_a_version_3_ledger_row_reads_the_same() -> None:
    """Written before the rows had a stream of their own: one stream of all the lines."""
    import zlib

    from app.services.district.packed import _dumps, _lines

    returned, created = _return()
    packed, _targets = pack(returned, "青龙填报员", created)
    doc, lines = _lines(packed)
    v3 = zlib.compress(b"\n".join([_dumps({**doc, "v": 3}).encode(), *lines]), 1)
    assert returned_values(v3, {}) == dict(returned)
    assert first_values(v3, {}) == first_values(packed, {})
    assert first_values(v3, {}, {("progress", 1001)}) == first_values(
        packed, {}, {("progress", 1001)})
    empty = zlib.compress(_dumps({**doc, "v": 3, "first": {}}).encode(), 1)
    assert returned_values(empty, {}) == {}
