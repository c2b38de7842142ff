"""Unit contacts: the 邮箱 rule, editing with audit, and export → import."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.models import AuditLog
from app.services.db import Database
from app.services.plans.contacts import addresses, clean_contact, clean_email, contact_line
from app.services.plans.edit import UnitFields, list_units, update_unit
from app.services.plans.export import export_plan
from app.services.plans.importing.matching import preview_import
from app.services.plans.importing.writing import import_plan_workbook
from app.services.plans.query import get_plan


def test_addresses_are_cleaned_and_several_are_joined() -> None:
    assert clean_email("") == ""
    assert clean_email("  qinglong@tianning.gov.cn ") == "qinglong@tianning.gov.cn"
    # full-width ＠ and ；typed with a Chinese input method, a repeat dropped
    assert clean_email("a＠x.cn；b@y.com.cn、a@x.cn") == "a@x.cn; b@y.com.cn"
    assert addresses("a@x.cn; b@y.com.cn") == ["a@x.cn", "b@y.com.cn"]
    assert contact_line(" 王芳 ", "0519-8888 1234") == "王芳 0519-8888 1234"


@pytest.mark.parametrize("bad", ["qinglong", "qinglong@", "@tianning.gov.cn", "a@b",
                                 "a@@b.cn", "王芳 <a@b.cn>", "a@b.c"])
def test_a_wrong_address_is_refused_in_chinese(bad: str) -> None:
    with pytest.raises(UserFacingError, match=r"邮箱“.+”格式不正确,应写作 name@example\.com"):
        clean_contact("王芳", "", bad, "单位“青龙街道”")


def test_contacts_are_edited_with_an_audit_row(tianning: Database) -> None:
    unit = next(u for u in list_units(tianning, 1) if u.name == "青龙街道")
    fields = UnitFields(unit.name, unit.kind, "王芳", unit.aliases, "0519-88881234",
                        "qinglong＠tianning.gov.cn")
    change = update_unit(tianning, unit.id, fields)
    assert set(change.fields) == {"contact", "phone", "email"}
    again = next(u for u in list_units(tianning, 1) if u.id == unit.id)
    assert (again.contact, again.phone, again.email) == ("王芳", "0519-88881234",
                                                         "qinglong@tianning.gov.cn")
    with Session(tianning) as s:
        logged = set(s.scalars(select(AuditLog.field).where(AuditLog.entity == "unit",
                                                            AuditLog.entity_id == unit.id)))
    assert {"contact", "phone", "email"} <= logged
    with pytest.raises(UserFacingError, match="单位“青龙街道”的邮箱“qinglong”格式不正确"):
        update_unit(tianning, unit.id, UnitFields(unit.name, unit.kind, email="qinglong"))
    assert next(u for u in list_units(tianning, 1) if u.id == unit.id).email == \
        "qinglong@tianning.gov.cn"


def test_contacts_travel_with_the_exported_plan(tmp_path: Path, tianning: Database,
                                                db: Database) -> None:
    unit = next(u for u in list_units(tianning, 1) if u.name == "青龙街道")
    update_unit(tianning, unit.id, UnitFields(unit.name, unit.kind, "王芳", unit.aliases,
                                              "13800000001", "qinglong@tianning.gov.cn"))
    path = tmp_path / "plan.xlsx"
    export_plan(tianning, 1, path)
    ws = load_workbook(path)["单位"]
    header = [c.value for c in ws[1]]
    assert header[-3:] == ["联系人", "电话", "邮箱"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "青龙街道")
    assert row[-3:] == ("王芳", "13800000001", "qinglong@tianning.gov.cn")

    result = import_plan_workbook(db, path)
    info = get_plan(db, result.plan_id)
    got = next(u for u in info.units if u.name == "青龙街道")
    assert (got.contact, got.phone, got.email) == ("王芳", "13800000001",
                                                   "qinglong@tianning.gov.cn")
    assert next(u for u in info.units if u.name == "郑陆镇").email == ""


def test_a_wrong_address_in_the_workbook_is_a_warning_and_left_out(tmp_path: Path,
                                                                   tianning: Database,
                                                                   db: Database) -> None:
    path = tmp_path / "plan.xlsx"
    export_plan(tianning, 1, path)
    wb = load_workbook(path)
    ws = wb["单位"]
    r = next(c.row for c in ws["A"] if c.value == "郑陆镇")
    ws.cell(r, 4, "李强")
    ws.cell(r, 6, "zhenglu#tianning.gov.cn")
    wb.save(path)
    preview = preview_import(db, path)
    warning = next(p for p in preview.problems if "邮箱" in p.message)
    assert warning.severity == "warning" and warning.cell == f"F{r}"
    assert "未导入此邮箱" in warning.message
    info = get_plan(db, import_plan_workbook(db, path).plan_id)
    got = next(u for u in info.units if u.name == "郑陆镇")
    assert (got.contact, got.email) == ("李强", "")


def test_a_workbook_without_contacts_erases_none(tmp_path: Path, tianning: Database) -> None:
    path = tmp_path / "plan.xlsx"
    export_plan(tianning, 1, path)  # no contacts yet: the columns are empty
    unit = next(u for u in list_units(tianning, 1) if u.name == "青龙街道")
    update_unit(tianning, unit.id, UnitFields(unit.name, unit.kind, "王芳", unit.aliases,
                                              "", "qinglong@tianning.gov.cn"))
    import_plan_workbook(tianning, path)
    again = next(u for u in list_units(tianning, 1) if u.id == unit.id)
    assert (again.contact, again.email) == ("王芳", "qinglong@tianning.gov.cn")
