"""The bundled example plans agree with the seed documents they were built from.

Plain json + seed text: no Qt, no application imports.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
EXAMPLES = REPO / "app" / "resources" / "examples"

TIANNING_SEED = "000_203e90c0c1fef728.txt"
ZHONGLOU_SEED = "004_fb5c3a52f224f122.txt"
IMPLEMENTING = ["开发区", "郑陆镇", "雕庄街道", "青龙街道", "茶山街道", "红梅街道",
                "天宁街道", "兰陵街道"]
PLAN_KEYS = {"key", "title", "issuer", "office", "frequency", "deadline_day", "first_period",
             "last_period", "units", "sections", "tasks", "indicators"}
TASK_KEYS = {"code", "section", "text", "lead", "cooperating", "implementing", "deadline",
             "target"}
INDICATOR_KEYS = {"code", "name", "domain", "category", "unit", "standard", "attribute",
                  "target", "target_year", "lead", "children"}
KINDS = {"district_office", "department", "town", "street", "zone"}
JOIN = "；"

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")
pytestmark = needs_seeds


def seed(name: str) -> str:
    return (SEEDS / name).read_bytes().decode("utf-8", errors="replace")


def example(key: str) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads((EXAMPLES / f"{key}.json").read_text("utf-8"))
    return spec


@pytest.fixture(scope="module")
def tianning() -> dict[str, Any]:
    return example("tianning")


@pytest.fixture(scope="module")
def zhonglou() -> dict[str, Any]:
    return example("zhonglou")


def walk_sections(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for s in items:
        out.append(s)
        out += walk_sections(s["children"])
    return out


def target_fragments(target: str | None) -> list[str]:
    return target.split(JOIN) if target else []


# ---------------------------------------------------------------- both plans

@pytest.mark.parametrize("key", ["tianning", "zhonglou"])
def test_shape(key: str) -> None:
    spec = example(key)
    assert set(spec) == PLAN_KEYS
    assert spec["key"] == key
    assert spec["frequency"] == "month" and spec["deadline_day"] == 5
    names = [u["name"] for u in spec["units"]]
    assert len(names) == len(set(names))
    assert {u["kind"] for u in spec["units"]} <= KINDS
    office = [u for u in spec["units"] if u["name"] == spec["office"]]
    assert office and office[0]["kind"] == "district_office"

    sections = walk_sections(spec["sections"])
    codes = [s["code"] for s in sections]
    assert len(codes) == len(set(codes))
    task_codes = [t["code"] for t in spec["tasks"]]
    assert len(task_codes) == len(set(task_codes))
    known = set(names) | {a for u in spec["units"] for a in u["aliases"]}
    for t in spec["tasks"]:
        assert set(t) == TASK_KEYS
        assert t["section"] in codes
        assert t["code"].startswith(t["section"] + ".")
        assert t["lead"], t["code"]
        for role in ("lead", "cooperating", "implementing"):
            assert set(t[role]) <= set(names), (t["code"], role, t[role])
        assert t["deadline"] is None or re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", t["deadline"])
        for frag in target_fragments(t["target"]):
            assert frag and frag in t["text"], (t["code"], frag)
    assert known  # aliases never collide with another unit's name
    alias_owner: dict[str, str] = {}
    for u in spec["units"]:
        for a in u["aliases"]:
            assert a not in names and alias_owner.setdefault(a, u["name"]) == u["name"]


@pytest.mark.parametrize(("key", "seed_name"),
                         [("tianning", TIANNING_SEED), ("zhonglou", ZHONGLOU_SEED)])
def test_texts_are_verbatim(key: str, seed_name: str) -> None:
    spec, text = example(key), seed(seed_name)
    assert spec["title"] in text and spec["issuer"] in text
    for t in spec["tasks"]:
        assert t["text"] in text, t["code"]
        assert not re.match(r"\d+\.", t["text"]), t["code"]
    by_name = {u["name"]: u for u in spec["units"]}
    for t in spec["tasks"]:
        for name in t["lead"]:
            spellings = [name, *by_name[name]["aliases"]]
            assert any(s in text for s in spellings), (t["code"], name)
    for u in spec["units"]:
        assert any(s in text for s in [u["name"], *u["aliases"]]), u["name"]


def test_generated_files_are_current() -> None:
    r = subprocess.run([sys.executable, str(REPO / "tools" / "build_examples.py"), "--check"],
                       capture_output=True, text=True, cwd=REPO)
    assert r.returncode == 0, r.stdout + r.stderr


# ---------------------------------------------------------------- tianning

def annex2_lines(text: str) -> list[str]:
    lines = text.split("\n")
    return lines[lines.index("附件2"):lines.index("常州市天宁区生态文明建设示范区指标目标表")]


# a trailing parenthesis (one level of nesting inside, as in "区农业农村局(水利局)牵头")
TRAILING_LEAD = re.compile(r"\((?:[^()]|\([^()]*\))*牵头(?:[^()]|\([^()]*\))*\)$")


def test_tianning_task_count(tianning: dict[str, Any]) -> None:
    n = sum(1 for line in annex2_lines(seed(TIANNING_SEED)) if TRAILING_LEAD.search(line))
    assert n == 50
    assert len(tianning["tasks"]) == n


def test_tianning_task_texts_drop_the_assignment(tianning: dict[str, Any]) -> None:
    lines = annex2_lines(seed(TIANNING_SEED))
    for t in tianning["tasks"]:
        line = next(ln for ln in lines if t["text"] in ln)
        rest = line[line.index(t["text"]) + len(t["text"]):]
        assert TRAILING_LEAD.fullmatch(rest), (t["code"], rest)


def test_tianning_implementing_units(tianning: dict[str, Any]) -> None:
    assert "以下均需开发区、镇、各街道负责落实" in seed(TIANNING_SEED)
    for t in tianning["tasks"]:
        assert t["implementing"] == IMPLEMENTING, t["code"]
    kinds = {u["name"]: u["kind"] for u in tianning["units"]}
    assert kinds["开发区"] == "zone" and kinds["郑陆镇"] == "town"
    assert all(kinds[n] == "street" for n in IMPLEMENTING[2:])
    assert kinds["区创建办"] == "district_office"


def test_tianning_units_and_aliases(tianning: dict[str, Any]) -> None:
    units = {u["name"]: u for u in tianning["units"]}
    assert "资规天宁分局" in units["自然资源和规划天宁分局"]["aliases"]
    assert "区市场监管局" in units["区市场监督管理局"]["aliases"]
    assert "农业农村局(水利局)" in units["区农业农村局(水利局)"]["aliases"]
    for extra in ["区考核办", "区审计局", "区商务局", "区禁放办", "天宁交警大队",
                  "市交通执法支队天宁大队", "区委办"]:
        assert extra in units
    # tasks and indicators use the canonical names only
    aliases = {a for u in tianning["units"] for a in u["aliases"]}
    for t in tianning["tasks"]:
        assert not (set(t["lead"]) | set(t["cooperating"])) & aliases, t["code"]


def test_tianning_sections(tianning: dict[str, Any]) -> None:
    top = [(s["code"], s["title"]) for s in tianning["sections"]]
    assert top == [("1", "健全生态制度体系"), ("2", "巩固生态安全屏障"), ("3", "优化生态空间格局"),
                   ("4", "壮大生态经济模式"), ("5", "构建生态生活方式"), ("6", "提升生态文化品质")]
    text = seed(TIANNING_SEED)
    for s in walk_sections(tianning["sections"]):
        assert s["title"] in text
    safety = {s["code"]: s["title"] for s in walk_sections(tianning["sections"][1:2])}
    assert safety["2.1.1"] == "深化工业大气污染治理"
    assert safety["2.4"] == "加强生态环境风险防范"
    first = tianning["tasks"][6]
    assert first["code"] == "2.1.1.1" and first["lead"] == ["天宁生态环境局"]
    assert first["cooperating"] == ["区工信局"]


def test_tianning_indicators(tianning: dict[str, Any]) -> None:
    text = seed(TIANNING_SEED)
    inds = tianning["indicators"]
    assert [i["code"] for i in inds] == [str(n) for n in range(1, 35)]
    unit_names = {u["name"] for u in tianning["units"]}
    for ind in inds:
        assert set(ind) == INDICATOR_KEYS
        assert ind["name"] in text
        for n, child in enumerate(ind["children"], 1):
            assert set(child) == INDICATOR_KEYS and not child["children"]
            assert child["code"] == f"{ind['code']}.{n}"
            assert child["name"] in text
        for item in [ind, *ind["children"]]:
            assert set(item["lead"]) <= unit_names
            assert item["attribute"] in (None, "约束性", "参考性")
            for field in ("standard", "target"):
                assert item[field] is None or "≧" not in item[field]
            assert item["unit"] != "-"
    by_code = {i["code"]: i for i in inds}
    assert by_code["3"]["standard"] == "≥20" and by_code["3"]["lead"] == ["区考核办"]
    assert [c["name"] for c in by_code["7"]["children"]] == ["优良天数比例", "PM2.5浓度下降幅度"]
    with_children = {c for c, i in by_code.items() if i["children"]}
    assert with_children == {"7", "8", "11", "12", "16", "22", "30"}


# ---------------------------------------------------------------- zhonglou

def test_zhonglou_departments(zhonglou: dict[str, Any]) -> None:
    text = seed(ZHONGLOU_SEED)
    headings = re.findall(r"^[一二三四五六七八九十]+、(.+)$", text, flags=re.M)
    assert len(headings) == 16
    assert [s["title"] for s in zhonglou["sections"]] == headings
    assert [s["code"] for s in zhonglou["sections"]] == [str(n) for n in range(1, 17)]
    dept_units = [u["name"] for u in zhonglou["units"] if u["kind"] == "department"]
    assert dept_units == headings
    assert zhonglou["indicators"] == []
    assert (zhonglou["first_period"], zhonglou["last_period"]) == ("2021-01", "2021-12")


def test_zhonglou_tasks(zhonglou: dict[str, Any]) -> None:
    text = seed(ZHONGLOU_SEED)
    titles = {s["code"]: s["title"] for s in zhonglou["sections"]}
    numbered = re.findall(r"^\d+\.\s*\S", text, flags=re.M)
    assert len(zhonglou["tasks"]) == len(numbered) == 123
    for t in zhonglou["tasks"]:
        assert t["lead"] == [titles[t["section"]]]
        assert t["implementing"] == [] and t["cooperating"] == []
        assert t["text"] in text
