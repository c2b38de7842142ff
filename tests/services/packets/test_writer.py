"""The packet writer: xlsxwriter's own bytes from the faster sheet and shared-string
writers; atomic_write's files get the user's normal mode (mkstemp alone would leave them
0600)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from packet_helpers import TRICKY, sample_manifest, sample_rows, sealed
from xlsxwriter.packager import Packager
from xlsxwriter.worksheet import Worksheet

from app.services.packets.format import PacketRow
from app.services.packets.writer import (
    USER_FILE_MODE,
    _Workbook,
    apply_corrections,
    atomic_write,
    packet_bytes,
)

ROOT = Path(__file__).resolve().parents[3]

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")

# what xlsxwriter escapes or marks: control characters, its own _xHHHH_ escapes, leading and
# trailing blanks, XML's special characters, a string that looks like rich text, one over
# 16,383 characters (checked in UTF-16 units), the two non-characters
ODD = [*TRICKY, "a\x01b\x1f", "_x0041_ 已转义", " 前空格", "后空格 ", "\t制表", "<r>富文本</r>",
       '&<>"\' 符号', "x" * 17000, "\ufffe\uffff", "０５１９", ""]


def _odd_rows() -> list[PacketRow]:
    rows = sample_rows(12)
    for i, row in enumerate(rows):
        if row.is_task:
            row.values.update(progress=ODD[i % len(ODD)], phone=ODD[(i + 4) % len(ODD)],
                              status=["in_progress", "completed", "lagging", None][i % 4],
                              percent=[None, 0, 55.5, 100.0, 1e-7][i % 5],
                              completed_on=[None, "2021-05-31", dt.date(2020, 1, 2)][i % 3])
        else:
            row.values.update(value=["12.5", " x "][i % 2], note=ODD[(i + 7) % len(ODD)])
    return rows


@pytest.mark.parametrize("kind", ["normal", "correction"])
def test_the_fast_writers_give_xlsxwriters_own_bytes(monkeypatch: pytest.MonkeyPatch,
                                                      kind: str) -> None:
    """`_Sheet`'s cell loop and the cached shared strings write, byte for byte, what
    xlsxwriter's own Worksheet and SharedStrings write for the same packet."""
    rows = _odd_rows()
    if kind == "correction":
        keys = [r.key for r in rows]
        rows = apply_corrections(rows, {k: {"progress", "value"} for k in keys[::2]},
                                 {k: {"progress": f"请补充 {ODD[i % len(ODD)][:20]}"}
                                  for i, k in enumerate(keys[::3])})
    manifest = sealed(sample_manifest(kind=kind), rows)
    fast = [packet_bytes(manifest, [dataclasses.replace(r) for r in rows]) for _ in range(2)]
    monkeypatch.setattr(_Workbook, "worksheet_class", Worksheet)
    monkeypatch.setattr(_Workbook, "_get_packager", lambda self: Packager())
    plain = packet_bytes(manifest, rows)
    assert fast[0] == fast[1] == plain  # the second one from the cached <si> elements


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_written_file_follows_the_umask(tmp_path: Path, umask: int) -> None:
    """In a fresh process with that umask, like a clerk's session."""
    target = tmp_path / "报送包.xlsx"
    code = ("import sys; from pathlib import Path; from app.services.packets.writer import "
            "atomic_write; atomic_write(Path(sys.argv[1]), b'PK data')")
    subprocess.run([sys.executable, "-c", code, str(target)], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)},
                   preexec_fn=lambda: os.umask(umask))
    assert target.read_bytes() == b"PK data"
    assert _mode(target) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


@posix_only
def test_replacing_a_file_gives_the_same_mode_as_a_new_one(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    atomic_write(target, b"one")
    first = _mode(target)
    atomic_write(target, b"two")
    assert _mode(target) == first == USER_FILE_MODE
    assert target.read_bytes() == b"two"
