"""Long steps of ``toolkit ui`` (check, documents, send, roll-up) run on a thread of their own, so the page
never waits on them: it asks for the step's state while it runs. A second click while a step runs joins the
run under way instead of starting another."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import ToolkitError
from ..core.i18n import Message

RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass
class Job:
    """One run of a step: its state, what it has said so far, its result or the error that ended it."""

    name: str
    state: str = RUNNING
    steps: list[Message] = field(default_factory=list)
    result: Any = None
    error: Message | None = None
    bug: bool = False
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    live: dict[str, Any] = field(default_factory=dict)  # what the page shows while it runs (a roll-up's schools)

    def say(self, message: Message) -> None:
        """Add a step for the page to show."""
        self.steps.append(message)

    @property
    def running(self) -> bool:
        """True until the step ends."""
        return self.state == RUNNING

    @property
    def seconds(self) -> float:
        """How long the step ran (so far)."""
        return (self.finished or time.monotonic()) - self.started


class Jobs:
    """The steps of one server, by name; at most one run of each at a time."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Job | None:
        """The latest run of ``name``, if any."""
        return self._jobs.get(name)

    def start(self, name: str, work: Callable[[Job], Any]) -> tuple[Job, bool]:
        """Run ``work`` on a thread as the step ``name``, unless a run of it is under way (returned instead);
        True when this call started it."""
        with self._lock:
            current = self._jobs.get(name)
            if current is not None and current.running:
                return current, False
            job = self._jobs[name] = Job(name)
        threading.Thread(target=self._run, args=(job, work), name=f"ui-{name}", daemon=True).start()
        return job, True

    def forget(self, name: str) -> None:
        """Drop the finished run of ``name`` (a new workbook was chosen)."""
        with self._lock:
            job = self._jobs.get(name)
            if job is not None and not job.running:
                del self._jobs[name]

    @staticmethod
    def _run(job: Job, work: Callable[[Job], Any]) -> None:
        try:
            job.result = work(job)
            job.state = DONE
        except ToolkitError as exc:
            job.error, job.state = exc.msg, FAILED
        except Exception:  # a bug: the page says so, the console keeps the traceback
            traceback.print_exc(file=sys.stderr)
            job.bug, job.state = True, FAILED
        finally:
            job.finished = time.monotonic()
