"""Abuse limits for the public form: a honeypot field and one proposal per session per minute."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

MIN_INTERVAL_S = 60.0
HONEYPOT_FIELD = "site_internet_bis"  # a field people never see; bots fill every field


def honeypot_tripped(value: object) -> bool:
    """Whether the hidden field was filled (by a robot)."""
    return bool(str(value or "").strip())


class SessionLimit:
    """One proposal per browser session per interval, from when it last sent one; the clock is a seam for tests."""

    def __init__(self, last_sent: float | None = None, clock: Callable[[], float] = time.monotonic,
                 interval_s: float = MIN_INTERVAL_S) -> None:
        self.last_sent, self._clock, self._interval = last_sent, clock, interval_s

    def wait_s(self) -> float:
        """Seconds to wait before this session may send again (0 when it may)."""
        if self.last_sent is None:
            return 0.0
        return max(0.0, self._interval - (self._clock() - self.last_sent))

    def record(self) -> float:
        """Note that this session just sent a proposal; the moment to remember (the session keeps it)."""
        self.last_sent = self._clock()
        return self.last_sent


def wait_message(seconds: float) -> str:
    """The French sentence shown when a session sends too fast."""
    return f"Une proposition par minute et par visiteur : réessayez dans {max(1, round(seconds))} s."


def session_hash(session_id: str) -> str:
    """A short digest of the session id, stored instead of the id itself."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:16]
