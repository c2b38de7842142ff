"""Packets: the workbook a district issues to a unit and gets back filled (format v1).

Public API (see docs/packet-format.md):

* ``format``: ``Manifest``, ``PlanMeta``, ``PacketRow``,
  sheet/column constants, ``fixed_cell_text``, ``task_key``/
  ``indicator_key``;
* ``writer``: ``write_packet`` (atomic), ``packet_bytes``, ``atomic_write``, ``WrittenFile``;
* ``container``: ``check_container``, ``scan_sheet`` (bounds every workbook opened);
* ``reader``: ``read_packet`` → ``PacketFile``, ``check_container``;
* ``values``: ``normalise_value`` (the shared input rules), value conversions;
* ``seal``: ``compute_seal``, ``verify_seal``, ``fixed_hash``.
"""

from __future__ import annotations

import importlib
from typing import Any

# name → submodule; loaded on first use (PEP 562), so importing ``packets.format`` (which
# every page does for its constants) does not load calamine, defusedxml and xlsxwriter
_WHERE = {
    "FORMAT_VERSION": "format", "Manifest": "format", "PacketRow": "format",
    "PlanMeta": "format",
    "indicator_key": "format", "task_key": "format", "normalise_value": "values",
    "PacketFile": "reader", "problems_text": "reader", "read_packet": "reader",
    "compute_seal": "seal", "fixed_hash": "seal", "verify_seal": "seal",
    "WrittenFile": "writer", "atomic_write": "writer", "packet_bytes": "writer",
    "write_packet": "writer",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
