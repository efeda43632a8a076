#!/usr/bin/env python3
"""Open a Mesa case from a monitoring alert (Zabbix, Nagios, Prometheus' Alertmanager relayed...).

The alert is a JSON object, on stdin or in a file:

    {"host": "srv-db01", "check": "Disk /var usage", "severity": "high",
     "message": "/var at 93%", "time": "2026-12-03T08:15:00-05:00"}

`host`, `check` and `severity` are required; `message` and `time` are optional. The case is
registered in the given service (by id, code or name) with channel `api`, the external
reference `alert:<host>/<check>` and a priority from the severity:

    disaster, critical            -> critical
    high, error                   -> high
    average, warning, unknown     -> medium
    information, info, not classified, ok -> low

An alert whose host and check already have an open case is not opened again: the script prints
that case and exits 0. Retries of the same alert (same host, check and time) are safe too: the
request carries an Idempotency-Key.

Environment: MESA_URL (e.g. https://mesa.example.gov.co) and MESA_TOKEN (bearer token of a staff
account allowed to register cases in the service; an API token needs the scopes `tickets:read`,
`tickets:write`, `catalog:read`, and `users:read` for --requester). Exit codes: 0 opened or already open,
1 Mesa refused or could not be reached, 2 bad alert or arguments, 3 unknown service or requester.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

from mesa_common import (EXIT_USAGE, client_from_env, expect, fail, fields_of, find_service, find_user,
                         parse_fields, run)
from mesa_client.api.ticket_actions import classify
from mesa_client.api.tickets import create_ticket, list_tickets
from mesa_client.models.channel import Channel
from mesa_client.models.classify_body import ClassifyBody
from mesa_client.models.create_ticket import CreateTicket
from mesa_client.models.create_ticket_fields import CreateTicketFields
from mesa_client.models.priority import Priority
from mesa_client.models.ticket import Ticket
from mesa_client.models.ticket_page import TicketPage
from mesa_client.models.view import View
from mesa_client.types import UNSET

PRIORITY_BY_SEVERITY = {
    "disaster": "critical", "critical": "critical",
    "high": "high", "error": "high",
    "average": "medium", "warning": "medium", "unknown": "medium",
    "information": "low", "info": "low", "not classified": "low", "ok": "low",
}
# Statuses of a case still being worked: an alert matching one of these is not opened again.
OPEN_STATUSES = "new,assigned,in_progress,on_hold"
MAX_REFERENCE = 100  # CreateTicket.external_reference's maxLength


def read_alert(source: str) -> dict[str, str]:
    try:
        raw = sys.stdin.read() if source == "-" else open(source, encoding="utf-8").read()
    except OSError as e:
        fail(f"cannot read the alert file {source!r}: {e.strerror}", EXIT_USAGE)
    try:
        alert = json.loads(raw)
    except json.JSONDecodeError as e:
        fail(f"the alert is not valid JSON: {e}", EXIT_USAGE)
    if not isinstance(alert, dict):
        fail("the alert must be a JSON object with host, check and severity", EXIT_USAGE)
    out: dict[str, str] = {}
    for key in ("host", "check", "severity", "message", "time"):
        value = alert.get(key)
        if value is None:
            continue
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            fail(f"alert field {key!r} must be text", EXIT_USAGE)
        text = str(value).strip()
        if "\x00" in text:
            fail(f"alert field {key!r} contains a NUL character", EXIT_USAGE)
        if text:
            out[key] = text
    for key in ("host", "check", "severity"):
        if key not in out:
            fail(f"the alert has no {key!r}", EXIT_USAGE)
    return out


def priority_of(severity: str) -> str:
    p = PRIORITY_BY_SEVERITY.get(" ".join(severity.casefold().split()))
    if p is None:
        known = ", ".join(sorted(PRIORITY_BY_SEVERITY))
        fail(f"unknown severity {severity!r} (known: {known})", EXIT_USAGE)
    return p


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("alert", nargs="?", default="-", help="alert JSON file (default: stdin)")
    parser.add_argument("--service", required=True, help="service of the case: its id, code or name")
    parser.add_argument("--field", action="append", metavar="KEY=VALUE",
                        help="a value of the service's form, KEY:=JSON for numbers and true/false "
                             "(repeat for each; the catalog names the keys)")
    parser.add_argument("--requester", help="username or email the case is for (default: the token's account)")
    args = parser.parse_args()

    client = client_from_env()
    alert = read_alert(args.alert)
    fields = parse_fields(args.field)
    priority = priority_of(alert["severity"])
    reference = f"alert:{alert['host']}/{alert['check']}"
    if len(reference) > MAX_REFERENCE:
        # Long host/check names keep a readable start and a hash that still tells them apart.
        digest = hashlib.sha256(reference.encode()).hexdigest()[:16]
        reference = f"{reference[:MAX_REFERENCE - 17]}#{digest}"

    page = expect(list_tickets.sync_detailed(client=client, view=View.ALL, external_reference=reference,
                                             status=OPEN_STATUSES, limit=1), TicketPage,
                  "looking for an open case of this alert")
    if page.items:
        t = page.items[0]
        print(f"#{t.number} already open for {reference} ({t.status.value}, {t.priority.value}): {t.subject}")
        return 0

    service, desk = find_service(client, args.service)
    requester_id = find_user(client, args.requester).id if args.requester else UNSET
    subject = f"[{alert['severity'].upper()}] {alert['host']}: {alert['check']}"[:200]
    lines = ["Alerta de monitoreo / monitoring alert", f"Host: {alert['host']}", f"Check: {alert['check']}",
             f"Severity: {alert['severity']}"]
    if "time" in alert:
        lines.append(f"Time: {alert['time']}")
    if "message" in alert:
        lines += ["", alert["message"]]
    body = CreateTicket(service_id=service.id, subject=subject, description="\n".join(lines)[:20000],
                        channel=Channel.API, external_reference=reference, requester_id=requester_id,
                        fields=fields_of(fields, CreateTicketFields))
    # The same alert sent twice (a retry, two pollers) registers one case.
    key = "alert-" + hashlib.sha256(f"{reference}\n{alert.get('time', '')}".encode()).hexdigest()
    resp = create_ticket.sync_detailed(client=client, body=body, idempotency_key=key)
    ticket = expect(resp, Ticket, f"opening a case in {desk} / {service.name}")
    if resp.status_code == 200:
        # 200, not 201: this alert (same host, check and time) was registered before.
        print(f"#{ticket.number} already registered for this alert ({ticket.status.value}): {ticket.subject}")
        return 0
    # Registration takes the priority from the desk's impact x urgency matrix; the alert's
    # severity is what monitoring knows best, so it overrides it (with the reason on record).
    if ticket.priority.value != priority:
        ticket = set_priority(client, ticket, priority, alert["severity"])
    print(f"#{ticket.number} opened for {reference} in {desk} / {service.name} ({ticket.priority.value}): {ticket.subject}")
    return 0


def set_priority(client, ticket: Ticket, priority: str, severity: str) -> Ticket:
    body = ClassifyBody(priority=Priority(priority), priority_reason=f"Monitoring severity: {severity}")
    resp = classify.sync_detailed(ticket.number, client=client, body=body, if_match=f'"{ticket.version}"')
    return expect(resp, Ticket, f"setting the priority of #{ticket.number} to {priority}")

if __name__ == "__main__":
    run(main)
