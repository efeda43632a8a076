"""What the example scripts share: the client from MESA_URL/MESA_TOKEN, clear errors with exit
codes, and lookups (services by id or name, people by username or email).

Everything goes through `mesa_client`, the client generated from openapi/openapi.json
(`make python-client`).

Exit codes of every script: 0 done, 1 Mesa refused or could not be reached, 2 bad input
(arguments, environment, alert or file), 3 something named does not exist or is ambiguous.
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from typing import Any, Callable, NoReturn, TypeVar

try:
    import httpx
    from mesa_client import AuthenticatedClient
    from mesa_client.api.catalog import get_catalog
    from mesa_client.api.desks import list_desks
    from mesa_client.api.users import list_users
    from mesa_client.models.catalog_node import CatalogNode
    from mesa_client.models.catalog_tree import CatalogTree
    from mesa_client.models.problem import Problem
    from mesa_client.models.user import User
    from mesa_client.models.user_page import UserPage
    from mesa_client.types import UNSET, Response, Unset
except ImportError:  # pragma: no cover - a message instead of a traceback
    sys.exit("error: the Python client `mesa_client` is not installed: run `make python-client` "
             "and use .data/venv/bin/python (see README, 'Python client')")

EXIT_API = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3

T = TypeVar("T")


class Failure(Exception):
    """Ends the script with a message and an exit code (see `run`)."""

    def __init__(self, message: str, code: int = EXIT_API):
        super().__init__(message)
        self.code = code


def fail(message: str, code: int = EXIT_API) -> NoReturn:
    raise Failure(message, code)


def run(main: Callable[[], int | None]) -> NoReturn:
    """Runs a script's main: failures become one `error:` line on stderr and their exit code."""
    try:
        sys.exit(main() or 0)
    except Failure as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(e.code)
    except httpx.TransportError as e:
        print(f"error: cannot reach Mesa at {os.environ.get('MESA_URL', '')!r}: {e}", file=sys.stderr)
        sys.exit(EXIT_API)
    except KeyboardInterrupt:
        sys.exit(130)


def client_from_env() -> AuthenticatedClient:
    url = os.environ.get("MESA_URL", "").strip().rstrip("/")
    token = os.environ.get("MESA_TOKEN", "").strip()
    if not url:
        fail("set MESA_URL to Mesa's address, e.g. https://mesa.example.gov.co", EXIT_USAGE)
    if not url.startswith(("http://", "https://")):
        fail(f"MESA_URL must start with http:// or https:// (got {url!r})", EXIT_USAGE)
    if not token:
        fail("set MESA_TOKEN to a bearer token of a Mesa account (a login's access_token or an API token)",
             EXIT_USAGE)
    return AuthenticatedClient(base_url=url, token=token, timeout=httpx.Timeout(30.0),
                               raise_on_unexpected_status=False)


def describe_problem(resp: Response[Any]) -> str:
    """One line from a problem+json answer: status, title, detail and the fields at fault."""
    p = resp.parsed
    if isinstance(p, Problem):
        text = f"{p.status} {p.title}"
        if not isinstance(p.errors, Unset) and p.errors:
            text += ": " + "; ".join(f"{e.field}: {e.message}" for e in p.errors)
        elif isinstance(p.detail, str) and p.detail:
            text += f": {p.detail}"
        if p.status == 401:
            text += " — check MESA_TOKEN: it may be wrong or expired"
        elif p.status == 403:
            text += " — the account of MESA_TOKEN may not do this"
        return text
    body = resp.content[:200].decode("utf-8", "replace")
    return f"unexpected answer {int(resp.status_code)}: {body}"


def expect(resp: Response[Any], kind: type[T], doing: str) -> T:
    """The parsed answer when it is a `kind`, else a failure naming what was being done."""
    if isinstance(resp.parsed, kind):
        return resp.parsed
    fail(f"{doing}: {describe_problem(resp)}")


def fold(text: str) -> str:
    """Case- and accent-insensitive form, for matching names typed by operators."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parse_fields(pairs: list[str] | None) -> dict[str, Any]:
    """`--field key=value` (text) and `--field key:=json` (numbers, true/false) options: values
    of the service's extra fields (its form)."""
    fields: dict[str, Any] = {}
    for pair in pairs or []:
        if "\x00" in pair:
            fail(f"--field {pair.split('=')[0]!r} contains a NUL character", EXIT_USAGE)
        key, sep, value = pair.partition("=")
        if not sep or not key.strip(" :"):
            fail(f"--field takes KEY=VALUE or KEY:=JSON (got {pair!r})", EXIT_USAGE)
        if key.endswith(":"):
            key = key[:-1]
            try:
                fields[key.strip()] = json.loads(value)
            except json.JSONDecodeError:
                fail(f"--field {key.strip()}:= takes a JSON value such as 3 or true (got {value!r})", EXIT_USAGE)
        else:
            fields[key.strip()] = value
    return fields


def fields_of(values: dict[str, Any], model: type[T]) -> T | Unset:
    """The generated model of a case's `fields` object, or UNSET when none were given."""
    if not values:
        return UNSET
    fields = model()
    fields.additional_properties = dict(values)
    return fields


def _walk(nodes: list[CatalogNode]):
    for n in nodes:
        yield n
        if not isinstance(n.children, Unset):
            yield from _walk(n.children)


def find_service(client: AuthenticatedClient, wanted: str) -> tuple[CatalogNode, str]:
    """The active service whose id, code or name is `wanted`, and its desk's code. Names match
    without regard to case or accents; a name found in several desks must be given by id."""
    desks = expect(list_desks.sync_detailed(client=client), list, "listing the desks")
    matches: list[tuple[CatalogNode, str]] = []
    for desk in desks:
        tree = expect(get_catalog.sync_detailed(desk.id, client=client), CatalogTree, f"reading the catalog of {desk.code}")
        for node in _walk(tree.nodes):
            if node.kind.value != "service" or not node.active:
                continue
            if wanted.strip() == str(node.id):
                return node, desk.code
            if fold(node.code) == fold(wanted) or fold(node.name) == fold(wanted):
                matches.append((node, desk.code))
    if not matches:
        fail(f"no active service is called {wanted!r} (give its name, code or id as the catalog shows it)",
             EXIT_NOT_FOUND)
    if len(matches) > 1:
        found = ", ".join(f"{desk}: {n.name} ({n.id})" for n, desk in matches)
        fail(f"{wanted!r} names several services ({found}): give its id", EXIT_NOT_FOUND)
    return matches[0]


def find_user(client: AuthenticatedClient, wanted: str) -> User:
    """The active person whose username or email is `wanted` (case-insensitive), walking every page."""
    key = wanted.strip().casefold()
    if not key:
        fail("the requester is empty: give a username or an email", EXIT_USAGE)
    cursor: str | Unset = UNSET
    while True:
        page = expect(list_users.sync_detailed(client=client, q=wanted.strip(), active=True, limit=200, cursor=cursor),
                      UserPage, f"looking up the person {wanted!r}")
        for u in page.items:
            email = u.email if isinstance(u.email, str) else ""
            if u.username.casefold() == key or email.casefold() == key:
                return u
        if not isinstance(page.next_cursor, str):
            break
        cursor = page.next_cursor
    fail(f"no active person has the username or email {wanted!r}", EXIT_NOT_FOUND)
