"""The guard in front of every page of ``toolkit ui``: a local server is reachable by every web page the
clerk opens, so nothing is answered without proof that the request comes from the clerk's own tab.

- the random ``token`` in the address the command opened, exchanged at once for a cookie (``SameSite=Strict``,
  ``HttpOnly``) and dropped from the address; on a school's LAN (``--host 0.0.0.0``) a password instead;
- the ``Host`` header must name the bound address (a DNS-rebinding page's own name is refused);
- a state-changing request needs an ``Origin`` equal to the page's own, and the CSRF token of the forms
  (checked by ``app.form``);
- the body of a request is cut off past ``limit`` bytes (before anything reads it): refused in words on the
  page for the clerk's own tab (the app sees the request as a ``GET`` marked ``TOO_LARGE``, its body
  unread), in plain text for anyone else.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

from .texts import words

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "toolkit_ui_{port}"  # cookies are per host, not per port: two servers must not share one
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = ("GET", "HEAD")
TOO_LARGE = "toolkit.too_large"  # in the scope of a request the guard cut off: the app shows the refusal


@dataclass
class Keys:
    """The secrets of one server run: the token of the opened address, the session cookie, the forms' CSRF
    token, and on a LAN the password (printed once on the console, never stored)."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    session: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    password: str | None = None

    def __repr__(self) -> str:  # never in a log or a traceback
        return "Keys(…)"


def same(given: str | None, expected: str | None) -> bool:
    """A constant-time comparison that is False when either side is missing."""
    return bool(given) and bool(expected) and hmac.compare_digest(str(given), str(expected))


def host_allowed(host: str, bound: str, port: int) -> bool:
    """True when a request's ``Host`` names this server: on 127.0.0.1, a loopback name with our port; on a
    LAN, any IP address literal with our port (a rebinding attack needs a name of its own)."""
    name, _, given_port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if given_port != str(port):
        return False
    if bound in ("127.0.0.1", "localhost"):
        return name in LOCAL_NAMES
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return name == "localhost"
    return True


class Guard:
    """ASGI middleware: the checks of the module, in front of the application."""

    def __init__(self, app: ASGIApp, keys: Keys, *, bound: str, port: int, limit: int, lang: str = "vi") -> None:
        self.app, self.keys, self.bound, self.port, self.limit = app, keys, bound, port, limit
        self.say = words(lang)
        self.cookie = COOKIE.format(port=port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"]
        host = headers.get("host", "")
        if not host_allowed(host, self.bound, self.port):
            await _refuse(send, 421, self.say("host", expected=f"http://{self.bound}:{self.port}"))
            return
        if method not in SAFE_METHODS and headers.get("origin") != f"http://{host}":
            await _refuse(send, 403, self.say("origin"))
            return
        size = headers.get("content-length", "0")
        cookies = SimpleCookie(headers.get("cookie", ""))
        session = cookies[self.cookie].value if self.cookie in cookies else None
        if not size.isdigit() or int(size) > self.limit:
            if same(session, self.keys.session):  # the clerk's own tab: the refusal on the page, body unread
                await self.app({**scope, "method": "GET", TOO_LARGE: True}, _nothing, send)
            else:
                await _refuse(send, 413, self.say("too_large", limit=self.limit // (1024 * 1024)))
            return
        if same(session, self.keys.session):
            await self._pass(scope, receive, send)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if self.keys.password is None and method == "GET" and same(query.get("token"), self.keys.token):
            query.pop("token")
            target = scope["path"] + (f"?{urlencode(query)}" if query else "")
            await _redirect(send, target, self._cookie())
            return
        if self.keys.password is not None and scope["path"] == "/login":
            await self._login(scope, receive, send, method)
            return
        if self.keys.password is not None and method == "GET":
            await _redirect(send, "/login")
            return
        await _refuse(send, 403, self.say("token"))

    async def _pass(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the request through, its body cut off past the limit (a body sent in chunks names no length)."""
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, _capped(receive, self.limit), sending)
        except TooLarge:
            if not started:
                await _refuse(send, 413, self.say("too_large", limit=self.limit // (1024 * 1024)))

    def _cookie(self) -> str:
        return f"{self.cookie}={self.keys.session}; Path=/; HttpOnly; SameSite=Strict"

    async def _login(self, scope: Scope, receive: Receive, send: Send, method: str) -> None:
        """The LAN mode's password form, and its answer."""
        if method == "POST":
            body = b""
            more = True
            while more and len(body) <= 4096:
                message = await receive()
                body += message.get("body", b"")
                more = message.get("more_body", False)
            given = dict(parse_qsl(body.decode("utf-8", "replace"))).get("password")
            if same(given, self.keys.password):
                await _redirect(send, "/", self._cookie())
                return
        page = (
            '<!doctype html><meta charset="utf-8"><title>toolkit ui</title>'
            '<form method="post" action="/login" style="font:16px sans-serif;margin:3em">'
            f'<label>{self.say("password")} <input type="password" name="password" autofocus></label> '
            f"<button>{self.say('login')}</button></form>"
        ).encode()
        await _answer(send, 200 if method == "GET" else 403, page, "text/html; charset=utf-8")


async def _nothing() -> Message:
    """The body of a request the guard did not read."""
    return {"type": "http.request", "body": b"", "more_body": False}


class TooLarge(Exception):
    """A request's body went past the limit."""


def _capped(receive: Receive, limit: int) -> Receive:
    """``receive`` that ends the request once its body passes ``limit`` bytes (a body sent in chunks)."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise TooLarge

        return message

    return wrapped


async def _answer(send: Send, status: int, body: bytes, kind: str, extra: list[tuple[bytes, bytes]] = ()) -> None:  # type: ignore[assignment]
    headers = [(b"content-type", kind.encode()), (b"content-length", str(len(body)).encode()), *extra]
    headers += [(b"cache-control", b"no-store"), (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse(send: Send, status: int, text: str) -> None:
    await _answer(send, status, text.encode(), "text/plain; charset=utf-8")


async def _redirect(send: Send, target: str, cookie: str | None = None) -> None:
    extra = [(b"location", target.encode("latin-1"))]
    if cookie:
        extra.append((b"set-cookie", cookie.encode("latin-1")))
    await _answer(send, 303, b"", "text/plain", extra)
