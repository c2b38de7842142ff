"""The whole command-line loop gives the same JSON on PostgreSQL as on SQLite.

init, issue, three units' returns (office open/export, a hand-filled one), merge, then
`plan show`, `progress` and `report` --json compared between the two databases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from merge_helpers import fill_by_hand, row_keys
from server_helpers import SERVER_URL, drop_server_database, server_database

pytestmark = [pytest.mark.server,
              pytest.mark.skipif(not SERVER_URL, reason="TAIZHANG_TEST_DATABASE_URL not set")]
ROOT = Path(__file__).resolve().parents[2]
PERIOD = "2021-06"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                       text=True, cwd=ROOT, env=dict(os.environ), timeout=600)
    assert r.returncode == 0, (args, r.stderr)
    return r


@pytest.fixture
def server_db() -> Iterator[str]:
    url = server_database()
    yield url
    drop_server_database(url)


def loop(db: str, folder: Path) -> dict[str, Any]:
    """The district's month by command line; returns the three JSON outputs."""
    folder.mkdir()
    run("init", "--db", db, "--example", "tianning")
    run("issue", "--db", db, "--period", PERIOD, "--out", str(folder / "out"),
        "--unit", "郑陆镇", "青龙街道", "茶山街道")
    issued = sorted((folder / "out").rglob("*.xlsx"))
    returned = []
    for unit in ("郑陆镇", "青龙街道"):
        packet = next(p for p in issued if unit in p.name)
        office = folder / f"{unit}.office.db"
        run("office", "open", "--db", str(office), str(packet))
        out = folder / f"{unit}.return.xlsx"
        run("office", "export", "--db", str(office), "--period", PERIOD, "--out", str(out))
        returned.append(out)
    packet = next(p for p in issued if "茶山街道" in p.name)
    tasks = [k for k in row_keys(packet) if k.startswith("T:")]
    returned.append(fill_by_hand(packet, folder / "茶山街道.return.xlsx", {
        k: {"status": "completed" if i % 2 else "behind", "percent": 100 if i % 2 else 40,
            "progress": f"已完成第 {i} 项", "problems": "资金未到位" if i % 3 == 0 else ""}
        for i, k in enumerate(tasks)}))
    merged = json.loads(run("merge", "--db", db, "--json", *map(str, returned)).stdout)
    assert [p["status"] for p in merged["packets"]] == ["applied"] * 3
    return {
        "plan": json.loads(run("plan", "show", "--db", db, "--json").stdout),
        "progress": json.loads(run("progress", "--db", db, "--period", PERIOD,
                                   "--json").stdout),
        "report": json.loads(run("report", "--db", db, "--period", PERIOD,
                                 "--date", "2021-07-06", "--json").stdout),
    }


def test_the_cli_loop_gives_the_same_json_on_both(server_db: str, tmp_path: Path) -> None:
    on_sqlite = loop(str(tmp_path / "district.db"), tmp_path / "sqlite")
    on_server = loop(server_db, tmp_path / "server")
    for name in ("plan", "progress", "report"):
        assert on_server[name] == on_sqlite[name], name
    assert on_sqlite["progress"]["units"]
