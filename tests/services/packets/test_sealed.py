"""A packet read in a worker process comes back without its sealed content only where
its seal held under the secret of the plan its manifest names."""

from __future__ import annotations

from packet_helpers import SECRET, sample_manifest, sample_rows, sealed

from app.services.packets.reader import read_packet
from app.services.packets.seal import verify_seal
from app.services.packets.sealed import read_sealed
from app.services.packets.writer import packet_bytes


def _packet() -> bytes:
    rows = sample_rows(6)
    return packet_bytes(sealed(sample_manifest(), rows), rows)


def test_a_seal_that_holds_sends_the_rows_without_their_sealed_content() -> None:
    data = _packet()
    whole = read_packet(data, name="p.xlsx")
    packet, plan_uid = read_sealed(read_packet, data, "p.xlsx",
                                   {whole.manifest.plan.uid: SECRET})
    assert plan_uid == whole.manifest.plan.uid
    assert [r.fixed for r in packet.rows] == [{"code": r.code} for r in whole.rows]
    assert all(r.fixed_json is None for r in packet.rows)
    # what the merge uses is all there
    assert [(r.key, r.code, r.values, r.cells, r.sheet, r.row, r.editable)
            for r in packet.rows] == [(r.key, r.code, r.values, r.cells, r.sheet, r.row,
                                       r.editable) for r in whole.rows]
    assert (packet.manifest, packet.file_hash, packet.titles) == (
        whole.manifest, whole.file_hash, whole.titles)


def test_a_seal_not_verified_sends_the_text_it_is_checked_over() -> None:
    """A seal that fails, or a plan not known: the rows keep the manifest's text of their
    sealed content (and the code), over which the check verifies it again."""
    data = _packet()
    whole = read_packet(data, name="p.xlsx")
    for secrets in ({whole.manifest.plan.uid: "another-secret"}, {"other-plan": SECRET}, {}):
        packet, plan_uid = read_sealed(read_packet, data, "p.xlsx", secrets)
        assert plan_uid is None
        assert [r.fixed_json for r in packet.rows] == [r.fixed_json for r in whole.rows]
        assert all(r.fixed_json for r in packet.rows)
        assert [r.fixed for r in packet.rows] == [{"code": r.code} for r in whole.rows]
        assert verify_seal(SECRET, packet.manifest, packet.rows)
        assert not verify_seal("another-secret", packet.manifest, packet.rows)
