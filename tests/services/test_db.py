from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from app.core.errors import UserFacingError
from app.models import Base
from app.services.backups import list_backups
from app.services.db import head_revision, open_database

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "schemas"


def table_rows(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'")]
        return {n: sorted(con.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
                for n in names}
    finally:
        con.close()


def test_new_file_is_created_and_stamped_at_head(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "new.db")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == \
            head_revision()
        assert set(Base.metadata.tables) <= set(inspect(conn).get_table_names())
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    open_database(path).dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999_from_the_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(UserFacingError, match="更新版本"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库", "utf-8")
    with pytest.raises(UserFacingError, match="SQLite"):
        open_database(path)


def test_a_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.close()
    with pytest.raises(UserFacingError, match="不是台账数据库"):
        open_database(path)


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="不存在"):
        open_database(tmp_path / "nope.db", create=False)


@pytest.mark.parametrize("stored", sorted(SCHEMAS.glob("*.db")), ids=lambda p: p.stem)
def test_every_released_schema_upgrades_to_head_keeping_every_row(
        stored: Path, tmp_path: Path) -> None:
    path = tmp_path / stored.name
    shutil.copy(stored, path)
    before = table_rows(path)
    assert sum(len(rows) for rows in before.values()) > 10
    open_database(path).dispose()
    after = table_rows(path)
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
    con.close()
    for table, rows in before.items():
        assert len(after[table]) == len(rows), table
    if stored.stem != head_revision():
        backups = [b.path for b in list_backups(path) if b.reason == "migrate"]
        assert len(backups) == 1
        assert table_rows(backups[0]) == before


def test_the_stored_schemas_include_head() -> None:
    assert (SCHEMAS / f"{head_revision()}.db").is_file(), \
        "run tools/make_schema_snapshot.py after adding a migration"


def test_an_older_file_is_backed_up_then_upgraded(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The upgrade path with a real next revision (test-only, in a copy of the scripts)."""
    import app.services.db as dbmod

    scripts = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, scripts)
    head = head_revision()
    (scripts / "versions" / "9001_test_only.py").write_text(f'''
from alembic import op
import sqlalchemy as sa

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.add_column(sa.Column("short_name", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("short_name")
''', "utf-8")
    path = tmp_path / "office.db"
    shutil.copy(SCHEMAS / f"{head}.db", path)
    before = table_rows(path)
    monkeypatch.setattr(dbmod, "MIGRATIONS", scripts)
    open_database(path).dispose()

    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9001"
    assert "short_name" in [r[1] for r in con.execute("PRAGMA table_info(unit)")]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
    after = table_rows(path)
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}
    backups = [b.path for b in list_backups(path) if b.reason == "migrate"]
    assert len(backups) == 1
    assert table_rows(backups[0]) == before


def test_head_read_from_the_scripts_is_alembics_head() -> None:
    from app.services.db import scripted_revisions

    head, known = scripted_revisions()
    assert head == head_revision()
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import app.services.db as dbmod

    cfg = Config()
    cfg.set_main_option("script_location", str(dbmod.MIGRATIONS))
    assert known == {r.revision for r in ScriptDirectory.from_config(cfg).walk_revisions()}


def test_scripts_that_do_not_say_plainly_fall_back_to_alembic(tmp_path: Path,
                                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.services.db as dbmod

    scripts = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS, scripts)
    head = head_revision()
    (scripts / "versions" / "9001_merge.py").write_text(
        f'revision = "9001"\ndown_revision = ("{head}",)\n'
        "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n", "utf-8")
    monkeypatch.setattr(dbmod, "MIGRATIONS", scripts)
    assert dbmod.scripted_revisions()[0] is None
    path = tmp_path / "x.db"
    shutil.copy(SCHEMAS / f"{head}.db", path)
    open_database(path).dispose()  # upgraded through Alembic's own reading of the scripts
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9001"
    con.close()


def test_opening_an_up_to_date_file_does_not_import_alembic(tmp_path: Path) -> None:
    """Start-up: one query for the version, Alembic only when there is work for it."""
    import os
    import subprocess
    import sys

    path = tmp_path / "current.db"
    shutil.copy(SCHEMAS / f"{head_revision()}.db", path)
    code = ("import sys\nfrom app.services.db import open_database\n"
            f"open_database({str(path)!r}).dispose()\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=root, env=dict(os.environ, PYTHONPATH=str(root)), check=True)
    assert out.stdout.strip() == "[]"
    new = tmp_path / "new.db"  # creating one still stamps it through Alembic
    code = code.replace(repr(str(path)), repr(str(new)))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=root, env=dict(os.environ, PYTHONPATH=str(root)), check=True)
    assert "alembic" in out.stdout


def test_driver_rows_are_the_drivers_tuples_of_the_same_rows(tianning) -> None:  # type: ignore[no-untyped-def]
    """`driver_rows` (the summary's and the plan loader's fast path) reads what Core reads,
    with its parameters (an expanding IN among them), as plain tuples — on SQLite and, in
    the server pass, PostgreSQL."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app.models import Assignment, Task
    from app.services.db import driver_rows

    query = (select(Assignment.task_id, Assignment.unit_id, Assignment.role)
             .join(Task, Task.id == Assignment.task_id)
             .where(Task.plan_id == 1, Assignment.role.in_(["lead", "implementing"]))
             .order_by(Assignment.task_id, Assignment.role, Assignment.position))
    with Session(tianning) as s:
        core = [tuple(r) for r in s.connection().execute(query)]
        fast = driver_rows(s, query)
    assert fast == core and len(fast) > 100
    assert all(type(r) is tuple for r in fast)
    assert {r[2] for r in fast} == {"lead", "implementing"}


def test_driver_insert_many_stores_what_core_stores(tianning) -> None:  # type: ignore[no-untyped-def]
    """`driver_insert_many` (the merge's entries, audit rows and conflicts) stores the same
    values as a Core executemany — dates, stamps, floats, NULLs and Chinese text read back
    equal through the ORM — and an empty list writes nothing; on SQLite and, in the server
    pass, PostgreSQL."""
    import datetime as dt

    from sqlalchemy import delete, insert, select
    from sqlalchemy.orm import Session

    from app.models import Period, ProgressEntry, Task, Unit
    from app.services.db import driver_insert_many

    table = ProgressEntry.__table__
    stamp = dt.datetime(2024, 3, 5, 8, 9, 10, 123456)
    with Session(tianning) as s, s.begin():
        unit_id = s.scalar(select(Unit.id).order_by(Unit.id).limit(1))
        period_ids = list(s.scalars(select(Period.id).order_by(Period.id).limit(2)))
        task_ids = list(s.scalars(select(Task.id).where(Task.plan_id == 1).order_by(Task.id)
                                  .limit(3)))
        rows = [{"unit_id": unit_id, "task_id": t, "status": ("completed", None, "behind")[i],
                 "percent": (100.0, None, 37.5)[i], "progress": f"第{i}项,已完成 “整改”",
                 "problems": "", "next_steps": "", "responsible": "王敏", "phone": "",
                 "completed_on": (dt.date(2024, 2, 29), None, dt.date(2024, 3, 1))[i],
                 "updated_at": stamp, "packet_id": None} for i, t in enumerate(task_ids)]
        conn = s.connection()
        driver_insert_many(conn, table, [{**r, "period_id": period_ids[0]} for r in rows])
        conn.execute(insert(table), [{**r, "period_id": period_ids[1]} for r in rows])
        driver_insert_many(conn, table, [])
    with Session(tianning) as s:
        def stored(period_id: int) -> list[tuple[object, ...]]:
            return [(e.task_id, e.status, e.percent, e.progress, e.completed_on, e.updated_at)
                    for e in s.scalars(select(ProgressEntry).where(
                        ProgressEntry.unit_id == unit_id, ProgressEntry.period_id == period_id)
                        .order_by(ProgressEntry.task_id))]
        fast, core = stored(period_ids[0]), stored(period_ids[1])
        assert fast == core and len(fast) == 3
        assert fast[0][4] == dt.date(2024, 2, 29) and fast[0][5] == stamp
        assert fast[1][1] is None and fast[1][2] is None and fast[1][4] is None
    with Session(tianning) as s, s.begin():
        s.execute(delete(ProgressEntry))
