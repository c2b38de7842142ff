"""The import preview matches written unit names to the database's units and keeps the
user's choices."""

from __future__ import annotations

from pathlib import Path

from plan_helpers import Rows, workbook

from app.services.db import Database
from app.services.plans.importing.matching import preview_import
from app.services.plans.importing.writing import apply_import, import_plan_workbook


def test_unit_choices_are_remembered(tmp_path: Path, db: Database) -> None:
    rows: Rows = [["序号", "任务内容", "牵头单位"], ["1", "甲任务。", "区住房和城乡建设局"]]
    import_plan_workbook(db, workbook(tmp_path, rows, name="a.xlsx"))
    rows = [["序号", "任务内容", "牵头单位"], ["1", "乙任务。", "区住建局"],
            ["2", "丙任务。", "区住建管理局"]]
    path = workbook(tmp_path, rows, name="b.xlsx")
    preview = preview_import(db, path)
    by = {d.name: d for d in preview.units}
    assert (by["区住建局"].action, by["区住建局"].target) == ("alias", "区住房和城乡建设局")
    # not close enough to propose: a new unit, the closest offered to pick
    assert by["区住建管理局"].action == "new" and by["区住建管理局"].candidates[0] == "区住房和城乡建设局"
    # the user says 区住建管理局 is a unit of its own
    preview = preview_import(db, path, {"区住建管理局": "区住建管理局"})
    apply_import(db, preview)
    again = preview_import(db, path)
    assert {d.name: d.action for d in again.units} == {"区住建局": "existing",
                                                       "区住建管理局": "existing"}
