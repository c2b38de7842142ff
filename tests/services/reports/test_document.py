"""The printed documents' content: what the 通报, unit report and 催报通知 say."""

from __future__ import annotations

import datetime as dt

import pytest
from progress_seed import (  # noqa: F401
    LAST,
    MISSING,
    seeded_fixture,
    seeded_path_fixture,
    seeded_template_fixture,
)

from app.core.errors import UserFacingError
from app.services.db import Database
from app.services.reports.document import (
    REPORT_KINDS,
    ChartRow,
    PageBreak,
    Paragraph,
    Table,
    build_bulletin,
    build_reminder,
    build_report,
    build_unit_report,
    cn_date,
    plan_subject,
    reminder,
    typeset,
)
from app.services.reports.summary import period_summary

DATE = dt.date(2023, 2, 8)


def flat(text: str) -> str:
    return "".join(text.split()).translate(str.maketrans("，；：（）", ",;:()"))


def test_bulletin_structure_and_figures(seeded: Database) -> None:
    doc = build_bulletin(seeded, LAST, 1, date=DATE, charts=False)
    s = doc.summary
    assert doc.title == "关于2023年1月生态文明建设示范区创建任务进展情况的通报"
    assert doc.masthead == "常州市天宁区生态文明建设示范区创建工作领导小组办公室"
    text = flat(doc.text())
    assert flat(f"《{s.plan.title}》") in text  # the registered title, verbatim
    t = s.totals
    assert (t.units, t.on_time, t.late, t.missing) == (31, 27, 1, 3)
    assert flat(f"本期应报送单位{t.units}个,按时报送{t.on_time}个,迟报{t.late}个,"
                f"未报{t.missing}个") in text
    for name in MISSING[LAST]:
        assert name in text
    assert "青龙街道(迟报3天)" in text
    for b in s.behind:
        assert flat(f"{b.code} {b.title}") in text
    headings = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.style == "heading1"]
    assert headings == ["一、总体情况", "二、报送情况", "三、滞后任务情况", "四、指标完成情况",
                        "五、下步工作要求"]
    units_table = next(b for b in doc.blocks if isinstance(b, Table) and "报送情况" in b.headers)
    assert len(units_table.rows) == 31
    assert [units_table.rows[i][1] for i in units_table.emphasis] == [
        u.name for u in s.units if u.state != "on_time"]
    signature = [b for b in doc.blocks if isinstance(b, Paragraph) and b.style in
                 ("signature", "date")]
    assert [b.text for b in signature] == [doc.masthead, cn_date(DATE)]
    assert cn_date(dt.date(2021, 7, 6)) == "2021年7月6日"
    assert not any(isinstance(b, PageBreak | ChartRow) for b in doc.blocks)


def test_bulletin_with_charts_has_a_landscape_appendix(seeded: Database) -> None:
    doc = build_bulletin(seeded, LAST, 1, date=DATE, charts=True)
    breaks = [b for b in doc.blocks if isinstance(b, PageBreak)]
    assert breaks and all(b.landscape for b in breaks)
    names = [c.name for c in doc.charts()]
    assert names == ["returns", "status_by_unit", "status_by_section", "attainment", "trend"]
    for name in names:
        assert doc.images[name].startswith(b"\x89PNG")


def test_unit_report_lists_every_assigned_task(seeded: Database) -> None:
    doc = build_unit_report(seeded, LAST, "郑陆镇", 1, date=DATE)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert doc.landscape and doc.title == "郑陆镇2023年1月任务进展情况"
    assert len(table.rows) == 50
    rows = {r[0]: r for r in table.rows}
    assert rows["2.2.1.5"][3] == "滞后" and "管材供应" in rows["2.2.1.5"][6]
    assert rows["4.4"][3] == "推进中" and rows["4.4"][4] == "92%"
    assert "2.2.1.5" in doc.text() and "4.4" in doc.text()
    missing = build_unit_report(seeded, LAST, "红梅街道", 1, date=DATE)
    table = next(b for b in missing.blocks if isinstance(b, Table))
    assert len(table.rows) == 50 and {r[3] for r in table.rows} == {"未填报"}
    assert "未报" in missing.text()
    with pytest.raises(UserFacingError, match="不存在的局"):
        build_unit_report(seeded, LAST, "不存在的局", 1)


def test_reminder_addresses_the_units_that_have_not_returned(seeded: Database) -> None:
    doc = build_reminder(seeded, LAST, 1, date=DATE)
    assert doc.title == "关于催报2023年1月任务进展情况的通知"
    addressee = next(b for b in doc.blocks if isinstance(b, Paragraph) and b.style == "addressee")
    assert addressee.text == "、".join(MISSING[LAST]) + "\uff1a"
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [r[1] for r in table.rows] == MISSING[LAST]
    assert "已超过报送时限3天" in doc.text()  # due 2023-02-05, dated 2023-02-08
    doc = build_reminder(seeded, "2022-08", 1, date=DATE)
    assert [r[1] for r in next(b for b in doc.blocks if isinstance(b, Table)).rows] == \
        MISSING["2022-08"]
    # nobody to chase: the notice says so instead of addressing nobody
    only_returned = period_summary(seeded, LAST, 1, unit="郑陆镇", trend=False)
    doc = reminder(only_returned, {}, DATE)
    assert "无需催报" in doc.text()
    assert not any(isinstance(b, Table) for b in doc.blocks)


def test_typeset_and_subject() -> None:
    assert typeset("报送率90.3%,较上期下降6.5个百分点;时间10:30,共1,200个") == \
        "报送率90.3%，较上期下降6.5个百分点；时间10:30，共1,200个"
    assert typeset("附件:图表(横向)") == "附件：图表（横向）"
    assert typeset("区农业农村局(水利局)牵头", keep=("区农业农村局(水利局)",)) == \
        "区农业农村局(水利局)牵头"
    assert typeset("plain (ascii), text") == "plain (ascii), text"


def test_plan_subject(seeded: Database) -> None:
    s = period_summary(seeded, LAST, 1, trend=False)
    assert plan_subject(s) == "生态文明建设示范区创建"


def test_build_report_is_the_one_choice_of_document(seeded: Database) -> None:
    """The 报告 page and `report --pdf` pick the document through build_report."""
    titles = {kind: build_report(seeded, kind, LAST, 1, unit="郑陆镇", date=DATE,
                                 charts=False).title for kind in REPORT_KINDS}
    assert titles["bulletin"] == build_bulletin(seeded, LAST, 1, date=DATE, charts=False).title
    assert titles["unit_report"] == build_unit_report(seeded, LAST, "郑陆镇", 1, date=DATE).title
    assert titles["reminder"] == build_reminder(seeded, LAST, 1, date=DATE).title
    with pytest.raises(UserFacingError, match="单位"):
        build_report(seeded, "unit_report", LAST, 1)
    with pytest.raises(ValueError):
        build_report(seeded, "annual", LAST, 1)


def test_bidi_and_zero_width_characters_are_never_printed(seeded: Database) -> None:
    """Texts stored before such characters were refused still print without them."""
    from sqlalchemy import func, select, update

    from app.models import ProgressEntry

    with seeded.begin() as conn:
        conn.execute(update(ProgressEntry).values(
            {c: func.replace(getattr(ProgressEntry, c), "管材供应", "管材\u202e供应\u200b")
             for c in ("progress", "problems", "next_steps")}))
        stored = conn.scalar(select(func.count()).select_from(ProgressEntry).where(
            ProgressEntry.problems.contains("\u202e")))
    assert stored  # the spoofed text is really in the database
    doc = build_unit_report(seeded, LAST, "郑陆镇", 1, date=DATE)
    text = doc.text()
    assert "管材供应" in text
    assert not any(ch in text for ch in "\u202e\u200b")
