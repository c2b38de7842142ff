"""Packets: the workbook a district issues to a unit and gets back filled (format v1).

Public API (see docs/packet-format.md):

* ``format``: ``Manifest``, ``PlanMeta``, ``PacketRow``,
  sheet/column constants, ``normalise_value`` (the shared value rules), ``task_key``/
  ``indicator_key``;
* ``writer``: ``write_packet`` (atomic), ``packet_bytes``, ``atomic_write``, ``WrittenFile``;
* ``container``: ``check_container``, ``scan_sheet`` (bounds every workbook opened);
* ``reader``: ``read_packet`` → ``PacketFile``, ``check_container``;
* ``seal``: ``compute_seal``, ``verify_seal``, ``fixed_hash``.
"""

from __future__ import annotations

from app.services.packets.format import (
    FORMAT_VERSION,
    Manifest,
    PacketRow,
    PlanMeta,
    indicator_key,
    normalise_value,
    task_key,
)
from app.services.packets.reader import PacketFile, problems_text, read_packet
from app.services.packets.seal import compute_seal, fixed_hash, verify_seal
from app.services.packets.writer import WrittenFile, atomic_write, packet_bytes, write_packet

__all__ = [
    "FORMAT_VERSION", "Manifest", "PacketFile", "PacketRow",
    "PlanMeta", "WrittenFile", "atomic_write", "compute_seal", "fixed_hash", "indicator_key",
    "normalise_value", "packet_bytes", "problems_text", "read_packet", "task_key",
    "verify_seal", "write_packet",
]
