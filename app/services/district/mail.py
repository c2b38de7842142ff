"""Drafts out: a ready-to-send mail (.eml) beside each packet the district writes.

Issuing writes one packet per unit; somebody then attaches them one by one to 31 mails.
Here each packet gets an RFC 5322 message saved beside it (same name, ``.eml``) with
``X-Unsent: 1``, so Outlook, Foxmail and Thunderbird open it as a message ready to send:
To = the unit's 邮箱 (``Unit.email``; left out, with a note in the result, when unknown),
From = the 邮箱 of the plan's district office unit when it has one, a subject like
``【任务进展填报】2021年6月 — 青龙街道(截止7月5日)``, a short Chinese body and the packet
attached under its Chinese file name (RFC 2231, ``filename*=utf-8''…``).

Three kinds: the period's packets (``write_packet_drafts``), a 退回修改 packet with the
退回意见 quoted (``write_correction_draft``) and the 催报 to the units that have not
returned, with the 催报通知 PDF attached (``write_reminder_drafts``; the PDF is rendered by
the caller, which may use Qt). Messages are built with the standard library's ``email``
package (policy SMTP: CRLF line ends, every header encoded) and written atomically.
The deadline is the period's due date as stored (``clock.due_date`` made it); the Date
header is ``clock.now()``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.errors import UserFacingError
from app.models import Packet, Period, Plan, PlanUnit, Unit
from app.services.district.corrections import FlagInfo, list_flags
from app.services.district.issue import IssuedPacket, packet_file_name
from app.services.packets.format import TASK_PREFIX
from app.services.packets.writer import atomic_write
from app.services.plans.contacts import addresses, contact_line
from app.services.plans.query import period_label, resolve_plan_period

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PDF_TYPE = ("application", "pdf")
SUBJECT_TAGS = {"normal": "【任务进展填报】", "correction": "【退回修改】", "reminder": "【催报】"}


@dataclass(frozen=True)
class MailDraft:
    """One .eml written: where, to whom, and why To is empty when it is."""

    path: Path
    unit: str
    to: tuple[str, ...]
    subject: str
    attachments: tuple[str, ...]
    note: str = ""  # e.g. 青龙街道没有登记邮箱,收件人留空


@dataclass(frozen=True)
class _Context:
    """What a mail says about its plan, period, unit and sender (read once, plain values)."""

    plan_id: int
    plan_title: str
    office: str  # the district office's name: the signature
    sender: Address | None
    signature: str  # 联系人 电话 of the district office
    period: str
    due: dt.date
    unit: str
    to: tuple[str, ...]


def _office(s: Session, plan: Plan) -> tuple[str, Address | None, str]:
    """The plan's district office unit (区创建办): name, its first 邮箱, 联系人 and 电话."""
    unit = s.scalar(select(Unit).join(PlanUnit, PlanUnit.unit_id == Unit.id).where(
        PlanUnit.plan_id == plan.id, Unit.kind == "district_office").order_by(PlanUnit.position)
        .limit(1))
    name = (unit.name if unit else "") or plan.office or "区创建办"
    if unit is None:
        return name, None, ""
    found = addresses(unit.email)
    return name, Address(name, addr_spec=found[0]) if found else None, contact_line(
        unit.contact, unit.phone)


def _context(s: Session, plan_id: int, period_id: int, unit_id: int) -> _Context:
    plan, period, unit = s.get(Plan, plan_id), s.get(Period, period_id), s.get(Unit, unit_id)
    if plan is None or period is None or unit is None:
        raise UserFacingError("下发记录所指的方案、周期或单位已不存在,无法生成邮件草稿。")
    office, sender, signature = _office(s, plan)
    return _Context(plan.id, plan.title, office, sender, signature, period.key, period.due, unit.name,
                    tuple(addresses(unit.email)))


def _packet_context(s: Session, packet_uid: str) -> _Context:
    row = s.scalar(select(Packet).where(Packet.packet_uid == packet_uid,
                                        Packet.direction == "issued"))
    if row is None:
        raise UserFacingError(f"没有编号为 {packet_uid[:8]}… 的下发记录,无法生成邮件草稿。")
    return _context(s, row.plan_id, row.period_id, row.unit_id)


def due_text(due: dt.date, period_key: str) -> str:
    """7月5日; with the year when it is not the period's (a December period due in January)."""
    if str(due.year) == period_key[:4]:
        return f"{due.month}月{due.day}日"
    return f"{due.year}年{due.month}月{due.day}日"


def full_date(day: dt.date) -> str:
    """2021年7月5日 (as official documents write dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def subject(kind: str, period_key: str, unit: str, due: dt.date | None = None) -> str:
    """【任务进展填报】2021年6月 — 青龙街道(截止7月5日)."""
    text = f"{SUBJECT_TAGS[kind]}{period_label(period_key)} — {unit}"
    return text + (f"(截止{due_text(due, period_key)})" if due is not None else "")


def build_message(ctx: _Context, subject_text: str, body: str,
                  attachments: Sequence[tuple[str, bytes, tuple[str, str]]]) -> EmailMessage:
    """The draft: headers, the plain-text body and the attachments (name, bytes, type)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["X-Unsent"] = "1"
    if ctx.sender is not None:
        msg["From"] = ctx.sender
    if ctx.to:
        msg["To"] = [Address(ctx.unit, addr_spec=a) for a in ctx.to]
    msg["Subject"] = subject_text
    msg["Date"] = format_datetime(clock.now().replace(tzinfo=dt.UTC))
    msg["Message-ID"] = make_msgid(domain="taizhang.invalid")
    msg["X-Mailer"] = "Taizhang"
    msg.set_content(body)
    for name, data, (maintype, subtype) in attachments:
        # the name only in Content-Disposition (RFC 2231): adding it to Content-Type
        # too made the stdlib fold the long xlsx type inside a word ("sp readsheetml")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def _signature(ctx: _Context) -> str:
    lines = ["", ctx.office]
    if ctx.signature:
        lines.append(f"联系人:{ctx.signature}")
    lines.append(full_date(clock.today()))
    return "\n".join(lines) + "\n"


def _note(ctx: _Context) -> str:
    if ctx.to:
        return ""
    return f"{ctx.unit}没有登记邮箱,收件人留空(可在“单位”页填写邮箱后重新生成)。"


def _write(path: Path, msg: EmailMessage) -> None:
    """The .eml replaced atomically (a half-written draft never appears)."""
    atomic_write(path, msg.as_bytes(policy=policy.SMTP))


def draft_path(packet_path: Path) -> Path:
    """The draft beside its packet: 2021-06_青龙街道_….eml."""
    return packet_path.with_suffix(".eml")


def _packet_body(ctx: _Context, packet: IssuedPacket) -> str:
    period, due = period_label(ctx.period), full_date(ctx.due)
    counts = f" {packet.tasks} 项任务" + (f"和 {packet.indicators} 项指标" if packet.indicators
                                       else "")
    return (f"{ctx.unit}:\n\n"
            f"请填报《{ctx.plan_title}》{period}的工作进展,{due}前报送。\n\n"
            f"附件“{packet.path.name}”是本单位本期的填报包,列有分配给本单位的{counts}。"
            "请在黄色格子中填写进展状态、完成进度、本期进展、存在问题和下步打算等"
            "(灰色格子不能修改,请勿增删行或改动表格结构)。\n\n"
            "用 Excel 或 WPS 直接打开填写即可,不必安装台账程序;已安装台账程序的,"
            "也可用“单位填报”打开此文件填写后导出报送包。\n\n"
            "填好后保存,回复本邮件并附上该文件即可(文件名可以不改)。\n"
            + _signature(ctx))


def write_packet_drafts(db: Engine, packets: Sequence[IssuedPacket]) -> list[MailDraft]:
    """One draft beside each packet just issued (``issue_packets(...).packets``)."""
    out = []
    with Session(db) as s:
        contexts = [_packet_context(s, p.packet_uid) for p in packets]
    for packet, ctx in zip(packets, contexts, strict=True):
        subj = subject("normal", ctx.period, ctx.unit, ctx.due)
        msg = build_message(ctx, subj, _packet_body(ctx, packet),
                            [(packet.path.name, packet.path.read_bytes(), XLSX_TYPE)])
        path = draft_path(packet.path)
        _write(path, msg)
        out.append(MailDraft(path, ctx.unit, ctx.to, subj, (packet.path.name,), _note(ctx)))
    return out


def write_correction_draft(db: Engine, packet: IssuedPacket,
                           flags: Sequence[FlagInfo] | None = None) -> MailDraft:
    """The draft for a 退回修改 packet: the body quotes each 退回意见 with its item and field
    (default: the flags sent in this packet)."""
    with Session(db) as s:
        ctx = _packet_context(s, packet.packet_uid)
    if flags is None:
        flags = [f for f in list_flags(db, ctx.plan_id, ctx.period, ctx.unit, status=None)
                 if f.packet_uid == packet.packet_uid]
    quoted = "\n".join(
        f"> {'任务' if f.key.startswith(TASK_PREFIX) else '指标'} {f.code} {f.title[:30]}"
        f" · {f.field_label}:{f.comment or '请核实修改'}" for f in flags)
    body = (f"{ctx.unit}:\n\n"
            f"你单位报送的{period_label(ctx.period)}工作进展中,以下内容需要修改:\n\n"
            f"{quoted}\n\n"
            f"请打开附件“{packet.path.name}”,只修改标黄的格子(其余格子已锁定),"
            "保存后回复本邮件并附上该文件。用 Excel、WPS 或台账程序“单位填报”均可。\n"
            + _signature(ctx))
    subj = subject("correction", ctx.period, ctx.unit)
    msg = build_message(ctx, subj, body, [(packet.path.name, packet.path.read_bytes(),
                                           XLSX_TYPE)])
    path = draft_path(packet.path)
    _write(path, msg)
    return MailDraft(path, ctx.unit, ctx.to, subj, (packet.path.name,), _note(ctx))


def reminder_units(db: Engine, period_key: str, plan_id: int | None = None,
                   today: dt.date | None = None) -> list[str]:
    """The 催报名单 of 收件登记: units issued a packet for the period that owe a return
    (not returned, refused, or sent back for correction); the drafts go to them."""
    from app.services.district.receipts import receipt_ledger

    with Session(db) as s:
        plan = resolve_plan_period(s, period_key, plan_id).plan_id
    return [r.unit for r in receipt_ledger(db, plan, period_key, today).chase()]


def write_reminder_drafts(db: Engine, period_key: str, out_dir: Path | str,
                          notice_pdf: Path | str, plan_id: int | None = None,
                          today: dt.date | None = None) -> list[MailDraft]:
    """催报: one draft per unit on the 催报名单, the 催报通知 PDF attached to each."""
    pdf = Path(notice_pdf)
    data = pdf.read_bytes()
    names = reminder_units(db, period_key, plan_id, today)
    folder = Path(out_dir)
    out = []
    with Session(db) as s:
        period = resolve_plan_period(s, period_key, plan_id)
        units = {u.name: u.id for u in s.scalars(select(Unit).where(Unit.name.in_(names)))}
        contexts = [_context(s, period.plan_id, period.id, units[n]) for n in names]
    for ctx in contexts:
        days = clock.days_overdue(ctx.due, today)
        late = f",已超过截止日期 {days} 天" if days else ""
        body = (f"{ctx.unit}:\n\n"
                f"《{ctx.plan_title}》{period_label(ctx.period)}的工作进展应于"
                f"{full_date(ctx.due)}前报送,至今未收到你单位的报送{late}。\n\n"
                f"请尽快填写下发的填报包并回复报送;附件是《催报通知》。"
                "如已报送,请忽略本邮件,或来电核对。\n"
                + _signature(ctx))
        subj = subject("reminder", ctx.period, ctx.unit, ctx.due)
        msg = build_message(ctx, subj, body, [(pdf.name, data, PDF_TYPE)])
        path = folder / Path(packet_file_name(ctx.period, ctx.unit, "催报")).with_suffix(".eml")
        _write(path, msg)
        out.append(MailDraft(path, ctx.unit, ctx.to, subj, (pdf.name,), _note(ctx)))
    return out


def drafts_summary(drafts: Sequence[MailDraft]) -> str:
    """One line for the command line and the window: how many drafts, who has no 邮箱."""
    text = f"已生成 {len(drafts)} 封邮件草稿(.eml,双击用邮件程序打开后发送)"
    empty = [d.unit for d in drafts if not d.to]
    if empty:
        text += f";{len(empty)} 个单位没有登记邮箱,收件人留空:" + "、".join(empty)
    return text
