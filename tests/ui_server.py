"""Starting ``toolkit ui`` for the tests as a user starts it: ``python -m toolkit ui --no-browser …`` in a
subprocess, its address read from what it prints."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests


@dataclass
class Server:
    """The running ``toolkit ui``: its address (with the token), its base, folders and the mailbox."""

    url: str
    base: str
    folder: Path
    downloads: Path
    mailbox: Any = None

    @property
    def shots(self) -> Path:
        """Where the tests' screenshots are saved, to be looked at."""
        return self.folder / "shots"


def start_ui(args: list[str], folder: Path, env: dict[str, str]) -> tuple[subprocess.Popen, list[str]]:
    """``python -m toolkit ui --no-browser ARGS`` in ``folder``: the process and the lines it printed first."""
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "ui", "--no-browser", *args],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines = [process.stdout.readline()]
    if "0.0.0.0" in args:
        lines.append(process.stdout.readline())
    base = re.search(r"http://[\d.]+:\d+", lines[0])
    assert base, lines
    for _ in range(100):  # the address is printed just before the server listens
        try:
            requests.get(base.group(0).replace("0.0.0.0", "127.0.0.1"), timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.05)
    return process, lines
