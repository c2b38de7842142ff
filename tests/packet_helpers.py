"""Small real packets and plans for the packet, issue and office tests."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy.orm import Session

from app.services.db import Database
from app.services.packets.format import Manifest, PacketRow, PlanMeta, indicator_key, task_key
from app.services.packets.seal import compute_seal
from app.services.plans.query import insert_plan

SECRET = "s3cret-of-the-district"

TRICKY = ["=1+1", "+86 138 0000 0000", "-5 项", "@全体", "=HYPERLINK(\"http://x\")",
          "第一行\n第二行", "VOCs 治理 12 家;“引号”、顿号"]


def sample_manifest(**kw: Any) -> Manifest:
    base = Manifest(
        packet_id="p" * 32,
        plan=PlanMeta(uid="plan-uid-1", title="天宁区生态文明建设示范区创建实施方案",
                      issuer="天宁区人民政府", office="区创建办"),
        unit="青龙街道", unit_kind="street", period="2021-06",
        period_start=dt.date(2021, 6, 1), period_end=dt.date(2021, 6, 30),
        period_due=dt.date(2021, 7, 5), issued_at=dt.datetime(2021, 6, 25, 9, 30))
    return replace(base, **kw)


def sample_rows(n: int = 5) -> list[PacketRow]:
    rows = []
    for i in range(n):
        rows.append(PacketRow(
            task_key(f"task{i:03d}"),
            {"code": f"2.{i + 1}", "section": "巩固生态安全屏障 › 环境空气质量改善",
             "text": f"持续开展重点行业专项整治。结合化工整治目标,第 {i + 1} 项。" + TRICKY[i % 7],
             "role": "落实", "roles": ["implementing"], "lead": ["天宁生态环境局"],
             "cooperating": ["区工信局"], "implementing": ["青龙街道"],
             "deadline": "2022-05" if i % 2 else "", "target": TRICKY[i % 7],
             "overdue": i == 0},
            {"status": "in_progress" if i % 2 else None, "percent": 40.0 if i % 2 else None,
             "progress": "", "problems": "", "next_steps": "", "responsible": "张三" if i else "",
             "phone": "0519-86661234" if i else "", "completed_on": None}))
    rows.append(PacketRow(indicator_key("ind-num"), {
        "code": "7.2", "name": "PM2.5浓度下降幅度", "unit": "%", "standard": "≥20",
        "attribute": "约束性", "target": "25", "previous": "18.5", "numeric": True,
        "group": "环境空气质量", "domain": "生态安全", "category": "", "target_year": 2022},
        {"value": "", "note": ""}))
    rows.append(PacketRow(indicator_key("ind-text"), {
        "code": "1", "name": "生态文明建设规划", "unit": "", "standard": "制定实施",
        "attribute": "约束性", "target": "制定实施", "previous": "", "numeric": False,
        "group": "", "domain": "生态制度", "category": "", "target_year": 2022},
        {"value": "", "note": ""}))
    return rows


def sealed(manifest: Manifest, rows: list[PacketRow], secret: str = SECRET) -> Manifest:
    return replace(manifest, seal=compute_seal(secret, manifest, rows))


def edit_with_openpyxl(path: Path, edits: dict[tuple[str, str], Any], out: Path | None = None
                       ) -> Path:
    """Change cells the way a person in Excel would (openpyxl keeps the hidden sheets)."""
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in edits.items():
        wb[sheet][cell].value = value
    out = out or path
    wb.save(out)
    return out


def zip_bytes(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


SMALL_PLAN: dict[str, Any] = {
    "uid": "smallplan0000000000000000000001",
    "title": "测试方案(2021年)",
    "issuer": "测试区人民政府",
    "office": "区创建办",
    "frequency": "month",
    "deadline_day": 5,
    "first_period": "2021-03",
    "last_period": "2021-12",
    "units": [{"name": "区创建办", "kind": "district_office"},
              {"name": "青龙街道", "kind": "street"}, {"name": "茶山街道", "kind": "street"},
              {"name": "区住建局", "kind": "department"}],
    "sections": [{"code": "1", "title": "生态安全",
                  "children": [{"code": "1.1", "title": "环境空气质量改善"}]}],
    "tasks": [
        {"code": "1", "section": "1.1", "text": "=开展 VOCs 治理。完成 12 家企业治理。",
         "lead": ["区住建局"], "implementing": ["青龙街道", "茶山街道"],
         "deadline": "2021-03", "target": "完成 12 家"},
        {"code": "2", "section": "1.1", "text": "推进海绵城市建设。", "lead": ["青龙街道"],
         "cooperating": ["区住建局"], "deadline": "2022-12"},
        {"code": "3", "section": "1", "text": "建立生态文明考核制度。", "lead": ["区住建局"]},
    ],
    "indicators": [
        {"code": "7", "name": "环境空气质量", "lead": ["青龙街道"], "children": [
            {"code": "7.1", "name": "优良天数比例", "unit": "%", "standard": "≥80",
             "target": "85", "target_year": 2022, "lead": ["青龙街道"]}]},
        {"code": "8", "name": "生态文明建设规划", "standard": "制定实施", "target": "制定实施",
         "lead": ["青龙街道"]},
    ],
}


def add_small_plan(db: Database) -> int:
    with Session(db) as s, s.begin():
        return insert_plan(s, SMALL_PLAN)
