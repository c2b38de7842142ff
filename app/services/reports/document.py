"""Printed documents as a structured model: the 进展情况通报, a unit's report, the 催报通知.

A document is a title, a masthead and a list of blocks (paragraphs, tables, charts, page
breaks). One renderer in the views paints it for the print preview, the printer and the
PDF, so all three show the same thing; tests read the model's text directly.

The wording follows how district offices write these documents (GB/T 9704 structure:
版头, 标题, 主送机关, 正文 with 一、/(一) headings, 发文机关署名, 成文日期), with every
figure taken from the period summary.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Engine

from app.core.text import strip_invisible
from app.core.vocab import (
    ATTAINMENT_LABELS,
    BEHIND_REASON_LABELS,
    KIND_LABELS,
    RETURN_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    UNREPORTED_LABEL,
)
from app.services.reports.summary import BehindTask, PeriodSummary, UnitSummary

if TYPE_CHECKING:
    from app.services.district.progress import UnitProgress

Style = Literal["body", "heading1", "heading2", "addressee", "signature", "date", "note",
                "center", "caption", "subtitle"]
CN_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Style = "body"


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    align: str = ""  # one letter per column: l / c / r (default l)
    font_pt: float = 12.0
    emphasis: tuple[int, ...] = ()  # row indexes printed in bold (e.g. missing units)


@dataclass(frozen=True)
class Chart:
    name: str  # a key of app.services.reports.charts.CHARTS
    width_mm: float
    height_mm: float


@dataclass(frozen=True)
class ChartRow:
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class PageBreak:
    landscape: bool = False


Block = Paragraph | Table | ChartRow | PageBreak


@dataclass
class Document:
    kind: str  # bulletin / unit_report / reminder
    title: str
    masthead: str  # the issuing office, printed in red above the title ("" for none)
    date: dt.date
    blocks: list[Block]
    summary: PeriodSummary
    landscape: bool = False  # orientation of the first page
    images: dict[str, bytes] = field(default_factory=dict)  # chart name → PNG

    def charts(self) -> list[Chart]:
        return [c for b in self.blocks if isinstance(b, ChartRow) for c in b.charts]

    def text(self) -> str:
        """Every word the document prints (tests, search, a plain-text copy)."""
        lines = [self.masthead, self.title]
        for b in self.blocks:
            if isinstance(b, Paragraph):
                lines.append(b.text)
            elif isinstance(b, Table):
                lines.append(" | ".join(b.headers))
                lines += [" | ".join(r) for r in b.rows]
        return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- wording helpers

FW_COMMA, FW_SEMI, FW_COLON, FW_LPAR, FW_RPAR = "\uff0c", "\uff1b", "\uff1a", "\uff08", "\uff09"
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def typeset(text: str, keep: tuple[str, ...] = ()) -> str:
    """Chinese prose with full-width punctuation (， ； ： （ ）) as official documents
    print it; ASCII stays between digits (1,200 · 10:30) and in Latin text, and the
    `keep` strings (plan title, unit names) are left exactly as registered."""
    if not _CJK.search(text):
        return text
    saved: list[str] = []

    def protect(m: re.Match[str]) -> str:
        saved.append(m.group(0))
        return f"\x00{len(saved) - 1}\x00"

    if keep:
        pattern = "|".join(re.escape(k) for k in sorted(set(keep), key=len, reverse=True) if k)
        if pattern:
            text = re.sub(pattern, protect, text)

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1)
        if _CJK.search(inner) or (m.start() > 0 and _CJK.match(text[m.start() - 1])):
            return FW_LPAR + inner + FW_RPAR
        return m.group(0)

    text = re.sub(r"\(([^()\x00]*)\)", paren, text)
    text = re.sub(r"(?<!\d),|,(?!\d)", FW_COMMA, text)
    text = text.replace(";", FW_SEMI)
    text = re.sub(r"(?<!\d):|:(?!\d)", FW_COLON, text)
    return re.sub(r"\x00(\d+)\x00", lambda m: saved[int(m.group(1))], text)


def finish(doc: Document) -> Document:
    """Typeset every paragraph and table cell of `doc` (names and titles kept verbatim);
    no bidi control or zero-width character is ever printed (texts stored before they
    were refused included)."""
    keep = tuple(strip_invisible(k) for k in (doc.summary.plan.title, doc.summary.office,
                                              *(u.name for u in doc.summary.units)))

    def clean(text: str) -> str:
        return typeset(strip_invisible(text), keep)

    out: list[Block] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            out.append(Paragraph(clean(b.text), b.style))
        elif isinstance(b, Table):
            out.append(Table(tuple(clean(h) for h in b.headers),
                             tuple(tuple(clean(c) for c in row) for row in b.rows),
                             b.widths, b.align, b.font_pt, b.emphasis))
        else:
            out.append(b)
    doc.blocks = out
    doc.title = clean(doc.title)
    doc.masthead = strip_invisible(doc.masthead)
    return doc

def cn_date(day: dt.date) -> str:
    """2021-07-06 → '2021年7月6日' (GB/T 9704: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_datetime(at: dt.datetime | None) -> str:
    return f"{at.month}月{at.day}日 {at:%H:%M}" if at else ""


def cn_day(at: dt.datetime | None) -> str:
    return f"{at.month}月{at.day}日" if at else ""


def pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}%"


def change_text(value: float | None, unit: str = "个百分点") -> str:
    """'提高3.2个百分点' / '下降1.0个百分点' / '持平'."""
    if value is None:
        return ""
    if abs(value) < 0.05:
        return "与上期持平"
    return f"较上期{'提高' if value > 0 else '下降'}{abs(value):.1f}{unit}"


def count_change(now: int, before: int | None, unit: str = "个") -> str:
    if before is None:
        return ""
    if now == before:
        return "与上期持平"
    return f"较上期{'增加' if now > before else '减少'}{abs(now - before)}{unit}"


def joined(names: list[str], limit: int = 0) -> str:
    if limit and len(names) > limit:
        return "、".join(names[:limit]) + f"等{len(names)}个单位"
    return "、".join(names)


def plan_subject(summary: PeriodSummary) -> str:
    """The plan's subject for a title: '常州市天宁区生态文明建设示范区创建实施方案(2020-2023年)'
    → '生态文明建设示范区创建' ('' when nothing short and clean is left)."""
    text = re.sub(r"[((][^()()]*[))]\s*$", "", summary.plan.title).strip()
    text = re.sub(r"(实施方案|工作方案|方案|工作要点|目标责任书|计划)$", "", text)
    place = re.sub(r"(人民政府|政府)$", "", summary.plan.issuer or "")
    for prefix in (place, re.sub(r"^.*?市", "", place)):
        if prefix and text.startswith(prefix):
            text = text[len(prefix):]
            break
    text = re.sub(r"^\d{4}年(度)?", "", text)
    return text if 2 <= len(text) <= 16 else ""


def addressees(units: list[UnitSummary]) -> str:
    """主送机关 in the order district documents use: 开发区, 镇, 街道, then 区各有关部门."""
    zones = [u.name for u in units if u.kind == "zone"]
    towns = [u.name for u in units if u.kind == "town"]
    streets = [u.name for u in units if u.kind == "street"]
    parts = zones + towns
    if len(streets) > 2:
        parts.append("各街道")
    else:
        parts += streets
    text = "、".join(parts)
    if any(u.kind == "department" for u in units):
        text = f"{text},区各有关部门" if text else "区各有关部门"
    return text + ":"


def status_counts_text(counts: dict[str, int]) -> str:
    parts = [f"{STATUS_LABELS[k]}{counts.get(k, 0)}条" for k in
             ("completed", "in_progress", "ongoing", "not_started", "behind")]
    return "、".join(parts)


# ---------------------------------------------------------------- the 通报

def bulletin(summary: PeriodSummary, date: dt.date | None = None,
             with_charts: bool = True) -> Document:
    """进展情况通报 for the summary's period."""
    date = date or summary.today
    s = summary
    t, p = s.totals, s.previous_totals
    label = s.period.label
    subject = plan_subject(s)
    title = f"关于{label}{subject}任务进展情况的通报"
    blocks: list[Block] = [Paragraph(addressees(s.units), "addressee")]
    blocks.append(Paragraph(
        f"现将《{s.plan.title}》{label}任务进展情况通报如下。"))

    # 一、总体情况
    blocks.append(Paragraph("一、总体情况", "heading1"))
    rate = t.return_rate
    sentences = [
        f"本期应报送单位{t.units}个,按时报送{t.on_time}个,迟报{t.late}个,未报{t.missing}个,"
        f"报送率{pct(rate)}"
        + (f",{change_text(rate - p.return_rate)}" if p and p.return_rate is not None
           and rate is not None else "") + "。",
    ]
    sentences.append(
        f"{s.task_items}项任务共有填报事项{t.tasks.expected}条,已填报{t.tasks.reported}条,其中"
        f"{status_counts_text(t.tasks.counts)};平均完成进度{pct(t.tasks.average)}"
        + (f",{change_text(s.average_change)}" if s.average_change is not None else "") + "。")
    new = sum(b.new for b in s.behind)
    sentences.append(
        f"滞后或逾期未完成的任务{t.behind_tasks}项"
        + (f"(其中本期新增{new}项)" if p is not None and new else "")
        + (f",{count_change(t.behind_tasks, p.behind_tasks, '项')}" if p else "") + "。")
    a = t.attainment
    sentences.append(
        f"纳入监测的{sum(a.values())}项指标中,达标{a['met']}项,未达标{a['not_met']}项,"
        f"待评估{a['pending']}项"
        + (f";达标指标{count_change(a['met'], p.attainment['met'], '项')}" if p else "")
        + "。")
    blocks.append(Paragraph("".join(sentences)))
    if s.sections:
        best = max((x for x in s.top_sections() if x.breakdown.average is not None),
                   key=lambda x: x.breakdown.average or 0, default=None)
        worst = min((x for x in s.top_sections() if x.breakdown.average is not None),
                    key=lambda x: x.breakdown.average or 0, default=None)
        if best and worst and best is not worst:
            blocks.append(Paragraph(
                f"分领域看,“{best.title}”平均完成进度最高({pct(best.breakdown.average)}),"
                f"“{worst.title}”相对较低({pct(worst.breakdown.average)})。"))

    # 二、报送情况
    blocks.append(Paragraph("二、报送情况", "heading1"))
    late = s.units_in("late")
    missing = s.units_in("missing")
    text = f"截至{cn_date(date)},按时报送的单位{t.on_time}个。"
    if late:
        text += "迟报单位:" + "、".join(f"{u.name}(迟报{u.days_late}天)" for u in late) + "。"
    text += ("未报单位:" + "、".join(u.name for u in missing) + "。") if missing else \
        "所有单位均已报送。"
    if s.approved:
        text += f"已审核通过的报送{s.approved}份。"
    blocks.append(Paragraph(text))
    rows: list[tuple[str, ...]] = []
    emphasis = []
    for row_no, u in enumerate(s.units):
        if u.state != "on_time":
            emphasis.append(row_no)
        state = RETURN_LABELS[u.state] + (f"{u.days_late}天" if u.state == "late" else "")
        rows.append((str(row_no + 1), u.name, state, cn_day(u.received_at),
                     f"{u.tasks.reported}/{u.tasks.expected}" if u.tasks.expected else "—",
                     pct(u.tasks.average), _signed(u.average_change)))
    blocks.append(Table(("序号", "单位", "报送情况", "报送时间", "已填/应填", "平均进度",
                         "较上期"), tuple(rows), (9, 33, 14, 13, 13, 11, 10), "clcccrr",
                        emphasis=tuple(emphasis)))

    # 三、滞后任务
    blocks.append(Paragraph("三、滞后任务情况", "heading1"))
    if not s.behind:
        blocks.append(Paragraph("本期无滞后或逾期未完成的任务。"))
    else:
        blocks.append(Paragraph(
            f"本期共有{len(s.behind)}项任务存在滞后或逾期未完成情况,涉及填报事项"
            f"{sum(len(b.entries) for b in s.behind)}条,按领域列示如下。"))
        groups: dict[str, list[BehindTask]] = {}
        for b in s.behind:
            groups.setdefault(b.top_section or "其他", []).append(b)
        for sec_no, (section, items) in enumerate(groups.items()):
            blocks.append(Paragraph(f"({CN_NUMBERS[sec_no % 10]}){_strip_code(section)}",
                                    "heading2"))
            rows = []
            for b in items:
                for j, e in enumerate(b.entries):
                    state = BEHIND_REASON_LABELS[e.reason]
                    if e.reason == "overdue" and b.deadline:
                        state += f"(时限{b.deadline})"
                    if e.percent is not None:
                        state += f",进度{e.percent:g}%"
                    rows.append((f"{b.code} {b.title}" if j == 0 else "",
                                 "、".join(b.lead) if j == 0 else "", e.unit, state,
                                 e.problems or "未说明"))
            blocks.append(Table(("任务", "牵头单位", "填报单位", "情况", "存在问题"),
                                tuple(rows), (27, 16, 15, 16, 26), "lllll", font_pt=11))

    if s.closed:
        blocks.append(Paragraph(
            f"已销号事项{len(s.closed)}项(不再列入滞后统计,不再要求报送):"))
        blocks.append(Table(("任务", "单位", "状态", "说明"), tuple(
            (f"{c.code} {c.title}", c.unit, f"已销号({cn_date(c.closed_on)})", c.note or "—")
            for c in s.closed), (34, 18, 24, 24), "llll", font_pt=11))

    # 四、指标
    blocks.append(Paragraph("四、指标完成情况", "heading1"))
    not_met = [ind for ind in s.indicators if ind.result == "not_met"]
    text = f"纳入监测的{len(s.indicators)}项指标中,达标{a['met']}项,未达标{a['not_met']}项"
    if not_met:
        text += ":" + "、".join(f"{ind.name}(指标值{ind.standard or ind.target or '—'},本期"
                                 f"{ind.value_text or '未报'})" for ind in not_met)
    text += f"。待评估{a['pending']}项,主要为本期未报送数值或指标值为定性要求、需结合年度考核评估的指标。"
    blocks.append(Paragraph(text))
    changed = [ind for ind in s.indicators if ind.changed]
    if changed:
        blocks.append(Paragraph("与上期相比," + ";".join(
            f"“{ind.name}”由{ATTAINMENT_LABELS[ind.previous_result or 'pending']}变为"
            f"{ATTAINMENT_LABELS[ind.result]}" for ind in changed) + "。"))
    rows = []
    emphasis = []
    for row_no, ind in enumerate(s.indicators):
        if ind.result == "not_met":
            emphasis.append(row_no)
        rows.append((ind.code, ind.name + (f"({ind.unit})" if ind.unit else ""),
                     ind.standard or ind.target or "—", ind.value_text or "—",
                     "、".join(ind.lead) or "—", ATTAINMENT_LABELS[ind.result]))
    blocks.append(Table(("序号", "指标", "指标值", "本期数值", "牵头部门", "判定"),
                        tuple(rows), (9, 31, 17, 17, 17, 9), "cllllc", font_pt=10.5,
                        emphasis=tuple(emphasis)))

    # 五、要求
    blocks.append(Paragraph("五、下步工作要求", "heading1"))
    n = 1
    if missing:
        blocks.append(Paragraph(
            f"{n}.请{joined([u.name for u in missing])}于收到本通报后3个工作日内补报{label}"
            "任务进展情况。"))
        n += 1
    if s.behind:
        leads = []
        for b in s.behind:
            for name in b.lead:
                if name not in leads:
                    leads.append(name)
        blocks.append(Paragraph(
            f"{n}.请{joined(leads, 8)}会同相关单位,针对滞后及逾期未完成任务逐项分析原因、"
            "制定措施,确保按时序推进。"))
        n += 1
    if not_met:
        leads = []
        for ind in not_met:
            for name in ind.lead:
                if name not in leads:
                    leads.append(name)
        if leads:
            blocks.append(Paragraph(
                f"{n}.请{joined(leads)}加强对未达标指标的跟踪调度,"
                "在下期报送中说明整改措施和预计达标时间。"))
            n += 1
    if s.next_period is not None:
        blocks.append(Paragraph(
            f"{n}.请各单位于{cn_date(s.next_period.due)}前报送{s.next_period.label}任务进展情况。"))
    if with_charts:
        blocks.append(Paragraph("附件:任务进展图表", "note"))
    blocks.append(Paragraph(s.office, "signature"))
    blocks.append(Paragraph(cn_date(date), "date"))

    if with_charts:
        blocks.append(PageBreak(landscape=True))
        blocks.append(Paragraph("附件", "heading1"))
        blocks.append(Paragraph(f"{label}任务进展图表", "subtitle"))
        blocks.append(ChartRow((Chart("returns", 118, 132), Chart("status_by_unit", 118, 132))))
        blocks.append(PageBreak(landscape=True))
        blocks.append(ChartRow((Chart("status_by_section", 118, 72),
                                Chart("attainment", 118, 72))))
        blocks.append(ChartRow((Chart("trend", 240, 74),)))
    return finish(Document("bulletin", title, s.office, date, blocks, s))


def _signed(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}"


def _strip_code(section: str) -> str:
    """'2 巩固生态安全屏障' → '巩固生态安全屏障'."""
    return re.sub(r"^[\d.]+\s*", "", section)


# ---------------------------------------------------------------- one unit's report

def unit_report(summary: PeriodSummary, progress: UnitProgress, task_titles: dict[str, str],
                roles: dict[str, str], date: dt.date | None = None) -> Document:
    """One unit's returns for the period: its state, figures and every task it reported.

    `progress` is the unit's row of ``period_progress``; `task_titles` maps task code →
    short title; `roles` task code → the unit's role label.
    """
    date = date or summary.today
    s = summary
    unit = next((u for u in s.units if u.name == progress.name), None)
    if unit is None:
        from app.core.errors import UserFacingError

        raise UserFacingError(f"单位“{progress.name}”不在本方案的填报单位中。")
    label = s.period.label
    title = f"{unit.name}{label}任务进展情况"
    b = unit.tasks
    state = RETURN_LABELS[unit.state]
    if unit.state == "late":
        state += f"{unit.days_late}天"
    blocks: list[Block] = [Paragraph(f"《{s.plan.title}》", "subtitle")]
    text = (f"{unit.name}({KIND_LABELS.get(unit.kind, unit.kind)})本期{state}"
            + (f"(收到时间{cn_datetime(unit.received_at)})" if unit.received_at else "")
            + f"。应填报任务{b.expected}项,已填报{b.reported}项,其中"
            + status_counts_text(b.counts) + f";平均完成进度{pct(b.average)}"
            + (f",{change_text(unit.average_change)}" if unit.average_change is not None else "")
            + "。")
    behind = [(bt, e) for bt in s.behind for e in bt.entries if e.unit == unit.name]
    if behind:
        text += "滞后或逾期未完成:" + "、".join(f"{bt.code} {bt.title}" for bt, _ in behind) + "。"
    blocks.append(Paragraph(text))
    rows = []
    emphasis = []
    for n, tp in enumerate(progress.tasks):
        if tp.status == "behind" or any(bt.code == tp.code for bt, _ in behind):
            emphasis.append(n)
        rows.append((tp.code, task_titles.get(tp.code, ""), roles.get(tp.code, ""),
                     STATUS_LABELS.get(tp.status or "", UNREPORTED_LABEL),
                     "" if tp.percent is None else f"{tp.percent:g}%", tp.progress,
                     tp.problems, tp.next_steps))
    reported = {tp.code for tp in progress.tasks}
    for code, role in roles.items():
        if code not in reported:
            rows.append((code, task_titles.get(code, ""), role, UNREPORTED_LABEL, "", "", "", ""))
    blocks.append(Paragraph("一、任务进展", "heading1"))
    blocks.append(Table(("编号", "任务", "角色", "状态", "进度", "本期进展", "存在问题",
                         "下步计划"), tuple(rows), (7, 17, 6, 8, 6, 22, 17, 17), "cllccllll",
                        font_pt=10, emphasis=tuple(emphasis)))
    if progress.indicators:
        blocks.append(Paragraph("二、指标填报", "heading1"))
        names = {i.code: i for i in s.indicators}
        blocks.append(Table(("序号", "指标", "指标值", "本期数值", "说明", "判定"), tuple(
            (code, names[code].name if code in names else "",
             (names[code].standard or names[code].target or "") if code in names else "",
             value, note,
             ATTAINMENT_LABELS[names[code].result] if code in names and
             unit.name in names[code].lead else "")
            for code, value, note in progress.indicators), (7, 30, 15, 15, 23, 10), "cllllc",
            font_pt=10))
    blocks.append(Paragraph(s.office, "signature"))
    blocks.append(Paragraph(cn_date(date), "date"))
    return finish(Document("unit_report", title, "", date, blocks, s, landscape=True))


# ---------------------------------------------------------------- 催报通知

def reminder(summary: PeriodSummary, contacts: dict[str, str] | None = None,
             date: dt.date | None = None) -> Document:
    """催报通知 to the units that have not returned the period's report."""
    date = date or summary.today
    s = summary
    contacts = contacts or {}
    label = s.period.label
    missing = s.units_in("missing")
    title = f"关于催报{label}任务进展情况的通知"
    blocks: list[Block] = []
    if not missing:
        blocks.append(Paragraph(f"{label}各单位均已报送任务进展情况,无需催报。"))
    else:
        blocks.append(Paragraph(joined([u.name for u in missing]) + ":", "addressee"))
        overdue = (date - s.period.due).days
        when = (f"截至{cn_date(date)},已超过报送时限{overdue}天,你单位尚未报送。"
                if overdue > 0 else f"截至{cn_date(date)},你单位尚未报送。")
        blocks.append(Paragraph(
            f"根据《{s.plan.title}》工作要求,各单位应于{cn_date(s.period.due)}前报送{label}"
            f"任务进展情况。{when}"))
        blocks.append(Paragraph(
            "请于收到本通知后3个工作日内,通过台账填报包(或在下发的Excel填报表中填写)报送本单位"
            "承担任务的进展、存在问题和下步计划,以及牵头指标的本期数值。逾期未报的,"
            "将在下期进展情况通报中予以说明。"))
        rows = []
        for n, u in enumerate(missing):
            before = RETURN_LABELS[u.previous_state] if u.previous_state else "—"
            rows.append((str(n + 1), u.name, str(u.tasks.expected) if u.tasks.expected else "—",
                         before, contacts.get(u.name, "")))
        blocks.append(Table(("序号", "未报单位", "应报任务", "上期报送", "联系方式"),
                            tuple(rows), (8, 36, 14, 14, 28), "clccl", font_pt=11))
    blocks.append(Paragraph(s.office, "signature"))
    blocks.append(Paragraph(cn_date(date), "date"))
    return finish(Document("reminder", title, s.office, date, blocks, s))


# ---------------------------------------------------------------- charts

def render_charts(doc: Document, dpi: int = 200) -> Document:
    """Fill ``doc.images`` with a PNG of every chart, sized as the page will print it."""
    from app.services.reports.charts import build_figure, figure_png

    for chart in doc.charts():
        if chart.name in doc.images:
            continue
        fig = build_figure(chart.name, doc.summary, width=chart.width_mm / 25.4,
                           height=chart.height_mm / 25.4)
        doc.images[chart.name] = figure_png(fig, dpi)
    return doc


# ---------------------------------------------------------------- loading

def build_bulletin(engine: Engine, period_key: str, plan_id: int | None = None, *,
                   date: dt.date | None = None, charts: bool = True,
                   summary: PeriodSummary | None = None) -> Document:
    """The 通报 with its chart images, ready to render."""
    from app.services.reports.summary import period_summary

    summary = summary or period_summary(engine, period_key, plan_id, today=date)
    doc = bulletin(summary, date, with_charts=charts)
    return render_charts(doc) if charts else doc


def build_unit_report(engine: Engine, period_key: str, unit: str, plan_id: int | None = None,
                      *, date: dt.date | None = None) -> Document:
    """One unit's report: its row of ``period_progress`` with the summary's judgement."""
    from app.core.errors import UserFacingError
    from app.services.district.progress import period_progress
    from app.services.plans.query import get_plan
    from app.services.reports.summary import period_summary

    summary = period_summary(engine, period_key, plan_id, today=date, trend=False)
    if unit not in {u.name for u in summary.units}:
        raise UserFacingError(f"单位“{unit}”不在本方案的填报单位中。")
    progress = period_progress(engine, period_key, summary.plan.id)
    row = next(u for u in progress.units if u.name == unit)
    plan = get_plan(engine, summary.plan.id)
    titles = {t.code: t.title for t in plan.tasks}
    roles = {t.code: "、".join(ROLE_LABELS[r] for r in ("lead", "cooperating", "implementing")
                              if unit in getattr(t, r)) for t in plan.tasks if unit in t.units()}
    return unit_report(summary, row, titles, roles, date)


def build_reminder(engine: Engine, period_key: str, plan_id: int | None = None, *,
                   date: dt.date | None = None) -> Document:
    """催报通知 with each missing unit's contact (as recorded in the unit list)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app.models import Unit
    from app.services.plans.contacts import contact_line
    from app.services.reports.summary import period_summary

    summary = period_summary(engine, period_key, plan_id, today=date, trend=False)
    names = [u.name for u in summary.units_in("missing")]
    with Session(engine) as s:
        contacts = {n: contact_line(c, p) for n, c, p in s.execute(
            select(Unit.name, Unit.contact, Unit.phone).where(Unit.name.in_(names)))}
    return reminder(summary, contacts, date)


REPORT_KINDS = ("bulletin", "unit_report", "reminder")  # 进展情况通报, 单位报告, 催报通知


def build_report(engine: Engine, kind: str, period_key: str, plan_id: int | None = None, *,
                 unit: str | None = None, date: dt.date | None = None, charts: bool = True,
                 summary: PeriodSummary | None = None) -> Document:
    """The one choice of document, for the 报告 page and `report --pdf` alike: a unit's
    report (needs `unit`), the 催报通知, or the 通报 (with charts unless told otherwise)."""
    if kind == "unit_report":
        if not unit:
            from app.core.errors import UserFacingError

            raise UserFacingError("请选择要生成报告的单位。")
        return build_unit_report(engine, period_key, unit, plan_id, date=date)
    if kind == "reminder":
        return build_reminder(engine, period_key, plan_id, date=date)
    if kind != "bulletin":
        raise ValueError(f"unknown report kind {kind!r}")
    return build_bulletin(engine, period_key, plan_id, date=date, charts=charts, summary=summary)
