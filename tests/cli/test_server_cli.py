"""The command line against a PostgreSQL server (TAIZHANG_TEST_DATABASE_URL, else skipped)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_helpers import SERVER_URL, drop_server_database, server_database

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.server,
              pytest.mark.skipif(not SERVER_URL, reason="TAIZHANG_TEST_DATABASE_URL not set")]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=300)


@pytest.fixture
def empty_server_db() -> Iterator[str]:
    url = server_database()
    yield url
    drop_server_database(url)


def test_init_creates_the_schema_on_the_server_and_leaves_no_local_file(
        empty_server_db: str, tmp_path: Path) -> None:
    before = set(ROOT.iterdir())
    r = run("init", "--db", empty_server_db, "--example", "tianning")
    assert r.returncode == 0, r.stderr
    assert "已创建 postgresql+psycopg://" in r.stdout
    assert os.environ["PGPASSWORD"] not in r.stdout + r.stderr
    assert set(ROOT.iterdir()) == before  # no file named "postgresql:…"
    shown = run("plan", "show", "--db", empty_server_db, "--json")
    assert shown.returncode == 0 and "天宁区" in shown.stdout
    again = run("init", "--db", empty_server_db)
    assert again.returncode == 1 and "不会覆盖" in again.stderr


def test_wrong_password_missing_database_and_stopped_server_are_one_line(
        empty_server_db: str) -> None:
    assert run("init", "--db", empty_server_db).returncode == 0
    cases = [
        (empty_server_db, {"PGPASSWORD": "wrong-password"}, "密码不对"),
        (empty_server_db.replace("/tz_", "/nothere_"), {}, "没有这个数据库"),
    ]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cases.append((f"postgresql://127.0.0.1:{port}/tz?user=taizhang", {}, "未运行"))
    for url, env, words in cases:
        r = run("progress", "--db", url, "--period", "2021-06", env=env)
        assert r.returncode == 1, r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], r.stderr
        assert "Traceback" not in r.stderr and "wrong-password" not in r.stderr


def test_a_password_on_the_command_line_is_refused(empty_server_db: str) -> None:
    from sqlalchemy.engine import make_url

    secret = os.environ["PGPASSWORD"]
    url = make_url(empty_server_db)
    with_pw = url.set(username="taizhang", password=secret, query={})
    r = run("progress", "--db", with_pw.render_as_string(hide_password=False),
            "--period", "2021-06")
    assert r.returncode == 2 and "不能写密码" in r.stderr
    assert secret not in r.stderr + r.stdout
