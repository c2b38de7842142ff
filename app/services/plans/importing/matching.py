"""The import preview: the written unit names matched against the database's units
(``preview_import``, nothing written), the user's choices applied (``with_decisions``), and
the dry-run text for the command line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.core.jobs import Reporter
from app.core.problems import Problem
from app.services.plans.importing.reading import ParsedWorkbook, read_plan_workbook
from app.services.plans.units import (
    NEW,
    KnownUnit,
    UnitDecision,
    UnitMatcher,
    apply_overrides,
    known_units,
)


@dataclass
class ImportPreview:
    parsed: ParsedWorkbook
    units: list[UnitDecision]
    existing: list[KnownUnit]

    @property
    def spec(self) -> dict[str, Any]:
        return self.parsed.spec

    @property
    def problems(self) -> list[Problem]:
        return self.parsed.problems

    def counts(self) -> dict[str, int]:
        spec = self.parsed.spec
        n_ind = sum(1 + len(i.get("children", [])) for i in spec.get("indicators", []))
        return {
            "sections": _count_sections(spec.get("sections", [])),
            "tasks": len(spec.get("tasks", [])),
            "indicators": n_ind,
            "units": len({d.target for d in self.units}),
            "new_units": sum(1 for d in self.units if d.action == NEW),
            "aliases": sum(1 for d in self.units if d.name != d.target),
            "errors": len(self.parsed.errors),
            "warnings": sum(1 for p in self.problems if p.severity == "warning"),
        }

    def resolved_spec(self) -> dict[str, Any]:
        """The spec with every written unit name replaced by its canonical unit."""
        return resolve_spec(self.parsed.spec, {d.name: d.target for d in self.units})

    def as_json(self) -> dict[str, Any]:
        spec = self.resolved_spec()
        return {
            "file": self.parsed.path,
            "title": spec["title"],
            "counts": self.counts(),
            "sheets": [{"sheet": s.sheet, "kind": s.kind, "header_row": s.header_row,
                        "columns": s.columns} for s in self.parsed.sheets],
            "units": [{"name": d.name, "action": d.action, "target": d.target, "kind": d.kind,
                       "score": d.score, "candidates": list(d.candidates), "cells": d.cells}
                      for d in self.units],
            "sections": _flatten_sections(spec.get("sections", [])),
            "tasks": spec.get("tasks", []),
            "indicators": spec.get("indicators", []),
            "problems": [{**p.as_json(), "level": p.severity} for p in self.problems],
        }


def _count_sections(items: list[dict[str, Any]]) -> int:
    return sum(1 + _count_sections(s.get("children", [])) for s in items)


def _flatten_sections(items: list[dict[str, Any]], parent: str = "") -> list[dict[str, str]]:
    out = []
    for s in items:
        path = f"{parent} › {s['title']}" if parent else s["title"]
        out.append({"code": s.get("code", ""), "title": s["title"], "path": path})
        out.extend(_flatten_sections(s.get("children", []), path))
    return out


def resolve_spec(spec: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    def fix(values: list[str]) -> list[str]:
        out: list[str] = []
        for v in values:
            t = names.get(v, v)
            if t not in out:
                out.append(t)
        return out

    def fix_ind(ind: dict[str, Any]) -> dict[str, Any]:
        return {**ind, "lead": fix(ind.get("lead", [])),
                "children": [fix_ind(c) for c in ind.get("children", [])]}

    units: list[dict[str, Any]] = []
    seen: set[str] = set()
    for u in spec.get("units", []):
        t = names.get(u["name"], u["name"])
        if t not in seen:
            seen.add(t)
            units.append({"name": t, "kind": u.get("kind")})
    return {
        **spec, "units": units,
        "tasks": [{**t, **{r: fix(t.get(r, [])) for r in ("lead", "cooperating", "implementing")}}
                  for t in spec.get("tasks", [])],
        "indicators": [fix_ind(i) for i in spec.get("indicators", [])],
    }


def preview_import(engine: Engine, path: str | Path, unit_map: dict[str, str] | None = None,
                   reporter: Reporter | None = None) -> ImportPreview:
    """Read the workbook and decide each unit name against the database (nothing written)."""
    parsed = read_plan_workbook(path, reporter)
    with Session(engine) as s:
        existing = known_units(s)
    return preview_from_parsed(parsed, existing, unit_map)


def preview_from_parsed(parsed: ParsedWorkbook, existing: list[KnownUnit],
                        unit_map: dict[str, str] | None = None) -> ImportPreview:
    matcher = UnitMatcher(existing, [u for u in parsed.declared_units])
    for name in [u["name"] for u in parsed.spec["units"]]:
        for cell in parsed.unit_cells.get(name, []) or [None]:  # type: ignore[list-item]
            matcher.match(name, cell)
    decisions = [d for d in matcher.ordered()
                 if d.name in parsed.unit_cells or d.declared]
    if unit_map:
        decisions = apply_overrides(decisions, unit_map, existing)
    return ImportPreview(parsed, decisions, existing)


def with_decisions(preview: ImportPreview, overrides: dict[str, str]) -> ImportPreview:
    """The same preview with the user's unit choices applied (NAME → NAME means a new
    unit, NAME → OTHER means OTHER's unit)."""
    fresh = preview_from_parsed(preview.parsed, preview.existing)
    decisions = apply_overrides(fresh.units, overrides, preview.existing) if overrides \
        else fresh.units
    return ImportPreview(preview.parsed, decisions, preview.existing)


def preview_text(preview: ImportPreview) -> str:
    """The dry-run report for the command line."""
    c = preview.counts()
    spec = preview.resolved_spec()
    lines = [f"方案:{spec['title']}",
             f"领域 {c['sections']} · 任务 {c['tasks']} · 指标 {c['indicators']} · 单位 {c['units']}"
             f"(新建 {c['new_units']},别名 {c['aliases']})"]
    for s in preview.parsed.sheets:
        label = {"tasks": "任务表", "indicators": "指标表", "units": "单位表", "sections": "领域表",
                 "info": "方案信息", "skipped": "未使用"}[s.kind]
        where = f",表头第 {s.header_row} 行" if s.header_row else ""
        lines.append(f"  工作表“{s.sheet}”:{label}{where}")
    lines.append("单位:")
    for d in preview.units:
        extra = ""
        if d.action != NEW and d.score < 1.0:
            extra = f"(相似度 {d.score:.2f},请确认)"
        elif d.action == NEW and d.candidates and d.score >= 0.5:
            extra = f"(最接近:{d.candidates[0]})"
        lines.append(f"  {d.name} → {d.describe()}{extra}")
    if preview.problems:
        lines.append("问题:")
        level = {"error": "错误", "warning": "注意", "info": "提示"}
        for p in preview.problems:
            lines.append(f"  [{level[p.severity]}] {p.text}")
    return "\n".join(lines)
