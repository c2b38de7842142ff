"""`report`: the period's 通报 (PDF), 汇总表 (xlsx), a unit's report and the 催报通知.

    report --db FILE --period YYYY-MM [--plan ID] [--pdf FILE] [--xlsx FILE]
           [--unit NAME] [--reminder FILE [--eml]] [--date YYYY-MM-DD] [--no-charts] [--json]

``--pdf`` writes the 进展情况通报, or with ``--unit`` that unit's report; ``--reminder``
writes the 催报通知 to the units that have not returned (with ``--eml`` also a mail draft
to each of them, the PDF attached, beside it). PDFs come from the same
rendering routine as the window's print preview, through Qt without a window (offscreen
when there is no display). Without an output option the key figures are printed;
``--json`` prints all of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from app.cli.common import UsageError, add_period_target, existing_db, period_arg, print_json


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"日期格式应为 YYYY-MM-DD(如 2021-07-06),收到:{text}") from None


def _out(path: str | None, suffix: str) -> Path | None:
    if path is None:
        return None
    p = Path(path)
    if p.suffix.lower() != suffix:
        raise UsageError(f"输出文件应以 {suffix} 结尾:{path}")
    if p.parent and not p.parent.exists():
        raise UsageError(f"目录不存在:{p.parent}")
    return p


def cmd_report(args: argparse.Namespace) -> int:
    from app.services.db import open_database
    from app.services.reports.summary import period_summary, summary_json

    db_path = existing_db(args.db)
    period_arg(args.period)
    date = _date(args.date)
    pdf, xlsx, reminder = _out(args.pdf, ".pdf"), _out(args.xlsx, ".xlsx"), \
        _out(args.reminder, ".pdf")
    if args.eml and reminder is None:
        raise UsageError("--eml 需与 --reminder 一起使用(催报邮件附上催报通知)。")
    if args.unit and pdf is None:
        raise UsageError("--unit 需与 --pdf 一起使用(输出该单位的进展报告)。")
    engine = open_database(db_path, create=False)
    summary = period_summary(engine, args.period, args.plan, today=date)
    written: list[str] = []
    if pdf is not None or reminder is not None:
        from app.services.reports.document import build_report

        docs = []  # build (and fail on bad input) before any Qt is started
        if pdf is not None:
            docs.append((pdf, build_report(
                engine, "unit_report" if args.unit else "bulletin", args.period,
                summary.plan.id, unit=args.unit, date=date, charts=not args.no_charts,
                summary=summary)))
        if reminder is not None:
            docs.append((reminder, build_report(engine, "reminder", args.period,
                                                summary.plan.id, date=date)))
        from app.views.reports.render import ensure_gui_application, write_pdf

        ensure_gui_application()
        for target, doc in docs:
            pages = write_pdf(doc, target)
            written.append(f"{target}({doc.title},{pages} 页)")
    if reminder is not None and args.eml:
        from app.services.district.mail import write_reminder_drafts

        for d in write_reminder_drafts(engine, args.period, reminder.parent, reminder,
                                       summary.plan.id, today=date):
            written.append(f"{d.path}(催报邮件草稿,收件人 {'; '.join(d.to) or '空:未登记邮箱'})")
    if xlsx is not None:
        from app.services.reports.workbook import write_summary_workbook

        write_summary_workbook(engine, args.period, xlsx, summary.plan.id, today=date)
        written.append(f"{xlsx}(汇总表)")
    if args.json:
        print_json(summary_json(summary))
    elif written:
        for line in written:
            print(f"已生成 {line}")
    else:
        _print_overview(summary)
    return 0


def _print_overview(s: Any) -> None:
    t = s.totals
    avg = "—" if t.tasks.average is None else f"{t.tasks.average:.1f}%"
    print(f"{s.plan.title} · {s.period.label}(截止 {s.period.due})")
    print(f"  应报 {t.units} · 按时 {t.on_time} · 迟报 {t.late} · 未报 {t.missing};"
          f"平均进度 {avg};滞后任务 {t.behind_tasks} 项;指标 达标 {t.attainment['met']} · "
          f"未达标 {t.attainment['not_met']} · 待评估 {t.attainment['pending']}")
    missing = [u.name for u in s.units if u.state == "missing"]
    if missing:
        print("  未报:" + "、".join(missing))
    for b in s.behind:
        print(f"  滞后 {b.code} {b.title}:" + "、".join(e.unit for e in b.entries))


def register(sub: Any, _plan_sub: Any) -> None:
    p = sub.add_parser("report", help="进展情况通报(PDF)、汇总表(xlsx)、单位报告、催报通知")
    add_period_target(p)
    p.add_argument("--pdf", help="通报 PDF(与 --unit 一起时为该单位的进展报告)")
    p.add_argument("--xlsx", help="汇总表 xlsx")
    p.add_argument("--unit", help="单位名称(单位报告)")
    p.add_argument("--reminder", help="催报通知 PDF")
    p.add_argument("--eml", action="store_true",
                   help="与 --reminder 一起:给每个未报单位写一封附催报通知的邮件草稿(.eml)")
    p.add_argument("--date", help="成文日期 YYYY-MM-DD(默认今天)")
    p.add_argument("--no-charts", action="store_true", help="通报不附图表")
    p.add_argument("--json", action="store_true", help="输出汇总数据 JSON")
    p.set_defaults(func=cmd_report)

