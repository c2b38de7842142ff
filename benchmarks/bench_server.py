"""The same returns merged into PostgreSQL and into SQLite, by one and by four processes.

    TAIZHANG_TEST_DATABASE_URL=postgresql://127.0.0.1:PORT/DB?user=U PGPASSWORD=… \\
        .venv/bin/python benchmarks/run_all.py --only server

(`eval "$(bash scripts/pg_cluster.sh start)"` starts a throw-away server on loopback.)
Setup (not timed): bench_merge's packets (N returns, `rows` task rows each, 20 units over
as many months as N needs) and its template database, copied table by table into a new
server database. Timed: `apply_packets` of every file (read, check, write) into a fresh
copy of each database, by one process, then by four processes each merging five of the
twenty units (different units: the merge lock is per unit and period, so they should not
wait for each other on PostgreSQL; SQLite has one writer at a time). Four-process times
run from the moment all four are ready to the last one done. Ratios are to SQLite with
one process, measured in the same run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_merge import cached_build, copy_db
from harness import ROOT, Measure, benchmark, log, once_ms

from app.services.db import open_database
from app.services.district.merge import apply_packets

WORKER = r"""
import json, sys, time
from pathlib import Path
from app.services.db import open_database
from app.services.district.merge import apply_packets
db, go, files = sys.argv[1], Path(sys.argv[2]), json.loads(sys.argv[3])
engine = open_database(db, create=False)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
start = time.time()
results = apply_packets(engine, files, period=None)
end = time.time()
engine.dispose()
print(json.dumps({"start": start, "end": end, "statuses": sorted({r.status for r in results})}),
      flush=True)
"""


def server_url() -> str:
    return os.environ.get("TAIZHANG_BENCH_DATABASE_URL") or \
        os.environ.get("TAIZHANG_TEST_DATABASE_URL", "")


def new_server_copy(template: Path) -> str:
    """A new server database holding the SQLite template's rows (ids kept)."""
    from sqlalchemy import create_engine, make_url, select, text

    from app.models import Base

    base = make_url(server_url()).set(drivername="postgresql+psycopg")
    name = f"tz_bench_{os.getpid()}_{time.time_ns() % 10**9}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = base.set(database=name).render_as_string(hide_password=False)
    src, dest = open_database(template), open_database(url)
    with src.connect() as a, dest.begin() as b:
        for table in Base.metadata.sorted_tables:
            rows = [dict(r._mapping) for r in a.execute(select(table))]
            if rows:
                b.execute(table.insert(), rows)
            if "id" in table.c and table.c.id.autoincrement is not False and \
                    str(table.c.id.type) == "INTEGER" and rows:
                b.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                               f"(SELECT max(id) FROM \"{table.name}\"))"))
    src.dispose()
    dest.dispose()
    return url


def drop_server(url: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    name = make_url(url).database
    admin = create_engine(make_url(url).set(database=make_url(server_url()).database),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def one_process(db: str, files: list[Path]) -> float:
    engine = open_database(db, create=False)
    results: list = []
    ms = once_ms(lambda: results.extend(apply_packets(engine, files, period=None)))
    engine.dispose()
    assert {r.status for r in results} == {"applied"}, {r.status for r in results}
    return ms


def four_processes(db: str, files: list[Path], units: int, work: Path) -> float:
    go = work / f"go-{time.time_ns()}"
    groups = [[str(f) for i, f in enumerate(files) if (i % units) % 4 == g] for g in range(4)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, db, str(go), json.dumps(g)],
                              stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
             for g in groups]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    go.touch()
    done = []
    for p in procs:
        assert p.stdout is not None
        done.append(json.loads(p.stdout.readline()))
        p.wait(timeout=3600)
    assert all(d["statuses"] == ["applied"] for d in done), done
    return (max(d["end"] for d in done) - min(d["start"] for d in done)) * 1000


@benchmark("server", small={"n": 100, "rows": 50}, large={"n": 1000, "rows": 50})
def measure(n: int, rows: int) -> list[Measure]:
    """SQLite vs PostgreSQL, one and four merging processes."""
    template, files = cached_build(n, rows)
    units = min(n, 20)
    work = Path(tempfile.mkdtemp(prefix="bench-server-"))
    base_l = "SQLite, one process"
    out = []
    sqlite1 = one_process(str(copy_db(template, work / "one.db")), files)
    log(f"sqlite 1 process {sqlite1 / 1000:.1f} s")
    out.append(Measure(base_l, sqlite1, note=f"{n} returns × {rows} rows"))
    sqlite4 = four_processes(str(copy_db(template, work / "four.db")), files, units, work)
    log(f"sqlite 4 processes {sqlite4 / 1000:.1f} s")
    out.append(Measure("SQLite, four processes (different units)", sqlite4, base=base_l))
    if not server_url():
        log("no TAIZHANG_TEST_DATABASE_URL: PostgreSQL not measured")
        return out
    url = new_server_copy(template)
    try:
        pg1 = one_process(url, files)
    finally:
        drop_server(url)
    log(f"postgresql 1 process {pg1 / 1000:.1f} s")
    url = new_server_copy(template)
    try:
        pg4 = four_processes(url, files, units, work)
    finally:
        drop_server(url)
    log(f"postgresql 4 processes {pg4 / 1000:.1f} s")
    out += [Measure("PostgreSQL, one process", pg1, base=base_l),
            Measure("PostgreSQL, four processes (different units)", pg4, base=base_l)]
    return out
