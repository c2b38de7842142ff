"""The one clock: what time it is, how it is stored, shown and judged.

Stored-time convention: every timestamp the database keeps (created_at, updated_at,
AuditLog.at, Receipt.received_at, resolved_at, closed_at) is a **naive UTC** datetime made
by `now()`. People read **local** time: views, reports and exports show `to_local(stamp)`.
Deadlines are **local calendar dates** ("7月5日"), so lateness is judged on the local date
of the stored UTC instant (`days_late`): a return received at 07:30 Beijing time on the 6th
(23:30 UTC on the 5th) is one day late for a deadline of the 5th.

Packet manifests are files people read: their stamps (issued_at, exported_at) are naive
local wall-clock time (`local_now()`), converted with `from_local` when stored.

"Local" is the zone of the machine the application runs on, read at each call (so a test
may change TZ and call `time.tzset()`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re


def now() -> dt.datetime:
    """The current instant as stored: naive UTC (microseconds kept: they order re-issues)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_now() -> dt.datetime:
    """Naive local wall-clock time, for what people read in files (manifests)."""
    return dt.datetime.now()


def today() -> dt.date:
    """The local calendar date: the one deadlines are counted against."""
    return dt.date.today()


def to_local(stamp: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) stamp as naive local time, for display."""
    return stamp.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def from_local(local: dt.datetime) -> dt.datetime:
    """A naive local time (as manifests carry it) as a stored naive UTC stamp."""
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def stored(t: dt.datetime) -> dt.datetime:
    """`t` in the stored convention: an aware time is converted to naive UTC; a naive one
    is taken as already stored (naive UTC)."""
    if t.tzinfo is None:
        return t
    return t.astimezone(dt.UTC).replace(tzinfo=None)


def local_date(stamp: dt.datetime) -> dt.date:
    """The local calendar date of a stored stamp."""
    return to_local(stamp).date()


# ---------------------------------------------------------------- calendar rules

def month_end(year: int, month: int) -> dt.date:
    """The last day of a month: where every period ends."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def due_date(period_end: dt.date, deadline_day: int) -> dt.date:
    """A period's submission deadline: `deadline_day` of the month after it ends (the
    month's last day when the month is shorter)."""
    nxt = period_end + dt.timedelta(days=1)
    return dt.date(nxt.year, nxt.month,
                   min(deadline_day, calendar.monthrange(nxt.year, nxt.month)[1]))


def period_label(key: str) -> str:
    """'2021-06' → '2021年6月'; '2021-Q2' → '2021年第二季度'."""
    if re.fullmatch(r"\d{4}-\d{2}", key):
        return f"{key[:4]}年{int(key[5:])}月"
    if re.fullmatch(r"\d{4}-Q[1-4]", key):
        return f"{key[:4]}年第{'一二三四'[int(key[-1]) - 1]}季度"
    if re.fullmatch(r"\d{4}-H[12]", key):
        return f"{key[:4]}年{'上下'[int(key[-1]) - 1]}半年"
    return f"{key}年"


def deadline_end(deadline: str | None) -> dt.date | None:
    """A task's deadline text as its last day: '2022-12' → 2022-12-31; '2022-12-15' → that
    day; anything else → None."""
    if not deadline:
        return None
    m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?\s*", deadline)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    try:
        if m.group(3):
            return dt.date(year, month, int(m.group(3)))
        return month_end(year, month)
    except ValueError:
        return None


def days_late(received: dt.datetime, due: dt.date) -> int:
    """Whole days a return stored at `received` (naive UTC) came after `due` (a local date);
    0 when on time."""
    return max(0, (local_date(received) - due).days)


def days_overdue(due: dt.date, on: dt.date | None = None) -> int:
    """Whole days past `due` on the local date `on` (default today); 0 before or on it."""
    return max(0, ((on or today()) - due).days)
