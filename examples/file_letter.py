#!/usr/bin/env python3
"""File an official letter (oficio) received in the document-management system as a Mesa case.

The case is registered for the letter's requester (username or email of their Mesa account), in
the given service, with channel `letter`, the filing number (número de radicado, e.g.
2026ER004512) as its external reference, and the letter's PDF attached.

A filing number already filed is not filed again: the script prints that case and exits 0.

Example:
    MESA_URL=https://mesa.example.gov.co MESA_TOKEN=... \\
      python examples/file_letter.py --filing-number 2026ER004512 --requester lucia.martinez \\
        --service "Soporte de aplicaciones" --subject "Solicitud de acceso a SIGOB" oficio.pdf

Environment: MESA_URL and MESA_TOKEN (bearer token of a staff account of the service's desk; an API
token needs the scopes `tickets:read`, `tickets:write`, `catalog:read` and `users:read`).
Exit codes: 0 filed or already filed, 1 Mesa refused or could not be reached, 2 bad arguments or
file, 3 unknown service or requester.
"""

from __future__ import annotations

import argparse
import io
import os
import re

from mesa_common import (EXIT_USAGE, client_from_env, expect, fail, fields_of, find_service, find_user,
                         parse_fields, run)
from mesa_client.api.tickets import create_ticket, list_tickets
from mesa_client.models.channel import Channel
from mesa_client.models.create_ticket import CreateTicket
from mesa_client.models.create_ticket_fields import CreateTicketFields
from mesa_client.models.create_ticket_multipart import CreateTicketMultipart
from mesa_client.models.ticket import Ticket
from mesa_client.models.ticket_page import TicketPage
from mesa_client.models.view import View
from mesa_client.types import File

# Filing numbers are letters, digits and separators, at most 100 characters
# (CreateTicket.external_reference).
FILING_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/-]{0,99}$")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdf", help="the letter as a PDF file")
    parser.add_argument("--filing-number", required=True, help="número de radicado in the document-management system")
    parser.add_argument("--requester", required=True, help="username or email of the person who sent the letter")
    parser.add_argument("--service", required=True, help="service of the case: its id, code or name")
    parser.add_argument("--field", action="append", metavar="KEY=VALUE",
                        help="a value of the service's form, KEY:=JSON for numbers and true/false "
                             "(repeat for each; the catalog names the keys)")
    parser.add_argument("--subject", required=True, help="the letter's subject (asunto), at most 200 characters")
    parser.add_argument("--description", help="what the letter asks for (default: a line naming the filing number)")
    args = parser.parse_args()

    client = client_from_env()
    fields = parse_fields(args.field)
    filing = args.filing_number.strip()
    if not FILING_NUMBER.match(filing):
        fail(f"filing number {args.filing_number!r} must be 1-100 letters, digits, '.', '_', '/' or '-'", EXIT_USAGE)
    subject = args.subject.strip()
    if not subject or len(subject) > 200 or "\x00" in subject:
        fail("the subject must be 1-200 characters, without NUL", EXIT_USAGE)
    description = (args.description or "").strip() or f"Oficio radicado {filing}: {subject}"
    if len(description) > 20000 or "\x00" in description:
        fail("the description must be at most 20000 characters, without NUL", EXIT_USAGE)
    try:
        with open(args.pdf, "rb") as f:
            pdf = f.read()
    except OSError as e:
        fail(f"cannot read {args.pdf!r}: {e.strerror}", EXIT_USAGE)
    if not pdf.startswith(b"%PDF-"):
        fail(f"{args.pdf!r} is not a PDF file", EXIT_USAGE)

    # Any status: a letter filed once is one case, even after it was closed.
    page = expect(list_tickets.sync_detailed(client=client, view=View.ALL, external_reference=filing, limit=1),
                  TicketPage, f"looking for a case of filing number {filing}")
    if page.items:
        t = page.items[0]
        print(f"#{t.number} already filed for {filing} ({t.status.value}): {t.subject}")
        return 0

    service, desk = find_service(client, args.service)
    requester = find_user(client, args.requester)
    data = CreateTicket(service_id=service.id, subject=subject, description=description, channel=Channel.LETTER,
                        external_reference=filing, requester_id=requester.id,
                        fields=fields_of(fields, CreateTicketFields))
    name = os.path.basename(args.pdf) or "oficio.pdf"
    body = CreateTicketMultipart(data=data, file=[File(payload=io.BytesIO(pdf), file_name=name, mime_type="application/pdf")])
    # A retry after a lost answer returns the first case instead of filing the letter twice.
    resp = create_ticket.sync_detailed(client=client, body=body, idempotency_key=f"letter-{filing}")
    ticket = expect(resp, Ticket, f"filing {filing} in {desk} / {service.name}")
    print(f"#{ticket.number} filed for {filing} in {desk} / {service.name}, requester {requester.username}, "
          f"attachment {name}: {ticket.subject}")
    return 0


if __name__ == "__main__":
    run(main)
