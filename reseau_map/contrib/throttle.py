"""The moderation password, throttled: an exponential delay per session and per client address, then a lockout.

Each failed attempt doubles the wait before the next one may be checked (1 s, 2 s, 4 s… up to
MAX_DELAY_S); after LOCKOUT_AFTER failures the key is locked for LOCKOUT_S. Both keys (this
session, this address) must be free: a script opening new sessions still meets its address, and
the attempts live in the database (schema.login_attempts), so they hold across servers. A
password is not even checked while a key waits: scrypt's cost is never spent for a script.
Every failure and every lockout is a line in the operator's log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, update

from reseau_map.contrib.schema import login_attempts

LOG = logging.getLogger("reseau_map.contributions")
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 300.0
LOCKOUT_AFTER = 10  # failures
LOCKOUT_S = 900.0  # 15 minutes


@dataclass(frozen=True)
class Attempts:
    """What one key has done: failures so far, the last one, until when it is locked."""

    failures: int = 0
    last_failure: float = 0.0
    locked_until: float = 0.0

    def wait_s(self, now: float) -> float:
        """Seconds before this key may try again (0 when it may)."""
        if self.locked_until > now:
            return self.locked_until - now
        if not self.failures:
            return 0.0
        delay = min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (self.failures - 1))
        return max(0.0, self.last_failure + delay - now)

    def failed(self, now: float) -> Attempts:
        """The attempts after one more failure (locked once LOCKOUT_AFTER is reached)."""
        failures = self.failures + 1
        locked = now + LOCKOUT_S if failures >= LOCKOUT_AFTER and failures % LOCKOUT_AFTER == 0 else self.locked_until
        return Attempts(failures, now, locked)


def wait_message(seconds: float, locked: bool) -> str:
    """The French sentence shown while a key waits."""
    if locked:
        return (f"Trop de mots de passe incorrects : la modération est verrouillée pour cette connexion pendant "
                f"{max(1, round(seconds / 60))} min.")
    return f"Mot de passe incorrect trop souvent : attendez {max(1, round(seconds))} s avant de réessayer."


def read(conn: Connection, keys: list[str]) -> dict[str, Attempts]:
    """The attempts of each key (none for a key that never failed)."""
    rows = conn.execute(select(login_attempts).where(login_attempts.c.key.in_(keys))).all()
    found = {r.key: Attempts(r.failures, r.last_failure, r.locked_until) for r in rows}
    return {k: found.get(k, Attempts()) for k in keys}


def wait(conn: Connection, keys: list[str], now: float) -> tuple[float, bool]:
    """(seconds to wait, whether a key is locked out) before a password may be checked."""
    found = read(conn, keys).values()
    return max((a.wait_s(now) for a in found), default=0.0), any(a.locked_until > now for a in found)


def failed(conn: Connection, keys: list[str], now: float, who: str) -> None:
    """Record a wrong password for every key (in the caller's write transaction); log it."""
    for key, before in read(conn, keys).items():
        after = before.failed(now)
        values = {"failures": after.failures, "last_failure": after.last_failure, "locked_until": after.locked_until}
        if before.failures:
            conn.execute(update(login_attempts).where(login_attempts.c.key == key).values(**values))
        else:
            conn.execute(login_attempts.insert().values(key=key, **values))
        if after.locked_until > now and after.locked_until != before.locked_until:
            LOG.error("Modération : %s verrouillé(e) %d min après %d mots de passe incorrects (%s).", key,
                      round(LOCKOUT_S / 60), after.failures, who)
    LOG.warning("Modération : mot de passe incorrect (%s ; %s).", who, ", ".join(keys))


def succeeded(conn: Connection, keys: list[str]) -> None:
    """A right password: the keys start afresh."""
    conn.execute(delete(login_attempts).where(login_attempts.c.key.in_(keys)))
