"""The Google Sheets read quota as a shared budget: at most N requests in any window of W seconds.

Google allows 60 read requests per minute per user (300 per project). A roll-up reads hundreds of
sheets through several connections at once; every request first takes its turn here. The budget is
a token bucket whose tokens come back exactly one window after they were spent (a sliding window):
a small roll-up goes at once, a large one never sends more than N requests in any W seconds, and an
answer 429 ("too many requests") holds every connection for as long as Google asked. A token comes back
W/60 late (one second of Google's minute): requests reach Google a little after they leave, and a window
kept to the exact second would see some of them counted in the next minute and refused.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable

READS_PER_MINUTE = 60  # Google's read quota per user and minute


class ReadBudget:
    """At most ``reads`` requests in any ``per`` seconds, shared by threads; ``hold`` pauses them all."""

    def __init__(
        self,
        reads: int = READS_PER_MINUTE,
        per: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if reads < 1 or per <= 0:
            raise ValueError("a budget needs at least one request per window")
        self.reads, self.per = reads, per
        self.window = per * 61 / 60  # the margin for requests that arrive later than they left
        self.clock, self.sleep = clock, sleep
        self._sent: deque[float] = deque()  # when each request of the current window was let through
        self._held_until = 0.0
        self._lock = threading.Lock()
        self.requests = 0  # let through so far

    def acquire(self) -> float:
        """Wait for this request's turn; return the seconds waited."""
        start = self.clock()
        while True:
            with self._lock:
                now = self.clock()
                while self._sent and self._sent[0] <= now - self.window:
                    self._sent.popleft()
                ready = max(self._held_until, self._sent[0] + self.window if len(self._sent) >= self.reads else now)
                if ready <= now:
                    self._sent.append(now)
                    self.requests += 1
                    return now - start
            self.sleep(ready - now)

    def hold(self, seconds: float) -> None:
        """Let no request through for ``seconds`` (Google answered 429 and asked to wait)."""
        with self._lock:
            self._held_until = max(self._held_until, self.clock() + max(0.0, seconds))

    def floor(self, requests: int) -> float:
        """The least time ``requests`` requests can take under this budget (the quota floor)."""
        return requests / self.reads * self.per

    @classmethod
    def from_env(cls, reads: int | None = None) -> ReadBudget:
        """``reads`` per minute, else ``$TOOLKIT_SHEETS_READS_PER_MINUTE``, else Google's 60; the minute is
        ``$TOOLKIT_SHEETS_QUOTA_SECONDS`` long when that is set (an emulator's compressed minute, in tests)."""
        if reads is None:
            try:
                reads = int(os.environ.get("TOOLKIT_SHEETS_READS_PER_MINUTE", READS_PER_MINUTE))
            except ValueError:
                reads = READS_PER_MINUTE
        try:
            per = float(os.environ.get("TOOLKIT_SHEETS_QUOTA_SECONDS", 60.0))
        except ValueError:
            per = 60.0
        return cls(max(1, reads), per if per > 0 else 60.0)
