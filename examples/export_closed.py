#!/usr/bin/env python3
"""Export the cases closed in a week (Monday to Sunday, America/Bogota) to CSV.

Default: last week. Columns: number, subject, service, requester, priority, opened, closed
(RFC 3339 in Bogota time) and sla_met: `yes` when the case met both SLA targets (attention and
resolution), `no` when it missed one, empty when no SLA policy applied or a clock never stopped.

The cases are those of the "closed" figure of Mesa's reports (GET /reports/cases?measure=closed),
so the token's account must be a supervisor (their desks) or an admin (every desk); every page is
walked, and each case is read once more for its closing time and SLA clocks.

Examples:
    python examples/export_closed.py -o cerrados.csv
    python examples/export_closed.py --week 2026-11-23 --desk TIC

Environment: MESA_URL and MESA_TOKEN (an API token needs the scopes `reports:read` and
`tickets:read`). Exit codes: 0 written, 1 Mesa refused or could not be
reached, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys

from mesa_common import EXIT_USAGE, client_from_env, expect, fail, run
from mesa_client.api.reports import report_cases
from mesa_client.api.tickets import get_ticket
from mesa_client.models.ticket import Ticket
from mesa_client.models.ticket_page import TicketPage
from mesa_client.types import UNSET, Unset

try:
    from zoneinfo import ZoneInfo

    BOGOTA: dt.tzinfo = ZoneInfo("America/Bogota")
except Exception:  # no tz database on the machine: Bogota has kept UTC-5 without DST since 1993
    BOGOTA = dt.timezone(dt.timedelta(hours=-5), "America/Bogota")

COLUMNS = ["number", "subject", "service", "requester", "priority", "opened", "closed", "sla_met"]


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def sla_met(t: Ticket) -> str:
    if t.sla is None or isinstance(t.sla, Unset):
        return ""
    met = [t.sla.response.met, t.sla.resolution.met]
    if any(m is False for m in met):
        return "no"
    if all(m is True for m in met):
        return "yes"
    return ""


def local(instant: dt.datetime | None | Unset) -> str:
    return instant.astimezone(BOGOTA).isoformat() if isinstance(instant, dt.datetime) else ""


def write_csv(f, rows: list[list[str]]) -> None:
    w = csv.writer(f)
    w.writerow(COLUMNS)
    w.writerows(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--week", metavar="YYYY-MM-DD", help="any day of the week to export (default: last week)")
    parser.add_argument("--desk", help="only this desk (its code or id; default: every desk the account sees)")
    parser.add_argument("-o", "--output", default="-", help="CSV file to write (default: stdout)")
    parser.add_argument("--page-size", type=int, default=200, help="cases per request, 1-200 (default 200)")
    args = parser.parse_args()

    client = client_from_env()
    if args.week:
        try:
            day = dt.date.fromisoformat(args.week)
        except ValueError:
            fail(f"--week must be a date as YYYY-MM-DD (got {args.week!r})", EXIT_USAGE)
    else:
        day = dt.datetime.now(BOGOTA).date() - dt.timedelta(days=7)
    if not 1 <= args.page_size <= 200:
        fail("--page-size must be from 1 to 200", EXIT_USAGE)
    first, last = week_of(day)

    rows: list[list[str]] = []
    cursor: str | Unset = UNSET
    while True:
        resp = report_cases.sync_detailed(client=client, measure="closed", from_=first.isoformat(), to=last.isoformat(),
                                          desk=args.desk or UNSET, limit=args.page_size, cursor=cursor)
        page = expect(resp, TicketPage, f"listing the cases closed from {first} to {last}")
        for summary in page.items:
            t = expect(get_ticket.sync_detailed(summary.number, client=client), Ticket, f"reading case #{summary.number}")
            rows.append([str(t.number), t.subject, t.service.name, t.requester.name, t.priority.value,
                         local(t.created_at), local(t.closed_at), sla_met(t)])
        if not isinstance(page.next_cursor, str):
            break
        cursor = page.next_cursor
    rows.sort(key=lambda r: int(r[0]))

    # Written once every page was read: a failure leaves no half-written file.
    if args.output == "-":
        write_csv(sys.stdout, rows)
    else:
        try:
            with open(args.output, "w", newline="", encoding="utf-8") as f:
                write_csv(f, rows)
        except OSError as e:
            fail(f"cannot write {args.output!r}: {e.strerror}", EXIT_USAGE)
    print(f"{len(rows)} cases closed from {first} to {last}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    run(main)
