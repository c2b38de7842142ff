"""The kill -9 test, short: `tools/kill_merge.py` kills `merge` with SIGKILL at random
moments and checks the database after each kill (200 kills: run the tool by hand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_merge_killed_with_sigkill_leaves_every_packet_whole(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "kill_merge.py"), "--kills", "3",
                          "--units", "2", "--seed", "7", "--keep", str(tmp_path / "work")],
                         capture_output=True, text=True, timeout=900, cwd=ROOT)
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0 and result["ok"], result
    assert result["same_as_uninterrupted"] and result["final_exit"] == 0
    assert result["kills"] + result["finished_runs"] == 3
