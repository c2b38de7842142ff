#!/usr/bin/env python3
"""Build the bundled example plans from the seed documents.

    python tools/build_examples.py            # writes app/resources/examples/*.json
    python tools/build_examples.py --check    # only verifies the files are up to date

Seeds are read from ../shared/seeds relative to the repository root.

What is mechanical and what is curated
--------------------------------------
* tianning (000_203e90c0c1fef728.txt):
  - sections: the six 领域 titles are the body's headings "(一)健全生态制度体系" …
    "(六)提升生态文化品质"; 附件2 lost its level-1 headings in the flattened text, so a task
    numbered "1." that does not follow a heading starts the next 领域.  Level-2/3 headings
    ("(一)环境空气质量改善", "1. 深化工业大气污染治理") are read from 附件2.
  - tasks: every line of 附件2 ending in a "(…牵头…)" parenthesis; lead/cooperating units are
    parsed from it, spellings are mapped onto the 附件1 names through ALIASES.
  - units: member units of 附件1 (unit name cut out of each member's job title), plus every
    other unit named as lead/cooperating in 附件2 or lead in 附件3, plus 区创建办.
  - indicators (附件3): the flattened table is *globally line-deduplicated*: the file has no
    repeated line at all, so every cell whose text had already appeared ("%", "约束性", "100",
    "天宁生态环境局", …) is missing, not only empty/merged cells.  The tokens of each row are
    therefore checked against the hand-written INDICATOR_ROWS table below, and a missing cell
    is filled only by the rules documented at INDICATOR_ROWS; otherwise it is null.
  - deadlines and targets: date phrases and quantity phrases are found mechanically; every
    task that has one must have a hand decision in DEADLINES / TARGETS (checked).
* zhonglou (004_fb5c3a52f224f122.txt): one section per department heading "一、区发改局" …,
  its numbered paragraphs are the tasks; the department is the sole lead.

All texts are the seed's own words (ASCII punctuation as in the seed).  A target made of
several separate fragments of the task text is written with "；" (U+FF1B, which does not occur
in the seeds) between the fragments.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
OUT = ROOT / "app" / "resources" / "examples"

TIANNING_SEED = "000_203e90c0c1fef728.txt"
ZHONGLOU_SEED = "004_fb5c3a52f224f122.txt"

JOIN = "；"  # between separate verbatim fragments of one target
CN_NUM = "一二三四五六七八九十"


def read_seed(name: str) -> str:
    return (SEEDS / name).read_bytes().decode("utf-8", errors="replace")


def strip_number(line: str) -> str:
    return re.sub(r"^\d+\.\s*", "", line)


def trailing_paren(line: str) -> tuple[str, str] | None:
    """Split 'text(inner)' at the balanced parenthesis that closes the line."""
    if not line.endswith(")"):
        return None
    depth = 0
    for i in range(len(line) - 1, -1, -1):
        c = line[i]
        if c == ")":
            depth += 1
        elif c == "(":
            depth -= 1
            if depth == 0:
                return line[:i], line[i + 1:-1]
    return None


def fragments(target: str | tuple[str, ...] | None) -> str | None:
    if target is None:
        return None
    if isinstance(target, str):
        return target
    return JOIN.join(target)


# Quantities that make a sentence a candidate target (numbers that are not dates or
# document numbers).  Every task matching this needs a decision in TARGETS.
QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:%|个|家|所|次|台|辆|亩|公里|万平方米|座|条)")
# Date phrases; every task matching this needs a decision in DEADLINES.
DATE = re.compile(r"(\d{4})年底|(\d{1,2})月底")


# ===================================================================== tianning

TIANNING_TITLE = "常州市天宁区生态文明建设示范区创建实施方案(2020-2023年)"
TIANNING_ISSUER = "常州市天宁区人民政府"
TIANNING_OFFICE = "区创建办"

IMPLEMENTING = ["开发区", "郑陆镇", "雕庄街道", "青龙街道", "茶山街道", "红梅街道",
                "天宁街道", "兰陵街道"]

# Job-title endings cut off a 附件1 member's position to leave the unit (longest first).
ROLE_SUFFIXES = ["管委会主任", "人民政府镇长", "办事处主任", "常务副部长", "副检察长",
                 "副书记", "副院长", "副部长", "副局长", "局长", "主任"]

# canonical name (as written in 附件1, or first spelling elsewhere) -> other spellings
ALIASES: dict[str, list[str]] = {
    "区创建办": ["生态文明建设示范区创建工作领导小组办公室"],
    "开发区": ["开发区管委会", "天宁经济开发区"],
    "郑陆镇": ["郑陆镇政府", "郑陆镇人民政府"],
    "雕庄街道": ["雕庄街道办事处"],
    "青龙街道": ["青龙街道办事处"],
    "茶山街道": ["茶山街道办事处"],
    "红梅街道": ["红梅街道办事处"],
    "天宁街道": ["天宁街道办事处"],
    "兰陵街道": ["兰陵街道办事处"],
    "区农业农村局(水利局)": ["农业农村局(水利局)"],
    "区市场监督管理局": ["区市场监管局"],
    "自然资源和规划天宁分局": ["资规天宁分局"],
    "天宁生态环境局": ["常州市天宁生态环境局"],
}
NOT_UNITS = {"各相关部门"}


def unit_kind(name: str) -> str:
    if name == TIANNING_OFFICE:
        return "district_office"
    if name.endswith("街道"):
        return "street"
    if name.endswith("镇"):
        return "town"
    if name == "开发区":
        return "zone"
    return "department"


def canonical(name: str) -> str:
    name = name.replace("\n", "")
    for canon, others in ALIASES.items():
        if name == canon or name in others:
            return canon
    return name


def split_units(text: str) -> list[str]:
    return [canonical(n) for n in text.split("、") if n and n not in NOT_UNITS]


def parse_roles(inner: str) -> tuple[list[str], list[str]]:
    """'(A牵头,B、C等配合)' -> ([A], [B, C]); '(A、B按职责分别牵头)' -> ([A, B], [])."""
    head, found, rest = inner.partition("牵头")
    assert found, inner
    lead = split_units(head.removesuffix("按职责分别"))
    coop: list[str] = []
    for part in rest.lstrip(",、").split(","):
        if part.endswith("配合"):
            coop = split_units(part.removesuffix("配合").removesuffix("等"))
        elif part and not (part.endswith("负责落实") or part == "不再列出"):
            raise ValueError(f"unexpected part {part!r} in ({inner})")
    return lead, coop


# Task deadlines: only where the task text dates the task as a whole.  Every task whose text
# contains a date phrase is listed; None = the date belongs to one measure only.
DEADLINES: dict[str, tuple[str, str] | None] = {
    "2.1.2.2": None,   # "2022年底,…加油站完成油气回收自动监控设备安装" is one measure
    "2.1.3.1": None,   # "2022年底前,建成区主次道路机械化作业率…" is one measure
    "2.2.1.1": None,   # "2022年底力争完成劣五类河道消除任务" is one measure
    "2.2.2.1": None,   # "2022年底前,规划发展村庄…覆盖率达100%" is one of four targets
    "2.2.2.2": ("2022年底前完成农村黑臭水体排查", "2022-12"),
    "4.3": ("到2023年底", "2023-12"),
    "4.4": ("到2022年底", "2022-12"),
    "4.5": ("2022年底,畜禽粪污综合利用率", "2022-12"),
    "5.2": ("2023年底实现建成区污水管网全覆盖", "2023-12"),
}

# Quantitative targets, verbatim fragments of the task text.
TIANNING_TARGETS: dict[str, str | tuple[str, ...] | None] = {
    "1.3": "将生态文明建设相关指标纳入领导干部和部门党政实绩考核中,比例不得低于20%",
    "1.5": "全区环境信息公开率达到100%",
    "2.1.2.2": "2022年底,年销售汽油量大于5000吨的加油站完成油气回收自动监控设备安装",
    "2.1.3.1": "2022年底前,建成区主次道路机械化作业率达到94%以上",
    "2.2.1.4": None,   # "等7条河道开展入河排污口排查" is the scope, not a target
    "2.2.2.1": ("2022年底前,规划发展村庄生活污水处理设施覆盖率达100%",
                "接户覆盖率达90%以上",
                "所有农村生活污水处理设施的出水污染物排放达标率不低于70%"),
    "2.3.3": "确保国家重点保护野生动植物保护率达到95%以上",
    "2.4.1": "危险废物利用处置率100%",
    "4.3": "天宁经济开发区创成绿色工业园区,创建绿色工厂5家以上",
    "4.4": "秸秆综合利用率达到97%",
    "4.5": "畜禽粪污综合利用率达到95%,规模化养殖场粪污处理设施装备配套率达到100%,"
           "畜禽规模养殖场治理率达90%",
    "4.6": "废旧农膜回收率达到85%",
    "5.1": "确保全区村镇饮用水卫生合格率100%",
    "5.3": ("全区生活垃圾无害化处理率保持100%", "建设4座农贸市场易腐垃圾处置设施"),
    "5.4": "农村无害化卫生户厕普及率达到100%",
    "5.5": "城镇新建绿色建筑比例达到100%",
    "5.6": "保持农村生活垃圾集中收运和无害化处理率100%",
    "5.7": "确保政府绿色采购率达到80%以上",
    "6.1": "党政领导干部参加生态文明培训的人数比例达到100%",
}


def tianning_body_domains(lines: list[str]) -> list[str]:
    """The six 领域 headings of the body: the first six '(一)…' lines."""
    titles = []
    for line in lines:
        m = re.match(rf"^\(([{CN_NUM}]+)\)(.+)$", line)
        if m:
            titles.append(m.group(2))
        if len(titles) == 6:
            break
    assert titles == ["健全生态制度体系", "巩固生态安全屏障", "优化生态空间格局",
                      "壮大生态经济模式", "构建生态生活方式", "提升生态文化品质"], titles
    return titles


def tianning_members(lines: list[str]) -> list[str]:
    start = lines.index("附件1")
    end = lines.index("附件2")
    units: list[str] = []
    in_members = False
    for line in lines[start:end]:
        if line.startswith("成 员:"):
            in_members = True
            line = line.removeprefix("成 员:")
        if not in_members or line.startswith("领导小组下设办公室"):
            continue
        position = line.split()[-1].split("、")[0]
        for suffix in ROLE_SUFFIXES:
            if position.endswith(suffix):
                position = position.removesuffix(suffix)
                break
        else:
            raise ValueError(f"no role suffix in {line!r}")
        units.append(canonical(position))
    return units


def tianning_tasks(lines: list[str], domains: list[str]) -> tuple[list[dict], list[dict]]:
    start = lines.index("附件2") + 2  # skip the attachment title
    end = lines.index("常州市天宁区生态文明建设示范区指标目标表")
    sections: list[dict] = [{"code": str(i + 1), "title": t, "children": []}
                            for i, t in enumerate(domains)]
    tasks: list[dict] = []
    d = 0                       # current 领域 (1-based)
    l2: dict | None = None      # current level-2 section
    l3: dict | None = None      # current level-3 section
    after_heading = False
    counts: dict[str, int] = {}

    for line in lines[start:end]:
        split = trailing_paren(line)
        is_task = split is not None and "牵头" in split[1]
        m2 = re.match(rf"^\(([{CN_NUM}]+)\)(.+)$", line)
        if m2 and not is_task:
            if m2.group(1) == "一":        # first sub-section of a new 领域
                d += 1
            l2 = {"code": f"{d}.{CN_NUM.index(m2.group(1)) + 1}", "title": m2.group(2),
                  "children": []}
            sections[d - 1]["children"].append(l2)
            l3 = None
            after_heading = True
            continue
        m3 = re.match(r"^(\d+)\.\s*(.+)$", line)
        if m3 and not is_task:
            assert l2 is not None and len(line) < 30, line
            l3 = {"code": f"{l2['code']}.{m3.group(1)}", "title": m3.group(2), "children": []}
            assert int(m3.group(1)) == len(l2["children"]) + 1, line
            l2["children"].append(l3)
            after_heading = True
            continue
        if not is_task:
            # the introduction under a level-2 heading ("协同推进大气污染防治,…")
            assert after_heading and l2 is not None and l3 is None, line
            continue
        assert split is not None
        text, inner = split
        if m3 and int(m3.group(1)) == 1 and not after_heading:
            d += 1                          # numbering restarts: next 领域
            l2 = l3 = None
        section = (l3 or l2 or sections[d - 1])["code"]
        counts[section] = counts.get(section, 0) + 1
        if m3:
            assert int(m3.group(1)) == counts[section], line
        code = f"{section}.{counts[section]}"
        lead, coop = parse_roles(inner)
        if code == "1.1":
            assert "以下均需开发区、镇、各街道负责落实" in inner
        text = strip_number(text)
        tasks.append({"code": code, "section": section, "text": text, "lead": lead,
                      "cooperating": coop, "implementing": list(IMPLEMENTING),
                      "deadline": None, "target": None})
        after_heading = False
    assert d == 6, d
    apply_curation(tasks, DEADLINES, TIANNING_TARGETS)
    return sections, tasks


def apply_curation(tasks: list[dict], deadlines: dict, targets: dict) -> None:
    by_code = {t["code"]: t for t in tasks}
    assert set(deadlines) <= set(by_code), set(deadlines) - set(by_code)
    assert set(targets) <= set(by_code), set(targets) - set(by_code)
    for t in tasks:
        if DATE.search(t["text"]):
            assert t["code"] in deadlines, f"task {t['code']} has a date: decide in DEADLINES"
        if QUANTITY.search(t["text"]):
            assert t["code"] in targets, f"task {t['code']} has a quantity: decide in TARGETS"
        d = deadlines.get(t["code"])
        if d:
            phrase, month = d
            assert phrase in t["text"], (t["code"], phrase)
            t["deadline"] = month
        target = targets.get(t["code"])
        for frag in ([target] if isinstance(target, str) else list(target or ())):
            assert frag in t["text"], (t["code"], frag)
        t["target"] = fragments(target)


# ---------------------------------------------------------------- 附件3 indicators
#
# Each row: (code, tokens, fields).  `tokens` are the lines of the flattened table that belong
# to the row, in order (checked against the seed).  `fields` gives the reconstructed row:
#   name, unit, standard, attribute, target, lead, children=[(name, unit, standard, target)].
# Rules for cells missing from the flattened text (the text is line-deduplicated, see above):
#   U  unit: "%" for a 率/比例/幅度 (only "-" and "%" had been seen), else null ("-" → null);
#   A  attribute: rows 2–9 约束性 (the only value seen before row 10, and the merged-cell
#      reading agrees); after row 10 both 约束性 and 参考性 had been seen → null;
#   T  target missing while the row's standard is present → target = standard (the
#      duplicate of the same row's cell; the brief's reading of indicator 3);
#   D  target stated for the same quantity in the document's own task text (附件2) → that value
#      (e.g. 任务5.4 "农村无害化卫生户厕普及率达到100%" → 28: "100");
#   M  standard/target/lead filled from the row above only where the merged-cell reading and
#      the document's text agree (8 ← 7 and body "…等达到上级考核要求"; 20 ← 19 and body
#      "单位地区生产总值用水量不超过上级规定的目标值"; leads 6–9 ← 5 and 附件2 leads
#      天宁生态环境局; 26 ← 25 and 任务5.2 led by 区住建局);
#   otherwise null / [].
# "≧" is normalised to "≥" in standard/target only.

S7 = "完成上级规定的考核任务;保持稳定或持续改善"
T7 = "完成上级规定的考核任务"
S19 = "完成上级规定的目标任务;保持稳定或持续改善"
T19 = "完成上级规定的目标任务"
ENV = "天宁生态环境局"

INDICATOR_ROWS: list[tuple[str, list[str], dict[str, Any]]] = [
    ("1", ["生态文明建设规划", "-", "制定实施", "约束性", "区政府办"],
     dict(name="生态文明建设规划", unit=None, standard="制定实施", attribute="约束性",
          target="制定实施", lead=["区政府办"])),                                  # T
    ("2", ["党委政府对生态文明建设重大目标任务部署情况", "有效开展", "区委办"],
     dict(name="党委政府对生态文明建设重大目标任务部署情况", unit=None, standard="有效开展",
          attribute="约束性", target="有效开展", lead=["区委办"])),                  # U A T
    ("3", ["生态文明建设工作占党政实绩考核的比例", "%", "≥20", "区考核办"],
     dict(name="生态文明建设工作占党政实绩考核的比例", unit="%", standard="≥20",
          attribute="约束性", target="≥20", lead=["区考核办"])),                     # A T
    ("4", ["河长制", "全面实施", "区农业农村局", "(水利局)"],
     dict(name="河长制", unit=None, standard="全面实施", attribute="约束性",
          target="全面实施", lead=["区农业农村局(水利局)"])),                      # U A T
    ("5", ["生态环境信息公开率", "100", ENV],
     dict(name="生态环境信息公开率", unit="%", standard="100", attribute="约束性",
          target="100", lead=[ENV])),                                              # U A T D
    ("6", ["依法开展规划环境影响评价", "开展"],
     dict(name="依法开展规划环境影响评价", unit=None, standard="开展", attribute="约束性",
          target="开展", lead=[ENV])),                                             # U A T M
    ("7", ["环境空气质量", "优良天数比例", "PM2.5浓度下降幅度", S7, T7],
     dict(name="环境空气质量", attribute="约束性", lead=[ENV],                      # A M
          children=[("优良天数比例", "%", S7, T7), ("PM2.5浓度下降幅度", "%", S7, T7)])),
    ("8", ["水环境质量", "水质达标或优于Ⅲ类比例提高幅度", "劣V类水体比例下降幅度",
           "黑臭水体消除比例"],
     dict(name="水环境质量", attribute="约束性", lead=[ENV],                        # A M
          children=[("水质达标或优于Ⅲ类比例提高幅度", "%", S7, T7),
                    ("劣V类水体比例下降幅度", "%", S7, T7),
                    ("黑臭水体消除比例", "%", S7, T7)])),
    ("9", ["生态环境状况指数(其他地区)", "≧60", "不降低"],
     dict(name="生态环境状况指数(其他地区)", unit=None, standard="≥60", attribute="约束性",
          target="不降低", lead=[ENV])),                                           # A M
    ("10", ["林草覆盖率(平原地区)", "≧18", "参考性", "资规天宁分局"],
     dict(name="林草覆盖率(平原地区)", unit="%", standard="≥18", attribute="参考性",
          target="≥18", lead=["自然资源和规划天宁分局"])),                          # U T
    # standard cell "≧95/不明显/[不降低]", target cell "95/[不明显]/[不降低]"
    ("11", ["生物多样性保护", "国家重点保护野生动植物保护率", "外来物种入侵",
            "特有性或指示性水生物种保持率", "≧95", "不明显", "95"],
     dict(name="生物多样性保护", attribute=None, lead=[],
          children=[("国家重点保护野生动植物保护率", "%", "≥95", "95"),
                    ("外来物种入侵", None, "不明显", "不明显"),                      # T
                    # 任务2.3.3 "保证特有性或指示性水生物种种类和数量不降低"        # D
                    ("特有性或指示性水生物种保持率", "%", None, "不降低")])),
    ("12", ["海岸生态系统", "自然岸线修复长度", "滨海湿地修复面积", "公里", "公顷",
            "完成上级管控目标", "不考核,需出具相关证明"],
     dict(name="海岸生态系统", attribute=None, lead=[],
          children=[("自然岸线修复长度", "公里", "完成上级管控目标", "不考核,需出具相关证明"),
                    ("滨海湿地修复面积", "公顷", "完成上级管控目标",
                     "不考核,需出具相关证明")])),
    ("13", ["危险废物利用处置率"],                # 任务2.4.1 "危险废物利用处置率100%"  D
     dict(name="危险废物利用处置率", unit="%", standard=None, attribute=None,
          target="100", lead=[])),
    ("14", ["建设用地土壤污染风险管控和修复名录制度", "建立"],
     dict(name="建设用地土壤污染风险管控和修复名录制度", unit=None, standard="建立",
          attribute=None, target="建立", lead=[])),                                # T
    ("15", ["突发生态环境事件应急管理机制"],   # 任务2.4.3 "建立健全突发生态环境事件应急管理机制" D
     dict(name="突发生态环境事件应急管理机制", unit=None, standard=None, attribute=None,
          target="建立", lead=[])),
    ("16", ["自然生态空间", "生态保护红线", "自然保护地", "面积不减少,性质不改变,功能不降低"],
     dict(name="自然生态空间", attribute=None, lead=[],
          children=[("生态保护红线", None, "面积不减少,性质不改变,功能不降低",
                     "面积不减少,性质不改变,功能不降低"),                            # T
                    ("自然保护地", None, "面积不减少,性质不改变,功能不降低",
                     "面积不减少,性质不改变,功能不降低")])),
    ("17", ["自然岸线保有率"],
     dict(name="自然岸线保有率", unit="%", standard=None, attribute=None, target=None,
          lead=[])),
    ("18", ["河湖岸线保护率", "区农业农村局(水利局)"],
     dict(name="河湖岸线保护率", unit="%", standard=None, attribute=None, target=None,
          lead=["区农业农村局(水利局)"])),
    ("19", ["单位地区生产总值能耗", "吨标准煤/万元", S19, T19, "区工信局"],
     dict(name="单位地区生产总值能耗", unit="吨标准煤/万元", standard=S19, attribute=None,
          target=T19, lead=["区工信局"])),
    ("20", ["单位地区生产总值用水量", "立方米/万元"],
     dict(name="单位地区生产总值用水量", unit="立方米/万元", standard=S19, attribute=None,
          target=T19, lead=[])),                                                  # M
    ("21", ["单位国内生产总值建设用地使用面积下降率", "≧4.5", "4.5"],
     dict(name="单位国内生产总值建设用地使用面积下降率", unit="%", standard="≥4.5",
          attribute=None, target="4.5", lead=[])),
    # standard cell "≧90/≧75/≧80", target cell "97/[95]/85"; 任务4.4/4.5/4.6: 97%, 95%, 85%
    ("22", ["农业废弃物综合利用率", "秸秆综合利用率", "畜禽粪污综合利用率", "农膜回收利用率",
            "≧90", "≧75", "≧80", "97", "85"],
     dict(name="农业废弃物综合利用率", attribute=None, lead=[],
          children=[("秸秆综合利用率", "%", "≥90", "97"),
                    ("畜禽粪污综合利用率", "%", "≥75", "95"),                        # D
                    ("农膜回收利用率", "%", "≥80", "85")])),
    # the single value is the target whichever cell the standard was (a seen "≧80" or "80")
    ("23", ["一般工业固体废弃物综合利用率", "80"],
     dict(name="一般工业固体废弃物综合利用率", unit="%", standard=None, attribute=None,
          target="80", lead=[])),
    ("24", ["集中式饮用水水源地水质优良比例"],
     dict(name="集中式饮用水水源地水质优良比例", unit="%", standard=None, attribute=None,
          target=None, lead=[])),
    ("25", ["村镇饮用水卫生合格率", "区住建局"],      # 任务5.1 "…卫生合格率100%"     D
     dict(name="村镇饮用水卫生合格率", unit="%", standard=None, attribute=None,
          target="100", lead=["区住建局"])),
    ("26", ["城镇污水处理率", "≧85"],
     dict(name="城镇污水处理率", unit="%", standard="≥85", attribute=None, target="≥85",
          lead=["区住建局"])),                                                     # T M
    ("27", ["城镇生活垃圾无害化处理率", "区城管局"],  # 任务5.3 "…无害化处理率保持100%" D
     dict(name="城镇生活垃圾无害化处理率", unit="%", standard=None, attribute=None,
          target="100", lead=["区城管局"])),
    ("28", ["农村无害化卫生厕所普及率", "区城管局、区卫健局"],  # 任务5.4 "…普及率达到100%" D
     dict(name="农村无害化卫生厕所普及率", unit="%", standard=None, attribute=None,
          target="100", lead=["区城管局", "区卫健局"])),
    ("29", ["城镇新建绿色建筑比例", "≧50"],       # 任务5.5 "城镇新建绿色建筑比例达到100%" D
     dict(name="城镇新建绿色建筑比例", unit="%", standard="≥50", attribute=None,
          target="100", lead=[])),
    ("30", ["生活废弃物综合利用", "城镇生活垃圾分类减量化行动", "农村生活垃圾集中收集储运",
            "实施"],
     dict(name="生活废弃物综合利用", attribute=None, lead=[],
          children=[("城镇生活垃圾分类减量化行动", None, "实施", "实施"),           # T
                    ("农村生活垃圾集中收集储运", None, "实施", "实施")])),
    ("31", ["政府绿色采购比例", "区财政局"],      # 任务5.7 "确保政府绿色采购率达到80%以上" D
     dict(name="政府绿色采购比例", unit="%", standard=None, attribute=None, target="80",
          lead=["区财政局"])),
    ("32", ["党政领导干部参加生态文明培训的人数比例", "区委组织部"],  # 任务6.1 "…达到100%" D
     dict(name="党政领导干部参加生态文明培训的人数比例", unit="%", standard=None,
          attribute=None, target="100", lead=["区委组织部"])),
    ("33", ["公众对生态文明建设的满意度", "96", "区统计局"],
     dict(name="公众对生态文明建设的满意度", unit="%", standard=None, attribute=None,
          target="96", lead=["区统计局"])),
    # The seed file ends in the middle of this row: its last bytes are "34\n公众".
    ("34", ["公众"],
     dict(name="公众", unit=None, standard=None, attribute=None, target=None, lead=[])),
]

DOMAIN_TOKENS = {"生态制度", "生态安全", "生态空间", "生态经济", "生态生活", "生态文化"}


def norm_value(v: str | None) -> str | None:
    return v.replace("≧", "≥") if v is not None else None


def tianning_indicators(lines: list[str]) -> list[dict]:
    start = lines.index("常州市天宁区生态文明建设示范区指标目标表") + 1
    tokens = lines[start:]
    header = ["领域", "任务", "序号", "指标名称", "单位", "指标值", "指标属性", "目标值",
              "(2022年)", "牵头部门"]
    assert tokens[:len(header)] == header, tokens[:len(header)]
    tokens = tokens[len(header):]

    # split into rows at the 序号 tokens 1..34, collecting 领域 and 任务 (category) on the way
    rows: dict[str, list[str]] = {}
    row_domain: dict[str, str] = {}
    row_category: dict[str, str] = {}
    domain = category = ""
    current: str | None = None
    i = 0
    expected = 1
    while i < len(tokens):
        tok = tokens[i]
        if tok in DOMAIN_TOKENS:
            domain = tok
            i += 1
            continue
        if re.fullmatch(rf"\(([{CN_NUM}]+)\)", tok):
            # category title: one cell, possibly written on two lines ("人居环境" "改善")
            category = tokens[i + 1]
            i += 2
            if not re.fullmatch(r"\d+", tokens[i]):
                category += tokens[i]
                i += 1
            continue
        if tok == str(expected):
            current = tok
            rows[current] = []
            row_domain[current], row_category[current] = domain, category
            expected += 1
            i += 1
            continue
        assert current is not None, tok
        rows[current].append(tok)
        i += 1
    assert list(rows) == [str(n) for n in range(1, 35)], list(rows)

    known = {c for c, _, _ in INDICATOR_ROWS}
    assert known == set(rows), known ^ set(rows)
    out = []
    for code, expect_tokens, f in INDICATOR_ROWS:
        assert rows[code] == expect_tokens, (code, rows[code], expect_tokens)
        lead = [canonical(n) for n in f["lead"]]
        ind: dict[str, Any] = {
            "code": code, "name": f["name"], "domain": row_domain[code],
            "category": row_category[code], "unit": f.get("unit"),
            "standard": norm_value(f.get("standard")), "attribute": f.get("attribute"),
            "target": norm_value(f.get("target")), "target_year": None, "lead": lead,
            "children": [],
        }
        for n, (cname, cunit, cstd, ctarget) in enumerate(f.get("children", []), 1):
            ind["children"].append({
                "code": f"{code}.{n}", "name": cname, "domain": ind["domain"],
                "category": ind["category"], "unit": cunit, "standard": norm_value(cstd),
                "attribute": ind["attribute"], "target": norm_value(ctarget),
                "target_year": 2022 if ctarget is not None else None, "lead": list(lead),
                "children": []})
        if ind["target"] is not None:
            ind["target_year"] = 2022
        out.append(ind)
    assert out[2]["domain"] == "生态制度" and out[27]["category"] == "人居环境改善"
    return out


def build_tianning() -> dict[str, Any]:
    text = read_seed(TIANNING_SEED)
    lines = text.split("\n")
    assert TIANNING_TITLE in lines and TIANNING_ISSUER in lines
    assert "每月向区创建办报送工作落实进展情况" in text
    assert "全面建设阶段(2021年3月-2022年5月)" in text and "2022年5月-2023年12月" in text
    domains = tianning_body_domains(lines)
    members = tianning_members(lines)
    assert members[:12] == ["区政府办", "区纪委", "区人民法院", "区检察院", *IMPLEMENTING], members
    sections, tasks = tianning_tasks(lines, domains)
    indicators = tianning_indicators(lines)

    names = [TIANNING_OFFICE, *members]
    for t in tasks:
        for n in t["lead"] + t["cooperating"]:
            if n not in names:
                names.append(n)

    def walk(items: list[dict]) -> None:
        for ind in items:
            for n in ind["lead"]:
                if n not in names:
                    names.append(n)
            walk(ind["children"])
    walk(indicators)
    units: list[dict[str, Any]] = [
        {"name": n, "kind": unit_kind(n), "aliases": list(ALIASES.get(n, []))} for n in names]
    for u in units:
        for spelling in [u["name"], *u["aliases"]]:
            assert spelling in text, spelling
    return {
        "key": "tianning",
        "title": TIANNING_TITLE,
        "issuer": TIANNING_ISSUER,
        "office": TIANNING_OFFICE,
        "frequency": "month", "deadline_day": 5,
        "first_period": "2021-03", "last_period": "2023-12",
        "units": units,
        "sections": sections,
        "tasks": tasks,
        "indicators": indicators,
    }


# ===================================================================== zhonglou

ZHONGLOU_TITLE = "2021年钟楼区深入打好污染防治攻坚战各有关部门目标责任书"
ZHONGLOU_ISSUER = "常州市钟楼区人民政府"

ZHONGLOU_DEADLINES: dict[str, tuple[str, str] | None] = {
    "3.3": ("10月底前完成整治", "2021-10"),   # the whole 铸造行业整治 is due end of October
    "3.6": None,    # 4月底前 / 9月底前: two separate measures
    "5.5": None,    # 6月底前: one measure
    "14.8": None,   # 9月底前: one measure
    "14.10": None,  # 3月底前: setting up the list; the rest is continuous
    "14.13": None,  # 3月底前 / 6月底前: separate measures
}

ZHONGLOU_TARGETS: dict[str, str | tuple[str, ...] | None] = {
    "2.2": "组织开展创建国际生态学校1所",
    "3.1": "每季度不少于组织1次联合执法检查",
    "3.2": "完成低挥发性有机物等原辅料源头替代项目30个,在化工、家具制造行业打造4家源头替代示范型企业",
    "3.5": "对铸造工业、农药制造标准实施情况开展5次以上联合执法检查",
    "5.1": "完成施工工地扬尘治理项目不少于50个",
    "5.2": "每月至少开展一次工程机械监督抽测,抽测数量不少于10台·次",
    "5.4": "力争新增绿色建筑面积150万平方米以上",
    "5.5": ("组织建成6个污水处理提质增效达标区", "完成三八河等4条主城区劣五类河道整治"),
    "5.6": "全年实现扩绿150亩、联网10公里",
    "6.1": "对重点区域每月开展一次以上渣土车夜间运输集中整治",
    "6.5": "年度噪声投诉量较上年降低20%以上",
    "7.1": ("化肥使用量较上年削减0.6%,农用农药使用量较上年下降0.5%",
            "农药包装废弃物回收良好以上等级率达70%"),
    "7.3": ("秸秆综合利用率稳定在95%以上", "全区畜禽粪污综合利用率95%以上"),
    "7.5": "废旧农膜回收率达88%以上",
    "7.11": "完成三八河等4条主城区劣V类河道整治",
    "10.1": "对铸造工业、农药制造标准实施情况开展5次以上联合执法检查",
    "10.4": "全面排查全区24个挥发性有机物储罐,新增完成12个以上无组织排放、储罐治理项目",
    "11.1": "每季度不少于组织1次联合执法检查",
    "11.2": "完成低挥发性有机物等原辅料源头替代项目30个,在化工、家具制造行业打造4家源头替代示范型企业",
    "13.1": "每周至少联合开展一次柴油车排放路检路查,抽测数量不少于10辆·次,"
            "秋冬季监督性季抽测数量不低于保有量的80%(包括遥测数量);"
            "每月至少开展一次机动车入户监督抽测,抽测数量不少于10辆·次",
    "13.2": "对重点区域每月开展1次以上渣土车夜间运输集中整治",
    "14.1": ("全面排查全市24个挥发性有机物储罐,新增完成12个以上无组织排放、储罐治理项目",
             "争取夏季前完成55家重点行业企业挥发性有机物无组织治理"),
    "14.3": ("组织开展35家重点废气排放企业提升整治",
             "对铸造工业、农药制造标准实施情况开展5次以上联合执法检查"),
    "14.4": ("完成餐饮油烟整治或回头看340家",
             "城市综合体、餐饮集中区的餐饮经营单位完成在线监控安装率95%以上"),
    "14.5": "每周至少联合开展一次柴油车排放路检路查,抽测数量不少于10辆·次,"
            "秋冬季监督性季抽测数量不低于保有量的80%(包括遥测数量);"
            "每月至少开展一次机动车入户监督抽测,抽测数量不少于10辆·次,"
            "机动车排放检验机构完成至少一轮全覆盖监督检查",
    # the seed writes "台•次" (U+2022 BULLET) here, "台·次" (U+00B7) in 5.2: kept as written
    "14.6": "每月至少开展一次工程机械监督抽测,抽测数量不少于10台\u2022次",
    "14.11": "培育A级企业不少于2家",
    "14.15": "完成三八河等4条主城区劣五类河道整治",
    "14.17": "规划发展村农村生活污水治理设施覆盖率达到95%,自然村农村生活污水治理覆盖率达70%以上,"
             "所有已建设施正常运行率达95%以上,农村黑臭水体排查整治率达60%",
    "14.19": "污染地块安全利用率稳定在90%以上",
    "14.23": "年度噪声投诉量较上年降低20%以上",
}


def build_zhonglou() -> dict[str, Any]:
    text = read_seed(ZHONGLOU_SEED)
    lines = [ln.strip() for ln in text.split("\n")]
    assert ZHONGLOU_TITLE in lines and ZHONGLOU_ISSUER in lines
    start = lines.index(ZHONGLOU_TITLE, lines.index(ZHONGLOU_ISSUER))
    end = next(i for i, ln in enumerate(lines) if ln.startswith("【打印本页】"))
    sections: list[dict] = []
    tasks: list[dict] = []
    for line in lines[start + 1:end]:
        if not line:
            continue
        m = re.match(rf"^([{CN_NUM}]+)、(.+)$", line)
        if m:
            sections.append({"code": str(len(sections) + 1), "title": m.group(2),
                             "children": []})
            continue
        m = re.match(r"^(\d+)\.\s*(.+)$", line)
        if not m:
            assert not sections, line      # only the preamble precedes 一、
            continue
        sec = sections[-1]
        n = sum(1 for t in tasks if t["section"] == sec["code"]) + 1
        assert int(m.group(1)) == n, line
        tasks.append({"code": f"{sec['code']}.{n}", "section": sec["code"],
                      "text": m.group(2), "lead": [sec["title"]], "cooperating": [],
                      "implementing": [], "deadline": None, "target": None})
    assert len(sections) == 16, [s["title"] for s in sections]
    apply_curation(tasks, ZHONGLOU_DEADLINES, ZHONGLOU_TARGETS)
    units = [{"name": ZHONGLOU_ISSUER, "kind": "district_office", "aliases": []}]
    units += [{"name": s["title"], "kind": "department", "aliases": []} for s in sections]
    return {
        "key": "zhonglou",
        "title": ZHONGLOU_TITLE,
        "issuer": ZHONGLOU_ISSUER,
        # the document names no unit that collects reports: the issuer
        "office": ZHONGLOU_ISSUER,
        "frequency": "month", "deadline_day": 5,
        "first_period": "2021-01", "last_period": "2021-12",
        "units": units,
        "sections": sections,
        "tasks": tasks,
        "indicators": [],
    }


# ===================================================================== main

def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if a file differs from what would be written")
    args = ap.parse_args(argv)
    stale = 0
    for spec in (build_tianning(), build_zhonglou()):
        path = OUT / f"{spec['key']}.json"
        data = render(spec)
        n_ind = sum(1 + len(i["children"]) for i in spec["indicators"])
        summary = (f"{path.relative_to(ROOT)}: {len(spec['tasks'])} tasks, "
                   f"{len(spec['units'])} units, {len(spec['indicators'])} indicators "
                   f"({n_ind} with children)")
        if args.check:
            same = path.exists() and path.read_text("utf-8") == data
            stale += not same
            print(("ok    " if same else "STALE ") + summary)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data, "utf-8")
            print("wrote " + summary)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
