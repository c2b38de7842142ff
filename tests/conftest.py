"""Test setup: offscreen Qt, isolated user directories, small real databases."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_home = tempfile.mkdtemp(prefix="taizhang-test-home-")
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[var] = str(Path(_home) / var.lower())
os.environ.setdefault("MPLCONFIGDIR", str(Path(_home) / "mpl"))

import gc  # noqa: E402
import sys  # noqa: E402

import pytest  # noqa: E402
from server_helpers import SERVER_URL, drop_server_database, server_database  # noqa: E402

from app.services.db import Database, open_database  # noqa: E402
from app.services.plans.examples import load_example  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def copy_sqlite(src: Path, dest: Path) -> None:
    a, b = sqlite3.connect(src), sqlite3.connect(dest)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()


# Collect garbage only between tests, on the main thread (as the app does with
# app.views.widgets.gc_guard): a collection triggered inside a worker thread would finalise Qt
# objects left over from earlier tests off the GUI thread.
gc.disable()


@pytest.fixture(autouse=True)
def _collect_on_main_thread() -> Iterator[None]:
    yield
    ops = sys.modules.get("app.views.ops")
    if ops is not None:  # no background work may outlive its test
        assert ops.shutdown(), "a background operation did not stop"
    gc.unfreeze()  # the app's collector freezes survivors (gc_guard): walk them all here
    gc.collect()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Against a server, run only the tests that touch the `db`/`tianning` databases."""
    if not SERVER_URL:
        return
    keep, drop = [], []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        server = item.get_closest_marker("server") is not None
        (keep if server or names & {"db", "tianning"} else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def assert_values_fit(engine: Database) -> None:
    """No value the test wrote is longer than its VARCHAR (PostgreSQL would have refused it)."""
    from sqlalchemy import String, Text, func, select

    from app.models import Base

    too_long = []
    with engine.connect() as conn:
        for table in Base.metadata.tables.values():
            for col in table.columns:
                if isinstance(col.type, String) and not isinstance(col.type, Text) \
                        and col.type.length:
                    longest = conn.scalar(select(func.max(func.length(col))))
                    if longest is not None and longest > col.type.length:
                        too_long.append(f"{table.name}.{col.name}: {longest} > {col.type.length}")
    assert too_long == [], too_long


@pytest.fixture(scope="session")
def tianning_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "tianning.db"
    engine = open_database(path)
    load_example(engine, "tianning")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def tianning_server_template() -> Iterator[str]:
    """The tianning example loaded once on the test server, copied per test (CREATE … TEMPLATE)."""
    url = server_database()
    engine = open_database(url)
    load_example(engine, "tianning")
    engine.dispose()
    from sqlalchemy import make_url

    yield str(make_url(url).database)
    drop_server_database(url)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """An empty, migrated database (a file, or a server database under SERVER_URL)."""
    if SERVER_URL:
        url = server_database()
        engine = open_database(url)
        yield engine
        engine.dispose()
        drop_server_database(url)
        return
    engine = open_database(tmp_path / "empty.db")
    yield engine
    assert_values_fit(engine)
    engine.dispose()


@pytest.fixture
def tianning_path(tmp_path: Path, tianning_template: Path) -> Path:
    path = tmp_path / "tianning.db"
    copy_sqlite(tianning_template, path)
    return path


@pytest.fixture
def tianning(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database holding the bundled tianning example plan (plan id 1)."""
    if SERVER_URL:
        url = server_database(template=request.getfixturevalue("tianning_server_template"))
        engine = open_database(url)
        yield engine
        engine.dispose()
        drop_server_database(url)
        return
    engine = open_database(request.getfixturevalue("tianning_path"))
    yield engine
    assert_values_fit(engine)
    engine.dispose()


@pytest.fixture
def beijing_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run the test with the machine's local zone set to Asia/Shanghai (UTC+8, no DST)."""
    import time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        yield
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.fixture(scope="session")
def ledger_template(tmp_path_factory: pytest.TempPathFactory, tianning_template: Path) -> Path:
    """tianning after three months (2021-04..06) of returns from the 8 towns/streets."""
    from merge_helpers import three_months_of_returns

    folder = tmp_path_factory.mktemp("ledger")
    path = folder / "ledger.db"
    copy_sqlite(tianning_template, path)
    engine = open_database(path)
    try:
        three_months_of_returns(engine, folder)
    finally:
        engine.dispose()
    return path


@pytest.fixture
def ledger_db(tmp_path: Path, ledger_template: Path) -> Iterator[Database]:
    """A copy of `ledger_template` to change freely."""
    path = tmp_path / "ledger.db"
    copy_sqlite(ledger_template, path)
    engine = open_database(path)
    yield engine
    engine.dispose()
