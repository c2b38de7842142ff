"""Opening server databases: simultaneous first opens, and upgrades backed up by pg_dump."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_helpers import SERVER_URL, at_first_revision, drop_server_database, server_database
from sqlalchemy import inspect, text

from app.services import db as dbmod
from app.services.db import UpgradeNeedsConfirmation, head_revision, open_database

pytestmark = [pytest.mark.server,
              pytest.mark.skipif(not SERVER_URL, reason="TAIZHANG_TEST_DATABASE_URL not set")]
ROOT = Path(__file__).resolve().parents[2]
LONG_UNIT = "万立方米/年(按设计处理能力折算,含已建成投运和在建且年内投运的集中式处理设施)" * 2


@pytest.fixture
def server_db() -> Iterator[str]:
    url = server_database()
    yield url
    drop_server_database(url)


def test_twenty_simultaneous_first_opens_all_succeed(server_db: str) -> None:
    code = ("import sys; from app.services.db import open_database; "
            "open_database(sys.argv[1]).dispose()")
    procs = [subprocess.Popen([sys.executable, "-c", code, server_db], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(20)]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    assert [err for rc, err in results if rc != 0] == []
    engine = open_database(server_db)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() \
            == [head_revision()]
    engine.dispose()


def test_an_upgrade_is_backed_up_with_pg_dump_first(server_db: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    if head_revision() == "0001":
        pytest.skip("only one revision")
    at_first_revision(server_db)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    engine = open_database(server_db)
    with engine.begin() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()
        assert conn.scalar(text("SELECT name FROM unit")) == "区创建办"
        conn.execute(text("INSERT INTO indicator (uid, plan_id, code, position, domain, category,"
                          " name, unit) SELECT 'u1', p.id, '1', 0, '', '', 'x', :u FROM plan p"),
                     {"u": LONG_UNIT})  # no plan row: nothing inserted, but the type is checked
        types = {c["name"]: str(c["type"]) for c in inspect(conn).get_columns("indicator")}
    engine.dispose()
    assert types["unit"] == "TEXT"
    dumps = list(tmp_path.rglob("*.schema-0001.*.dump"))
    assert len(dumps) == 1 and dumps[0].stat().st_size > 0


def test_without_pg_dump_an_upgrade_needs_confirmation(server_db: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    if head_revision() == "0001":
        pytest.skip("only one revision")
    at_first_revision(server_db)
    monkeypatch.setattr(dbmod.shutil, "which", lambda name: None)
    with pytest.raises(UpgradeNeedsConfirmation, match="--yes"):
        open_database(server_db)
    engine = open_database(server_db, confirm_upgrade=True)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == head_revision()
    engine.dispose()
