"""Runs the example scripts against a Mesa server and checks what they did through the API.

The test command's `examples` stage starts a throwaway server seeded with `--demo` and runs
this with MESA_URL, MESA_TOKEN (an API token of the admin, with the scopes the scripts need), MESA_EXAMPLES_DATABASE_URL and
MESA_EXAMPLES_PSQL (to move closings a week back: no API closes a case in the past).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mesa_client import AuthenticatedClient, Client
from mesa_client.api.auth import login, me
from mesa_client.api.catalog import get_catalog
from mesa_client.api.desks import list_desks
from mesa_client.api.ticket_actions import close, resolve, take
from mesa_client.api.tickets import create_ticket, download_attachment, get_ticket, list_attachments, list_tickets
from mesa_client.models.close_body import CloseBody
from mesa_client.models.create_ticket import CreateTicket
from mesa_client.models.create_ticket_fields import CreateTicketFields
from mesa_client.models.login_request import LoginRequest
from mesa_client.models.resolve_body import ResolveBody
from mesa_client.models.status import Status
from mesa_client.models.ticket import Ticket
from mesa_client.models.ticket_page import TicketPage
from mesa_client.models.view import View
from mesa_client.types import UNSET

HERE = Path(__file__).resolve().parent
URL = os.environ["MESA_URL"]
TOKEN = os.environ["MESA_TOKEN"]
BOGOTA = dt.timezone(dt.timedelta(hours=-5))  # no DST in Colombia
# A minimal PDF: Mesa recognises files by their content.
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def script(name: str, *args: str, stdin: str | None = None, token: str | None = TOKEN) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("MESA_TOKEN",)}
    if token is not None:
        env["MESA_TOKEN"] = token
    return subprocess.run([sys.executable, str(HERE / name), *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)


def ok(t: unittest.TestCase, r: subprocess.CompletedProcess) -> str:
    t.assertEqual(r.returncode, 0, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}")
    return r.stdout


def field_values(service) -> list[str]:
    """KEY=VALUE / KEY:=JSON values filling the service's required form fields."""
    args = []
    for f in service.service.form_fields:
        if not f.required:
            continue
        kind = f.type_.value
        if kind == "select":
            args.append(f"{f.key}={f.options[0].value}")
        elif kind == "number":
            args.append(f"{f.key}:=1")
        elif kind == "checkbox":
            args.append(f"{f.key}:=true")
        elif kind == "date":
            args.append(f"{f.key}=2026-12-01")
        else:
            args.append(f"{f.key}=prueba")
    return args


def fields_for(service) -> list[str]:
    """`--field` arguments filling the service's required form fields."""
    return [a for v in field_values(service) for a in ("--field", v)]


class Examples(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.api = AuthenticatedClient(base_url=URL, token=TOKEN, raise_on_unexpected_status=True)
        with Client(base_url=URL) as anonymous:
            tokens = login.sync(client=anonymous, body=LoginRequest(username="lucia.martinez", password="MesaDemo2026!"))
        cls.requester = AuthenticatedClient(base_url=URL, token=tokens.access_token, raise_on_unexpected_status=True)
        cls.lucia = me.sync(client=cls.requester).id
        desk = next(d for d in list_desks.sync(client=cls.api) if d.code == "TIC")
        cls.desk = desk
        services = []

        def walk(nodes):
            for n in nodes:
                if n.kind.value == "service" and n.active and n.service.audience.everyone \
                        and not n.service.required_attachments \
                        and all(f.type_.value != "file" for f in n.service.form_fields):
                    services.append(n)
                walk(n.children or [])

        walk(get_catalog.sync(desk.id, client=cls.api).nodes)
        # Two services, so that a case landing in the wrong one shows.
        cls.service, cls.other = services[0], services[1]

    @classmethod
    def tearDownClass(cls):
        cls.api.get_httpx_client().close()
        cls.requester.get_httpx_client().close()

    def tickets(self, **filters) -> list:
        out, cursor = [], UNSET
        while True:
            page = list_tickets.sync(client=self.api, view=View.ALL, limit=200, cursor=cursor, **filters)
            self.assertIsInstance(page, TicketPage)
            out += page.items
            if not page.next_cursor:
                return out
            cursor = page.next_cursor

    # -- open_from_alert.py ------------------------------------------------------------------

    def alert(self, **extra) -> dict:
        a = {"host": f"srv-{uuid.uuid4().hex[:8]}", "check": "Disk /var usage", "severity": "Disaster",
             "message": "/var at 93%", "time": "2026-12-03T08:15:00-05:00"}
        a.update(extra)
        return a

    def test_alert_opens_one_case_with_mapped_priority(self):
        a = self.alert()
        ref = f"alert:{a['host']}/{a['check']}"
        out = ok(self, script("open_from_alert.py", "--service", self.service.name.upper(), *fields_for(self.service),
                              stdin=json.dumps(a)))
        [case] = self.tickets(external_reference=ref)
        self.assertIn(f"#{case.number} opened", out)
        t = get_ticket.sync(case.number, client=self.api)
        self.assertEqual((t.service.id, t.priority.value, t.channel.value, t.external_reference),
                         (self.service.id, "critical", "api", ref))
        self.assertIn("/var at 93%", t.description)

        # Again, from a file this time, and by the service's id: the open case is printed.
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(a, f)
        out = ok(self, script("open_from_alert.py", "--service", str(self.service.id), *fields_for(self.service), f.name))
        os.unlink(f.name)
        self.assertIn(f"#{case.number} already open", out)
        self.assertEqual([c.number for c in self.tickets(external_reference=ref)], [case.number])

    def test_parallel_alerts_open_one_case(self):
        a = self.alert(severity="WARNING")
        ref = f"alert:{a['host']}/{a['check']}"
        with ThreadPoolExecutor(4) as pool:
            runs = list(pool.map(lambda _: script("open_from_alert.py", "--service", self.other.name,
                                                  *fields_for(self.other), stdin=json.dumps(a)), range(4)))
        for r in runs:
            ok(self, r)
        [case] = self.tickets(external_reference=ref)
        self.assertEqual(case.priority.value, "medium")
        self.assertEqual(case.service.id, self.other.id)

    def test_closed_alert_case_is_opened_again(self):
        a = self.alert(severity="information", time="2026-12-01T10:00:00-05:00")
        ref = f"alert:{a['host']}/{a['check']}"
        ok(self, script("open_from_alert.py", "--service", self.service.name, "--requester", "lucia.martinez",
                        *fields_for(self.service), stdin=json.dumps(a)))
        [first] = self.tickets(external_reference=ref)
        self.assertEqual(first.priority.value, "low")
        self.close_now(first.number)
        # The same alert (same time) again, e.g. a poller's retry: the case it opened, not a new one.
        out = ok(self, script("open_from_alert.py", "--service", self.service.name, "--requester", "lucia.martinez",
                              *fields_for(self.service), stdin=json.dumps(a)))
        self.assertIn(f"#{first.number} already registered for this alert (closed)", out)
        self.assertEqual(len(self.tickets(external_reference=ref)), 1)
        a["time"] = "2026-12-02T10:00:00-05:00"  # the problem came back later
        ok(self, script("open_from_alert.py", "--service", self.service.name, *fields_for(self.service), stdin=json.dumps(a)))
        cases = self.tickets(external_reference=ref)
        self.assertEqual(len(cases), 2)
        self.assertEqual(sorted(c.status.value == "closed" for c in cases), [False, True])
        self.assertNotIn(first.number, [c.number for c in cases if c.status.value != "closed"])

    def test_bad_alerts_are_refused_without_a_case(self):
        host = f"srv-{uuid.uuid4().hex[:8]}"
        cases = [
            ("not json", "valid JSON"),
            ("[1, 2]", "JSON object"),
            (json.dumps({"host": host, "severity": "high"}), "'check'"),
            (json.dumps({"host": host, "check": "x", "severity": "apocalyptic"}), "unknown severity"),
            (json.dumps({"host": host + "\u0000", "check": "x", "severity": "high"}), "NUL"),
            (json.dumps({"host": {"a": 1}, "check": "x", "severity": "high"}), "'host' must be text"),
        ]
        for stdin, message in cases:
            r = script("open_from_alert.py", "--service", self.service.name, stdin=stdin)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn(message, r.stderr)
            self.assertNotIn("Traceback", r.stderr)
        r = script("open_from_alert.py", "--service", "no such service", stdin=json.dumps(self.alert()))
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("no active service", r.stderr)
        self.assertEqual(self.tickets(q=host), [])

    def test_huge_host_and_check_keep_distinct_references(self):
        long_a = self.alert(host="h" * 300, check="c" * 300 + "1")
        long_b = dict(long_a, check="c" * 300 + "2")
        numbers = []
        for a in (long_a, long_b, long_a):
            out = ok(self, script("open_from_alert.py", "--service", self.service.name, *fields_for(self.service),
                                  stdin=json.dumps(a)))
            numbers.append(int(out.split()[0].lstrip("#")))
        self.assertNotEqual(numbers[0], numbers[1])
        self.assertEqual(numbers[0], numbers[2])
        refs = [get_ticket.sync(n, client=self.api).external_reference for n in numbers[:2]]
        self.assertTrue(all(r.startswith("alert:hhhh") and len(r) <= 100 for r in refs), refs)
        for r, n in zip(refs, numbers):
            self.assertEqual([c.number for c in self.tickets(external_reference=r)], [n])

    def test_missing_and_bad_token(self):
        r = script("open_from_alert.py", "--service", self.service.name, stdin=json.dumps(self.alert()), token="not-a-token")
        self.assertEqual(r.returncode, 1)
        self.assertIn("401", r.stderr)
        self.assertIn("MESA_TOKEN", r.stderr)
        self.assertNotIn("Traceback", r.stderr)
        for name, args in (("file_letter.py", ["--filing-number", "X1", "--requester", "lucia.martinez", "--service",
                                                 "s", "--subject", "s", str(HERE / "test_examples.py")]),
                           ("export_closed.py", [])):
            r = script(name, *args, token="")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("MESA_TOKEN", r.stderr)
        r = script("export_closed.py", token="not-a-token")
        self.assertEqual(r.returncode, 1)
        self.assertIn("check MESA_TOKEN", r.stderr)

    # -- file_letter.py -----------------------------------------------------------------------

    def test_letter_is_filed_with_its_attachment(self):
        filing = f"2026ER{uuid.uuid4().int % 10**6:06d}"
        with tempfile.TemporaryDirectory() as d:
            pdf = Path(d) / "oficio.pdf"
            pdf.write_bytes(PDF)
            args = ["--filing-number", filing, "--requester", "LUCIA.MARTINEZ@mesa.local", "--service", self.service.code,
                    "--subject", "Solicitud de acceso a SIGOB", *fields_for(self.service), str(pdf)]
            out = ok(self, script("file_letter.py", *args))
            [case] = self.tickets(external_reference=filing)
            self.assertIn(f"#{case.number} filed", out)
            t = get_ticket.sync(case.number, client=self.api)
            self.assertEqual((t.channel.value, t.external_reference, t.requester.name, t.service.id, t.subject),
                             ("letter", filing, "Lucía Martínez", self.service.id, "Solicitud de acceso a SIGOB"))
            [att] = list_attachments.sync(case.number, client=self.api)
            self.assertEqual((att.file_name, att.content_type, att.size_bytes, att.sha256),
                             ("oficio.pdf", "application/pdf", len(PDF), hashlib.sha256(PDF).hexdigest()))
            got = download_attachment.sync_detailed(case.number, att.id, client=self.api)
            self.assertEqual(got.content, PDF)

            # The same filing number again: no second case.
            out = ok(self, script("file_letter.py", *args))
            self.assertIn(f"#{case.number} already filed", out)
            self.assertEqual(len(self.tickets(external_reference=filing)), 1)

    def test_bad_letters_are_refused(self):
        with tempfile.TemporaryDirectory() as d:
            txt = Path(d) / "oficio.pdf"
            txt.write_text("no soy un PDF")
            pdf = Path(d) / "ok.pdf"
            pdf.write_bytes(PDF)
            base = ["--requester", "lucia.martinez", "--service", self.service.code, "--subject", "Oficio",
                    *fields_for(self.service)]
            for args, code, message in [
                (["--filing-number", "2026ER1", str(txt)], 2, "is not a PDF"),
                (["--filing-number", "2026ER1", str(Path(d) / "missing.pdf")], 2, "cannot read"),
                (["--filing-number", "radicado con espacios", str(pdf)], 2, "filing number"),
                (["--filing-number", "X" * 101, str(pdf)], 2, "filing number"),
            ]:
                r = script("file_letter.py", *base, *args)
                self.assertEqual(r.returncode, code, r.stderr)
                self.assertIn(message, r.stderr)
            r = script("file_letter.py", "--filing-number", "2026ER2", "--requester", "nadie@example.org", "--service",
                       self.service.code, "--subject", "Oficio", str(pdf))
            self.assertEqual(r.returncode, 3, r.stderr)
            self.assertIn("no active person", r.stderr)
            # A required form field left out: Mesa's 422 names it.
            if fields_for(self.service):
                r = script("file_letter.py", "--filing-number", "2026ER3", "--requester", "lucia.martinez", "--service",
                           self.service.code, "--subject", "Oficio", str(pdf))
                self.assertEqual(r.returncode, 1, r.stderr)
                self.assertIn("422", r.stderr)
                self.assertIn("fields.", r.stderr)
        for filing in ("2026ER1", "2026ER2", "2026ER3"):
            self.assertEqual(self.tickets(external_reference=filing), [])

    # -- export_closed.py ---------------------------------------------------------------------

    def create_case(self, subject: str) -> Ticket:
        fields = CreateTicketFields()
        for a in field_values(self.service):
            key, value = a.split("=", 1)
            fields[key.rstrip(":")] = json.loads(value) if key.endswith(":") else value
        body = CreateTicket(service_id=self.service.id, subject=subject, description="Prueba de exportación",
                            fields=fields, requester_id=self.lucia)
        t = create_ticket.sync(client=self.api, body=body)
        self.assertIsInstance(t, Ticket, t)
        return t

    def close_now(self, number: int) -> Ticket:
        """Taken and resolved by the admin, accepted by the requester (the demo desks do not let
        staff close a resolved case)."""
        t = take.sync(number, client=self.api)
        self.assertIsInstance(t, Ticket, t)
        t = resolve.sync(number, client=self.api, body=ResolveBody(solution="Resuelto en la prueba"))
        self.assertIsInstance(t, Ticket, t)
        t = close.sync(number, client=self.requester, body=CloseBody())
        self.assertIsInstance(t, Ticket, t)
        self.assertEqual(t.status, Status.CLOSED)
        return t

    def move_back_a_week(self, numbers: list[int]):
        sql = ("UPDATE tickets SET created_at = created_at - interval '7 days', "
               "closed_at = closed_at - interval '7 days', resolved_at = resolved_at - interval '7 days' "
               f"WHERE number IN ({','.join(str(int(n)) for n in numbers)})")
        subprocess.run([os.environ["MESA_EXAMPLES_PSQL"], os.environ["MESA_EXAMPLES_DATABASE_URL"], "-X", "-q",
                        "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)

    def closed_between(self, first: dt.date, last: dt.date) -> set[int]:
        """The API's own answer: every closed case, read one by one, whose closing falls in the week."""
        start = dt.datetime.combine(first, dt.time(), BOGOTA)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), BOGOTA)
        numbers = set()
        for s in self.tickets(status="closed"):
            t = get_ticket.sync(s.number, client=self.api)
            if start <= t.closed_at < end:
                numbers.add(t.number)
        return numbers

    def export(self, *args: str) -> list[dict]:
        out = ok(self, script("export_closed.py", *args))
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual(out.splitlines()[0], "number,subject,service,requester,priority,opened,closed,sla_met")
        return rows

    def test_export_last_weeks_closed_cases(self):
        tag = uuid.uuid4().hex[:6]
        cases = [self.create_case(f"Exportación {tag} {i}") for i in range(5)]
        for t in cases[:4]:
            self.close_now(t.number)
        # The last one resolved last week but not closed (the requester has not answered).
        take.sync(cases[4].number, client=self.api)
        resolve.sync(cases[4].number, client=self.api, body=ResolveBody(solution="Resuelto en la prueba"))
        last_week = [t.number for t in cases[:3]]
        self.move_back_a_week(last_week + [cases[4].number])

        today = dt.datetime.now(BOGOTA).date()
        monday = today - dt.timedelta(days=today.weekday())
        expected = self.closed_between(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))
        self.assertTrue(set(last_week) <= expected)
        self.assertNotIn(cases[3].number, expected)
        self.assertNotIn(cases[4].number, expected)

        # One case a page: the script must walk every page.
        rows = self.export("--page-size", "1")
        self.assertEqual({int(r["number"]) for r in rows}, expected)
        self.assertEqual(len(rows), len(expected))
        row = next(r for r in rows if int(r["number"]) == cases[0].number)
        t = get_ticket.sync(cases[0].number, client=self.api)
        self.assertEqual((row["subject"], row["service"], row["requester"], row["priority"]),
                         (t.subject, t.service.name, t.requester.name, t.priority.value))
        self.assertEqual(dt.datetime.fromisoformat(row["closed"]), t.closed_at)
        self.assertEqual(dt.datetime.fromisoformat(row["opened"]), t.created_at)
        self.assertTrue(row["closed"].endswith("-05:00"))
        self.assertIn(row["sla_met"], ("yes", "no", ""))

        # This week, into a file: the case closed now, not last week's.
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "semana.csv"
            ok(self, script("export_closed.py", "--week", today.isoformat(), "-o", str(path)))
            with path.open(encoding="utf-8") as f:
                numbers = {int(r["number"]) for r in csv.DictReader(f)}
        self.assertEqual(numbers, self.closed_between(monday, monday + dt.timedelta(days=6)))
        self.assertIn(cases[3].number, numbers)
        self.assertFalse(set(last_week) & numbers)
        self.assertNotIn(cases[4].number, numbers)

    def test_export_bad_arguments(self):
        for args, message in ((["--week", "2026-13-01"], "--week"), (["--week", "last"], "--week"),
                              (["--page-size", "0"], "--page-size"), (["--page-size", "201"], "--page-size"),
                              (["-o", "/nonexistent-dir/x.csv"], "cannot write")):
            r = script("export_closed.py", *args)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn(message, r.stderr)


if __name__ == "__main__":
    unittest.main()
