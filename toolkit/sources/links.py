"""Every shape of Google Sheets link people paste, read by one parser into the file's id (and what else it says).

The shapes (``SHAPES``, also printed when a link is not understood; ``tests/test_links.py`` holds a table of real
ones): the editor's ``/spreadsheets/d/ID/edit…`` (also ``/u/N/`` and ``/a/<domain>/``), a published sheet's
``/spreadsheets/d/e/2PACX…/pubhtml`` or ``pub?output=xlsx``, Drive's ``open?id=ID`` and ``/file/d/ID/view``,
the legacy ``/spreadsheet/ccc?key=ID``, ``gsheet:ID``, and a bare id (33 characters for an uploaded file, 44 for a
Google Sheet). Host and path are read in any case; the id keeps its own (ids are case-sensitive). A link's
``resourcekey`` is kept: a file shared by link since Drive's 2021 security update needs it to be read by link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

ID = r"[A-Za-z0-9_-]{20,}"
_HOSTS = ("docs.google.com", "drive.google.com", "spreadsheets.google.com", "sheets.google.com")
# patterns, not compiled ones: ``re`` compiles them when a Google address is first parsed, not at every start
_PATHS = (
    rf"^(?:/a/(?P<domain>[^/]+))?(?:/u/\d+)?/spreadsheets/(?:u/\d+/)?d/e/(?P<published>{ID})(?:/|$)",
    rf"^(?:/a/(?P<domain>[^/]+))?(?:/u/\d+)?/spreadsheets/(?:u/\d+/)?d/(?P<id>{ID})(?:/|$)",
    rf"^(?:/a/(?P<domain>[^/]+))?(?:/u/\d+)?/file/(?:u/\d+/)?d/(?P<id>{ID})(?:/|$)",
)
_QUERY_ID = r"^(?:/a/(?P<domain>[^/]+))?(?:/u/\d+)?/(?:open|uc|spreadsheet/ccc|ccc|spreadsheet/pub)$"
_BARE = re.compile(r"^(?:[A-Za-z0-9_-]{33}|[A-Za-z0-9_-]{40,})$")  # an uploaded file's id, a Google Sheet's

SHAPES = (
    "https://docs.google.com/spreadsheets/d/<ID>/edit",
    "https://docs.google.com/spreadsheets/d/e/<2PACX…>/pubhtml (or pub?output=xlsx)",
    "https://drive.google.com/open?id=<ID>",
    "https://drive.google.com/file/d/<ID>/view",
    "https://docs.google.com/a/<tên miền>/spreadsheets/d/<ID>/edit",
    "https://docs.google.com/spreadsheet/ccc?key=<ID>",
    "gsheet:<ID>",
    "<ID>",
)


@dataclass(frozen=True)
class Link:
    """What a link says: the file's id (a published sheet's 2PACX id when ``published``), its resource key, and
    the Workspace domain it was shared in (``/a/<domain>/``)."""

    id: str
    resource_key: str = ""
    published: bool = False
    domain: str = ""

    @property
    def spec(self) -> str:
        """The inverse of ``parse``: a spec that parses back to this very link (``gsheet:<ID>`` when the id is all
        it says, else an address keeping the published form, the resource key and the domain)."""
        if not (self.resource_key or self.published or self.domain):
            return f"gsheet:{self.id}"
        where = f"/a/{quote(self.domain, safe='')}" if self.domain else ""
        path = f"spreadsheets/d/e/{self.id}/pubhtml" if self.published else f"spreadsheets/d/{self.id}/edit"
        key = f"?resourcekey={quote(self.resource_key, safe='')}" if self.resource_key else ""
        return f"https://docs.google.com{where}/{path}{key}"


def parse(spec: str) -> Link | None:
    """The link ``spec`` names, or None when it is not a Google link or id this parser knows."""
    spec = spec.strip().strip("<>\"'")
    if spec.lower().startswith("gsheet:"):
        candidate = spec[len("gsheet:") :].strip()
        return Link(candidate) if re.fullmatch(ID, candidate) else None  # the one rule for an id in a link
    if _BARE.match(spec):
        return Link(spec)
    if "://" not in spec and spec.lower().split("/", 1)[0] in _HOSTS:
        spec = "https://" + spec
    parts = urlsplit(spec)
    if parts.scheme.lower() not in ("http", "https") or (parts.hostname or "") not in _HOSTS:
        return None
    query = {k.lower(): v for k, v in parse_qs(parts.query).items()}
    key = (query.get("resourcekey") or [""])[0]
    path = unquote(parts.path).rstrip("/") or "/"
    for pattern in _PATHS:
        match = re.match(pattern, path + "/", re.I)
        if match:
            domain = match.group("domain") or ""
            if "published" in match.groupdict() and match.group("published"):
                return Link(match.group("published"), key, True, domain)
            return Link(match.group("id"), key, False, domain)
    match = re.match(_QUERY_ID, path, re.I)
    if match:
        ident = (query.get("id") or query.get("key") or [""])[0]
        if re.fullmatch(ID, ident):
            return Link(ident, key, False, match.group("domain") or "")
    return None


def looks_like_a_link(spec: str) -> bool:
    """True when ``spec`` is meant as a web address or ``gsheet:`` (then a failure to parse it is an error, not a
    file name)."""
    lowered = spec.strip().lower()
    return lowered.startswith(("http://", "https://", "gsheet:")) or lowered.split("/", 1)[0] in _HOSTS
