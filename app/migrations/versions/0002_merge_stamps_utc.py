"""merge stamps in UTC: convert what the merge wrote in local wall-clock time

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 13:30:00

Every stored time is naive UTC (app/core/clock.py), but from schema 0001 on the district's
merge stamped local wall-clock time (`received_now`, commit f533808) into exactly these
columns:

* packet.created_at of the returns it recorded (direction 'returned', outcome 'applied' or
  'rejected'; the office's own exports, outcome 'exported', were UTC);
* receipt.received_at (only the merge writes it);
* audit_log.at of the rows a merge wrote (packet_id = such a return, `at` equal to its
  created_at; a conflict decided later has its own UTC stamp);
* progress_entry.updated_at and indicator_value.updated_at of rows last written by a merge
  (packet_id = such a return and updated_at equal to its created_at);
* conflict.resolved_at of conflicts a newer return replaced (status 'replaced');
* flag.closed_at of correction flags a returned correction packet closed (closed_at equal
  to that return's created_at).

Those values are converted from local time to UTC **in the local time zone of the machine
that runs this migration** (the one that opens the file), daylight saving included: the
zone the merge wrote them in, as long as the database stays on the computer it was merged
on. Rows are selected and rewritten by id, so a converted value can never be converted
twice. Downgrading converts the same rows back to local time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

MERGE_OUTCOMES = ("applied", "rejected")

packet = sa.table("packet", sa.column("id", sa.String), sa.column("packet_uid", sa.String),
                  sa.column("direction", sa.String), sa.column("outcome", sa.String),
                  sa.column("created_at", sa.DateTime))
receipt = sa.table("receipt", sa.column("id", sa.Integer),
                   sa.column("received_at", sa.DateTime))
audit_log = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                     sa.column("packet_id", sa.String))
progress_entry = sa.table("progress_entry", sa.column("id", sa.Integer),
                          sa.column("updated_at", sa.DateTime), sa.column("packet_id", sa.String))
indicator_value = sa.table("indicator_value", sa.column("id", sa.Integer),
                           sa.column("updated_at", sa.DateTime),
                           sa.column("packet_id", sa.String))
conflict = sa.table("conflict", sa.column("id", sa.Integer), sa.column("status", sa.String),
                    sa.column("resolved_at", sa.DateTime))
flag = sa.table("flag", sa.column("id", sa.Integer), sa.column("packet_id", sa.String),
                sa.column("closed_at", sa.DateTime))


def local_to_utc(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC).replace(tzinfo=None)  # a naive time is read as local


def utc_to_local(t: dt.datetime) -> dt.datetime:
    return t.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def _rewrite(conn: sa.Connection, table: sa.TableClause, column: str,
             rows: list[tuple[int | str, dt.datetime]],
             convert: Callable[[dt.datetime], dt.datetime]) -> None:
    if not rows:
        return
    stmt = (table.update().where(table.c.id == sa.bindparam("_id"))
            .values({column: sa.bindparam("_value")}))
    conn.execute(stmt, [{"_id": i, "_value": convert(v)} for i, v in rows])


def _convert(convert: Callable[[dt.datetime], dt.datetime]) -> None:
    conn = op.get_bind()
    merged = (sa.select(packet.c.id, packet.c.packet_uid, packet.c.created_at)
              .where(packet.c.direction == "returned", packet.c.outcome.in_(MERGE_OUTCOMES),
                     packet.c.created_at.is_not(None)))
    packets = conn.execute(merged).all()
    # everything is selected before anything is rewritten: the matches compare old values
    audit = [(i, at) for i, at, created in conn.execute(
        sa.select(audit_log.c.id, audit_log.c.at, packet.c.created_at)
        .join(packet, packet.c.id == audit_log.c.packet_id)
        .where(packet.c.direction == "returned", packet.c.outcome.in_(MERGE_OUTCOMES)))
        if at == created]
    written: dict[str, list[tuple[int | str, dt.datetime]]] = {}
    for table in (progress_entry, indicator_value):
        written[table.name] = [(i, at) for i, at, created in conn.execute(
            sa.select(table.c.id, table.c.updated_at, packet.c.created_at)
            .join(packet, packet.c.id == table.c.packet_id)
            .where(packet.c.direction == "returned", packet.c.outcome.in_(MERGE_OUTCOMES)))
            if at == created]
    receipts = [(i, at) for i, at in conn.execute(
        sa.select(receipt.c.id, receipt.c.received_at)
        .where(receipt.c.received_at.is_not(None)))]
    replaced = [(i, at) for i, at in conn.execute(
        sa.select(conflict.c.id, conflict.c.resolved_at)
        .where(conflict.c.status == "replaced", conflict.c.resolved_at.is_not(None)))]
    closed_by = {(uid, at) for _, uid, at in packets}
    flags = [(i, at) for i, uid, at in conn.execute(
        sa.select(flag.c.id, flag.c.packet_id, flag.c.closed_at)
        .where(flag.c.closed_at.is_not(None))) if (uid, at) in closed_by]

    _rewrite(conn, packet, "created_at", [(i, at) for i, _, at in packets], convert)
    _rewrite(conn, audit_log, "at", audit, convert)
    _rewrite(conn, progress_entry, "updated_at", written["progress_entry"], convert)
    _rewrite(conn, indicator_value, "updated_at", written["indicator_value"], convert)
    _rewrite(conn, receipt, "received_at", receipts, convert)
    _rewrite(conn, conflict, "resolved_at", replaced, convert)
    _rewrite(conn, flag, "closed_at", flags, convert)


def upgrade() -> None:
    _convert(local_to_utc)


def downgrade() -> None:
    _convert(utc_to_local)
