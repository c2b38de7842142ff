"""atomic_write: files get the user's normal mode (mkstemp alone would leave them 0600)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.packets.writer import USER_FILE_MODE, atomic_write

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


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


def test_replacing_a_file_gives_the_same_mode_as_a_new_one(tmp_path: Path) -> None:
    target = tmp_path / "a.xlsx"
    atomic_write(target, b"one")
    first = _mode(target)
    atomic_write(target, b"two")
    assert _mode(target) == first == USER_FILE_MODE
    assert target.read_bytes() == b"two"
