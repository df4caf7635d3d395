"""``toolkit ui``: the toolkit as a page in the clerk's own browser, served from this computer.

``serve`` starts the server (uvicorn) on 127.0.0.1 and a free port, prints the address with its secret
token and opens the browser on it; ``app.create_app`` is the application, ``security.Guard`` stands in
front of it, ``work`` holds the steps (the same library calls as the command line).
"""

from __future__ import annotations

import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from ..core.i18n import Message, T

LOCAL = "127.0.0.1"
LAN = "0.0.0.0"


def free_port(host: str = LOCAL) -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def serve(
    *,
    port: int | None = None,
    host: str = LOCAL,
    browser: bool = True,
    lang: str | None = None,
    output: Path = Path("output"),
    say: Callable[[Message], None] | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the pages until interrupted; ``say`` tells the address (and on a LAN the password, once; by
    default printed in ``lang``), ``ready`` hears the address once the server listens."""
    import secrets

    import uvicorn

    from .app import Config, create_app
    from .security import Guard, Keys

    port = port or free_port(LOCAL if host == LOCAL else host)
    keys = Keys(password=secrets.token_urlsafe(9) if host != LOCAL else None)
    config = Config(output=output, keys=keys, lang=lang)
    app = Guard(create_app(config), keys, bound=host, port=port, limit=config.limit, lang=lang or "vi")
    say = say or (lambda message: print(message.text(lang or "vi"), flush=True))
    shown = LOCAL if host == LOCAL else host
    address = f"http://{shown}:{port}/" + ("" if keys.password else f"?token={keys.token}")
    say(T("Trang của toolkit: {address} (Ctrl-C để dừng).", address=address))
    if keys.password:
        say(T("Mật khẩu (chỉ in một lần, nhập trên trang): {password}", password=keys.password))
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False))

    def opened() -> None:
        while not server.started:
            threading.Event().wait(0.05)
        if ready is not None:
            ready(address)
        if browser:
            webbrowser.open(address)

    threading.Thread(target=opened, daemon=True).start()
    server.run()
