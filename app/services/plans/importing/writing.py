"""Applying an import: units, aliases and the plan in one transaction with an audit row
(``apply_import``); a preview whose units vanished since is refused."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.models import AuditLog, Indicator, Unit
from app.services.backups import make_backup
from app.services.db import current_actor
from app.services.plans.contacts import Contact
from app.services.plans.importing.matching import ImportPreview, preview_import
from app.services.plans.importing.parsers import parse_standard_text
from app.services.plans.query import insert_plan
from app.services.plans.units import (
    NEW,
    known_units,
    write_units,
)


@dataclass(frozen=True)
class ImportResult:
    plan_id: int
    title: str
    sections: int
    tasks: int
    indicators: int
    units: int
    new_units: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...]  # (written name, unit)

    @property
    def changes(self) -> Changes:
        return Changes(plans=True, units=True, note="plan imported")



def apply_import(engine: Engine, preview: ImportPreview,
                 reporter: Reporter | None = None) -> ImportResult:
    """Write units, aliases and the plan in one transaction (all or nothing)."""
    if preview.parsed.errors:
        first = preview.parsed.errors[0]
        raise UserFacingError(f"工作簿有 {len(preview.parsed.errors)} 处错误,未导入。第一处:"
                              f"{first.message}", sheet=first.sheet, cell=first.cell)
    spec = preview.resolved_spec()
    if reporter is not None:
        reporter.step(0, 2, "写入单位")
    make_backup(engine, "import")
    with Session(engine) as s, s.begin():
        existing_names = {u.name for u in known_units(s)}
        # the database may have changed since the preview: re-check targets
        for d in preview.units:
            if d.action != NEW and d.target not in existing_names and not any(
                    x.action == NEW and x.name == d.target for x in preview.units):
                raise UserFacingError(f"单位“{d.target}”已不存在,请重新预览后再导入。")
        ids = write_units(s, preview.units)
        _write_contacts(s, ids, preview.parsed.contacts)
        if reporter is not None:
            reporter.step(1, 2, "写入方案")
        plan_id = insert_plan(s, spec)
        _refine_comparators(s, plan_id)
        s.add(AuditLog(actor=current_actor(s), entity="plan", entity_id=plan_id, field="imported",
                       new=Path(preview.parsed.path).name, file_hash=preview.parsed.file_hash))
        s.flush()
    counts = preview.counts()
    return ImportResult(plan_id, spec["title"], counts["sections"], counts["tasks"],
                        counts["indicators"], counts["units"],
                        tuple(d.name for d in preview.units if d.action == NEW),
                        tuple((d.name, d.target) for d in preview.units if d.name != d.target))


def _write_contacts(session: Session, ids: dict[str, int], contacts: dict[str, Contact]
                    ) -> None:
    """The unit list's 联系人/电话/邮箱 onto the units; an empty cell keeps what the
    database has (a workbook without contacts erases none)."""
    for name, contact in contacts.items():
        unit = session.get(Unit, ids[name]) if name in ids else None
        if unit is None:
            continue
        unit.contact = contact.person or unit.contact
        unit.phone = contact.phone or unit.phone
        unit.email = contact.email or unit.email
    session.flush()

def _refine_comparators(session: Session, plan_id: int) -> None:
    """Standards written in words ('不低于95%') get the comparator insert_plan cannot see."""
    for ind in session.scalars(select(Indicator).where(Indicator.plan_id == plan_id,
                                                       Indicator.comparator.is_(None))):
        comp, value = parse_standard_text(ind.standard)
        if comp is not None:
            ind.comparator, ind.threshold = comp, value
        if ind.target_value is None and ind.target:
            ind.target_value = parse_standard_text(ind.target)[1]


def import_plan_workbook(engine: Engine, path: str | Path,
                         unit_map: dict[str, str] | None = None,
                         reporter: Reporter | None = None) -> ImportResult:
    return apply_import(engine, preview_import(engine, path, unit_map, reporter), reporter)
