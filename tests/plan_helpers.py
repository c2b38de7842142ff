"""Plan workbooks built in a test, and what an import left in the database."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.models import Plan, Unit, UnitAlias
from app.services.db import Database
from app.services.plans.importing.writing import import_plan_workbook

Rows = list[list[Any]]


def workbook(tmp_path: Path, rows: Rows, merges: tuple[str, ...] = (), name: str = "plan.xlsx",
             edit: Callable[[Workbook], None] | None = None) -> Path:
    """A one-sheet workbook ("任务") with these rows and merged ranges."""
    wb = Workbook()
    ws = wb.active
    ws.title = "任务"
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    if edit is not None:
        edit(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def counts(db: Database) -> tuple[int, int, int]:
    """Plans, units and unit aliases stored."""
    with Session(db) as s:
        return (s.scalar(select(func.count()).select_from(Plan)) or 0,
                s.scalar(select(func.count()).select_from(Unit)) or 0,
                s.scalar(select(func.count()).select_from(UnitAlias)) or 0)


def assert_refused(db: Database, path: Path, message: str) -> None:
    """Importing the file fails in Chinese with this message and stores nothing."""
    with pytest.raises(UserFacingError, match=message) as info:
        import_plan_workbook(db, path)
    assert re.search(r"[\u4e00-\u9fff]", str(info.value))
    assert counts(db) == (0, 0, 0)
