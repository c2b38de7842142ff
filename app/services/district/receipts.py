"""收件登记: per plan and period, where every unit's return stands, and who to chase (催报).

The state is derived, never typed in: the packet ledger says what was issued, the receipt
row says what merging last accepted or refused, the period's deadline says what is late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.vocab import KIND_LABELS, RECEIPT_STATE_LABELS
from app.models import Approval, Packet, Period, PlanUnit, Receipt, Unit
from app.services.district.progress import reporting_units
from app.services.plans.contacts import contact_line
from app.services.plans.query import period_label, resolve_plan_period

# states in which the unit owes the district a (new) return
CHASE_STATES = ("issued", "not_returned", "rejected", "returned_for_fix")


@dataclass(frozen=True)
class ReceiptRow:
    unit_id: int
    unit: str
    kind: str
    contact: str
    state: str  # a key of RECEIPT_STATE_LABELS
    issued_at: dt.datetime | None  # local time
    received_at: dt.datetime | None  # local time
    days_late: int | None  # late return: days after the deadline; missing: days overdue
    revision: int | None
    packet_id: str | None
    message: str  # why the last return was refused, or the open correction
    approved_at: dt.datetime | None = None  # 审核通过, local time (later returns are refused)

    @property
    def state_label(self) -> str:
        return RECEIPT_STATE_LABELS[self.state]

    @property
    def approval_label(self) -> str:
        return "已审核" if self.approved_at is not None else ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class ReceiptLedger:
    plan_id: int
    period: str
    period_id: int
    due: dt.date
    today: dt.date
    rows: list[ReceiptRow]

    @property
    def issued(self) -> list[ReceiptRow]:
        return [r for r in self.rows if r.state != "not_issued"]

    @property
    def received(self) -> int:
        return sum(r.state in ("received", "late", "returned_for_fix") for r in self.rows)

    @property
    def late(self) -> int:
        return sum(r.state == "late" for r in self.rows) + sum(
            r.state == "returned_for_fix" and (r.days_late or 0) > 0 for r in self.rows)

    @property
    def missing(self) -> int:
        return len(self.issued) - self.received

    def chase(self) -> list[ReceiptRow]:
        """催报: units that were issued a packet and owe a return."""
        return [r for r in self.rows if r.state in CHASE_STATES]

    def status_text(self) -> str:
        """The top bar's one-line summary, e.g. 已收 5/8 · 迟报 1 · 未报 2."""
        if not self.issued:
            return f"{period_label(self.period)}尚未下发"
        return f"已收 {self.received}/{len(self.issued)} · 迟报 {self.late} · 未报 {self.missing}"


def _period(session: Session, plan_id: int, period: str | int) -> Period:
    if isinstance(period, int):
        row = session.get(Period, period)
        if row is None or row.plan_id != plan_id:
            from app.core.errors import UserFacingError

            raise UserFacingError(f"方案 {plan_id} 没有这个填报周期。")
        return row
    return resolve_plan_period(session, period, plan_id)


def receipt_ledger(db: Engine, plan_id: int, period: str | int,
                   today: dt.date | None = None) -> ReceiptLedger:
    """Every unit of the plan with its state for `period` (key like 2021-06, or its id)."""
    today = today or clock.today()
    with Session(db) as s:
        p = _period(s, plan_id, period)
        issued: dict[int, Packet] = {}
        for pk in s.scalars(select(Packet).where(
                Packet.period_id == p.id, Packet.plan_id == plan_id,
                Packet.direction == "issued").order_by(Packet.created_at, Packet.id)):
            issued.setdefault(pk.unit_id, pk)  # the first issue is when the clock started
        last_reject: dict[int, Packet] = {}
        for pk in s.scalars(select(Packet).where(
                Packet.period_id == p.id, Packet.plan_id == plan_id,
                Packet.direction == "returned", Packet.outcome == "rejected")
                .order_by(Packet.created_at, Packet.id)):
            last_reject[pk.unit_id] = pk
        receipts = {r.unit_id: r for r in s.scalars(
            select(Receipt).where(Receipt.period_id == p.id))}
        units = reporting_units(s, plan_id)
        known = {u.id for u in units}
        extra = [u for u in s.scalars(select(Unit).outerjoin(
            PlanUnit, (PlanUnit.unit_id == Unit.id) & (PlanUnit.plan_id == plan_id))
            .where(Unit.id.in_(set(issued) - known)).order_by(PlanUnit.position, Unit.id))]
        approved = {uid: clock.to_local(at) for uid, at in s.execute(
            select(Approval.unit_id, Approval.approved_at).where(Approval.period_id == p.id))}
        rows: list[ReceiptRow] = []
        for u in [*units, *extra]:
            rows.append(replace(_row(u, issued.get(u.id), receipts.get(u.id),
                                     last_reject.get(u.id), p.due, today),
                                approved_at=approved.get(u.id)))
        order = {"returned_for_fix": 0, "rejected": 1, "not_returned": 2, "issued": 3,
                 "late": 4, "received": 5, "not_issued": 6}
        rows.sort(key=lambda r: order[r.state])  # stable: plan order inside each state
        return ReceiptLedger(plan_id, p.key, p.id, p.due, today, rows)


def _row(u: Unit, issued: Packet | None, receipt: Receipt | None, rejected: Packet | None,
         due: dt.date, today: dt.date) -> ReceiptRow:
    def make(state: str, late: int | None = None, message: str = "") -> ReceiptRow:
        return ReceiptRow(u.id, u.name, u.kind, contact_line(u.contact, u.phone), state,
                          clock.to_local(issued.created_at) if issued else None,
                          clock.to_local(receipt.received_at)
                          if receipt and receipt.received_at else None, late,
                          receipt.revision if receipt else None,
                          receipt.packet_id if receipt else None, message)

    overdue = clock.days_overdue(due, today)
    if receipt is not None and receipt.state == "returned_for_fix":
        late = clock.days_late(receipt.received_at, due) if receipt.received_at else overdue
        return make("returned_for_fix", late, "已发出退回修改包,待重新报送")
    if receipt is not None and receipt.state == "accepted" and receipt.received_at:
        late = clock.days_late(receipt.received_at, due)
        return make("late" if late else "received", late)
    if issued is None:
        return make("not_issued")
    if receipt is not None and receipt.state == "rejected":
        return make("rejected", overdue or None, rejected.message if rejected else "")
    return make("not_returned" if today > due else "issued", overdue or None)


def export_ledger(ledger: ReceiptLedger, path: str | Path) -> Path:
    """收件登记 and 催报 as a workbook (every cell written as a string or number, never a
    formula, so a unit name beginning with '=' stays text)."""
    import xlsxwriter

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    try:
        head = wb.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1,
                              "text_wrap": True, "valign": "vcenter"})
        cell = wb.add_format({"border": 1, "valign": "vcenter"})
        title_fmt = wb.add_format({"bold": True, "font_size": 14})
        label = period_label(ledger.period)

        def sheet(name: str, title: str, headers: list[str],
                  rows: list[list[str | int | None]], widths: list[int]) -> None:
            ws = wb.add_worksheet(name)
            ws.write_string(0, 0, title, title_fmt)
            for c, (h, w) in enumerate(zip(headers, widths, strict=True)):
                ws.write_string(2, c, h, head)
                ws.set_column(c, c, w)
            for r, values in enumerate(rows, start=3):
                for c, v in enumerate(values):
                    if isinstance(v, int):
                        ws.write_number(r, c, v, cell)
                    else:
                        ws.write_string(r, c, v or "", cell)
            ws.freeze_panes(3, 0)

        def when(d: dt.datetime | None) -> str:
            return d.strftime("%Y-%m-%d %H:%M") if d else ""

        sheet("收件登记", f"{label} 收件登记(截止 {ledger.due:%Y-%m-%d},{ledger.status_text()})",
              ["单位", "类型", "状态", "下发时间", "收到时间", "迟报/逾期天数", "版本", "说明"],
              [[r.unit, r.kind_label, r.state_label, when(r.issued_at), when(r.received_at),
                r.days_late or None, r.revision, r.message] for r in ledger.rows],
              [22, 8, 10, 18, 18, 14, 6, 40])
        sheet("催报", f"{label} 催报名单(截止 {ledger.due:%Y-%m-%d})",
              ["单位", "类型", "状态", "逾期天数", "联系方式", "说明"],
              [[r.unit, r.kind_label, r.state_label, r.days_late or None, r.contact, r.message]
               for r in ledger.chase()],
              [22, 8, 10, 10, 24, 40])
    finally:
        wb.close()
    return path
