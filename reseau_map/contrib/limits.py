"""Abuse limits for the public form: a honeypot field, one proposal per session per minute, and token buckets.

The buckets live in the database (schema.rate_buckets), so that they hold for a script that opens
a new session for every proposal, and across servers: one per client address (PER_ADDRESS) and
one for everyone (EVERYONE), taken in the same transaction as the proposal they admit.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from reseau_map.contrib.schema import rate_buckets
from reseau_map.core.errors import RateLimited

MIN_INTERVAL_S = 60.0
HONEYPOT_FIELD = "site_internet_bis"  # a field people never see; bots fill every field
EVERYONE = "tout"  # the bucket every proposal takes from
IPV6_PREFIX = 64  # an IPv6 client holds a whole /64: its addresses are one address here


@dataclass(frozen=True)
class Bucket:
    """A token bucket: `capacity` proposals at once, then one more every `every_s` seconds."""

    capacity: float
    every_s: float

    def refilled(self, tokens: float, since: float, now: float) -> float:
        """The tokens after refilling from `since` to `now`, at most the capacity."""
        return min(self.capacity, tokens + max(0.0, now - since) / self.every_s)


PER_ADDRESS = Bucket(capacity=5, every_s=120)  # five at once (a coordinator's list), then 30 an hour
PER_EVERYONE = Bucket(capacity=60, every_s=20)  # sixty at once, then 180 an hour for the whole site


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


def busy_message(seconds: float, everyone: bool) -> str:
    """The French sentence shown when an address, or the whole site, has sent too many proposals."""
    minutes = max(1, math.ceil(seconds / 60))
    who = ("Le site reçoit beaucoup de propositions en ce moment" if everyone
           else "Beaucoup de propositions sont arrivées de votre connexion")
    return f"{who} : réessayez dans {minutes} min. Merci de votre patience."


def session_hash(session_id: str) -> str:
    """A short digest of the session id, stored instead of the id itself."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:16]


def client_hash(address: str) -> str:
    """A short digest of a client's address (an IPv6 one by its /64), stored instead of the address."""
    text = address.strip()
    try:
        ip = ipaddress.ip_address(text)
        if ip.version == 6 and ip.ipv4_mapped is None:
            text = str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
        elif ip.version == 6:
            text = str(ip.ipv4_mapped)
        else:
            text = str(ip)
    except ValueError:
        pass  # not an address (a test's name, "local"): its text is the key
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def take(conn: Connection, wanted: Sequence[tuple[str, Bucket]], now: float) -> None:
    """Take one token from each bucket, or none and RateLimited (in the caller's write transaction).

    Each row is created full if missing, then read locked (FOR UPDATE on PostgreSQL; SQLite's
    BEGIN IMMEDIATE already holds the write lock): two servers never spend the same token.
    """
    rows: dict[str, float] = {}
    for key, bucket in wanted:
        insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
        if conn.dialect.name in ("postgresql", "sqlite"):
            conn.execute(insert(rate_buckets).values(key=key, tokens=bucket.capacity, updated_at=now)
                         .on_conflict_do_nothing(index_elements=["key"]))
        found = conn.execute(select(rate_buckets).where(rate_buckets.c.key == key).with_for_update()).first()
        if found is None:  # another database: plain insert
            conn.execute(rate_buckets.insert().values(key=key, tokens=bucket.capacity, updated_at=now))
            found = conn.execute(select(rate_buckets).where(rate_buckets.c.key == key)).first()
        if found is None:
            raise RuntimeError(f"rate bucket {key} could not be created")
        rows[key] = bucket.refilled(found.tokens, found.updated_at, now)
    for key, bucket in wanted:
        if rows[key] < 1:
            wait = (1 - rows[key]) * bucket.every_s
            raise RateLimited(busy_message(wait, key == EVERYONE), wait)
    for key, _ in wanted:
        conn.execute(update(rate_buckets).where(rate_buckets.c.key == key)
                     .values(tokens=rows[key] - 1, updated_at=now))
