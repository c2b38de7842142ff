"""The seal message is assembled from per-row canonical JSON; it must stay byte-identical
to encoding the whole identity dict (packets issued before keep verifying)."""

from __future__ import annotations

import datetime as dt

from packet_helpers import SECRET, sample_manifest, sample_rows

from app.services.packets.format import PacketRow, task_key
from app.services.packets.seal import (
    canonical,
    compute_seal,
    fixed_hash,
    hash_of_canonical,
    seal_message,
    verify_seal,
)


def _whole_dict(manifest, rows) -> bytes:  # type: ignore[no-untyped-def]
    return canonical({"packet": manifest.packet_id, "plan": manifest.plan.uid,
                      "unit": manifest.unit, "period": manifest.period,
                      "kind": manifest.kind, "rows": [[r.key, r.fixed] for r in rows]})


def test_assembled_message_equals_the_whole_dict_encoded() -> None:
    rows = sample_rows(9)
    rows.append(PacketRow(task_key('odd"key\\\n'), {"text": "𠀀\u2028\"<&>", "when":
                                                    dt.date(2021, 6, 30), "n": 1.5}, {}))
    manifest = sample_manifest(unit="青龙\"街道", kind="correction")
    expected = _whole_dict(manifest, rows)
    assert seal_message(manifest, rows) == expected
    assert seal_message(manifest, rows, [canonical(r.fixed) for r in rows]) == expected
    assert seal_message(manifest, []) == _whole_dict(manifest, [])


def test_precomputed_fixed_json_gives_the_same_seal() -> None:
    rows = sample_rows(4)
    manifest = sample_manifest()
    seal = compute_seal(SECRET, manifest, rows, [canonical(r.fixed) for r in rows])
    assert seal == compute_seal(SECRET, manifest, rows)
    from dataclasses import replace

    assert verify_seal(SECRET, replace(manifest, seal=seal), rows)
    rows[1].fixed["text"] = "改过的任务"
    assert not verify_seal(SECRET, replace(manifest, seal=seal), rows)


def test_hash_of_canonical_is_the_fixed_hash() -> None:
    fixed = sample_rows(1)[0].fixed
    assert hash_of_canonical(canonical(fixed)) == fixed_hash(fixed)


def test_the_reader_seals_over_the_manifest_text_it_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """read_packet keeps each manifest row's canonical text; the seal is checked over
    those bytes (no re-encoding), so a different text fails like different content."""
    from dataclasses import replace

    from app.services.packets.reader import read_packet
    from app.services.packets.writer import packet_bytes

    rows = sample_rows(6)
    manifest = replace(sample_manifest(), seal=compute_seal(SECRET, sample_manifest(), rows))
    pf = read_packet(packet_bytes(manifest, rows))
    assert [r.fixed_json for r in pf.rows] == [canonical(r.fixed) for r in rows]
    assert verify_seal(SECRET, pf.manifest, pf.rows)
    pf.rows[2].fixed_json = canonical({**rows[2].fixed, "text": "改过的任务"})
    assert not verify_seal(SECRET, pf.manifest, pf.rows)
    pf.rows[2].fixed_json = None  # no text kept: `fixed` is encoded, as before
    assert verify_seal(SECRET, pf.manifest, pf.rows)
