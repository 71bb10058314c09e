"""The moderation queue as queries: sorted, filtered, a page at a time, and refused in bulk.

A flood of 10,000 proposals must be clearable: the page reads one page of the queue, never all
of it, and « refuser les 10 000 propositions de cette adresse » is one UPDATE and one INSERT…
SELECT into the audit log, each proposal's refusal logged as if made one by one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Select, and_, func, insert, literal, or_, select, update

from reseau_map.contrib.proposal import PENDING, REFUSED
from reseau_map.contrib.schema import audit_log, proposals

# How the queue may be sorted: key -> (French label, ORDER BY).
ORDERS: dict[str, tuple[str, tuple]] = {
    "anciennes": ("Les plus anciennes d'abord", (proposals.c.created_at, proposals.c.id)),
    "recentes": ("Les plus récentes d'abord", (proposals.c.created_at.desc(), proposals.c.id.desc())),
    "commune": ("Par commune", (func.lower(proposals.c.city), proposals.c.created_at, proposals.c.id)),
    "nom": ("Par nom", (func.lower(proposals.c.name), proposals.c.created_at, proposals.c.id)),
}
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilter:
    """Which pending proposals: text in the name or the commune, one sender (its address's digest)."""

    text: str = ""
    client: str = ""

    def where(self):
        """The SQL condition (always « pending »)."""
        terms = [proposals.c.state == PENDING]
        if self.text.strip():
            like = f"%{_escaped(self.text.strip().lower())}%"
            terms.append(or_(func.lower(proposals.c.name).like(like, escape="\\"),
                             func.lower(proposals.c.city).like(like, escape="\\")))
        if self.client:
            terms.append(proposals.c.client_hash == self.client)
        return and_(*terms)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def page(conn: Connection, chosen: QueueFilter, order: str, number: int = 0, size: int = PAGE_SIZE) -> list:
    """One page of the pending proposals this filter keeps, in this order (rows of the proposals table)."""
    query: Select = (select(proposals).where(chosen.where()).order_by(*ORDERS.get(order, ORDERS["anciennes"])[1])
                     .limit(size).offset(number * size))
    return list(conn.execute(query).mappings().all())


def count(conn: Connection, chosen: QueueFilter) -> int:
    """How many pending proposals this filter keeps."""
    return int(conn.execute(select(func.count()).select_from(proposals).where(chosen.where())).scalar() or 0)


def senders(conn: Connection, limit: int = 20) -> list[tuple[str, int]]:
    """(address digest, pending proposals) of the addresses that sent the most, most first."""
    n = func.count().label("n")
    query = (select(proposals.c.client_hash, n).where(proposals.c.state == PENDING, proposals.c.client_hash != "")
             .group_by(proposals.c.client_hash).order_by(n.desc()).limit(limit))
    return [(r.client_hash, int(r.n)) for r in conn.execute(query)]


def refuse_all(conn: Connection, chosen: QueueFilter, reviewer: str, comment: str, now: datetime,
               action: str) -> int:
    """Refuse every pending proposal this filter keeps, each refusal in the audit log; how many were refused."""
    detail = json.dumps({"comment": comment, "edits": {}, "bulk": True}, ensure_ascii=False, sort_keys=True)
    logged = conn.execute(insert(audit_log).from_select(
        ["at", "proposal_id", "action", "actor", "detail"],
        select(literal(now, audit_log.c.at.type), proposals.c.id, literal(action), literal(reviewer),
               literal(detail)).where(chosen.where())))
    done = conn.execute(update(proposals).where(chosen.where())
                        .values(state=REFUSED, decided_at=now, reviewer=reviewer, comment=comment))
    if logged.rowcount not in (-1, done.rowcount):  # the same rows, in the same transaction
        raise RuntimeError("audit log and refusals disagree")
    return int(done.rowcount)
