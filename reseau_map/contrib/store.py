"""The proposals store: submit, list, accept, refuse — on any SQLAlchemy database, safely shared."""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import overload

import pandas as pd
from sqlalchemy import Connection, Engine, and_, create_engine, event, func, insert, or_, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError

from reseau_map.contrib import accepted, health, limits, queue, schema, throttle
from reseau_map.contrib.health import FileWatch
from reseau_map.contrib.proposal import ACCEPTED, EDITABLE, PENDING, PLACE_FIELDS, REFUSED, Proposal
from reseau_map.contrib.queue import QueueFilter
from reseau_map.contrib.schema import audit_log, proposals
from reseau_map.core.errors import ProposalError, UsageError
from reseau_map.core.settings import CHECKOUT, state_dir

ENV_DB = "RESEAU_MAP_DB"
DB_FILE = "reseau.sqlite"  # in the state folder (core.settings.state_dir)
# Streamlit's own places for secrets: the folder it runs from (the checkout), then the user's.
SECRETS_FILES: tuple[Path, ...] = (*((CHECKOUT / ".streamlit" / "secrets.toml",) if CHECKOUT else ()),
                                   Path.cwd() / ".streamlit" / "secrets.toml",
                                   Path.home() / ".streamlit" / "secrets.toml")
CONNECTION_NAME = "reseau"  # [connections.reseau] in secrets.toml
FROM_ENV, FROM_SECRETS, FROM_DEFAULT = "environment", "secrets", "default"  # where the database URL was found
SQLITE_BUSY_MS = 30_000  # a writer waits this long for another before giving up
# Receipts are read aloud and typed: no 0/O, 1/I/L.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 8
RECEIPT_TRIES = 5
_WRITE = "reseau_write"  # execution option: this transaction will write (SQLite: BEGIN IMMEDIATE)
# Audit actions.
SUBMITTED, ACCEPT, REFUSE = "proposee", "acceptee", "refusee"
NEAR_DEGREES = 0.01  # about a kilometre: the box in which a pending proposal may repeat a new one

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(UTC)


@overload
def _utc(value: datetime) -> datetime: ...
@overload
def _utc(value: None) -> None: ...
def _utc(value: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes: they were stored in UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Stored:
    """A proposal as the database holds it: the place fields and its moderation record."""

    id: int
    receipt: str
    state: str
    proposal: Proposal
    created_at: datetime
    decided_at: datetime | None
    reviewer: str
    comment: str


@dataclass(frozen=True)
class AuditEntry:
    """One line of the append-only audit log."""

    id: int
    at: datetime
    proposal_id: int
    action: str
    actor: str
    detail: dict


def database_url(env: Mapping[str, str] | None = None, secrets_files: tuple[Path, ...] = SECRETS_FILES,
                 secrets: Mapping | None = None) -> str:
    """RESEAU_MAP_DB (URL or SQLite path), else [connections.reseau] url in secrets.toml, else data/reseau.sqlite."""
    return configured_database(env, secrets_files, secrets)[0]


def configured_database(env: Mapping[str, str] | None = None, secrets_files: tuple[Path, ...] = SECRETS_FILES,
                        secrets: Mapping | None = None) -> tuple[str, str]:
    """The database URL and where it was found: FROM_ENV, FROM_SECRETS or FROM_DEFAULT.

    `secrets` is what Streamlit read (st.secrets); without it the secrets files are read here.
    """
    value = (os.environ if env is None else env).get(ENV_DB, "").strip()
    if value:
        return _checked(value if "://" in value else f"sqlite:///{Path(value).resolve()}", ENV_DB), FROM_ENV
    found = _read_secrets(secrets_files) if secrets is None else secrets
    url = found.get("connections", {}).get(CONNECTION_NAME, {}).get("url")
    if url:
        return _checked(str(url), f"[connections.{CONNECTION_NAME}] url"), FROM_SECRETS
    return default_url(), FROM_DEFAULT


def _read_secrets(paths: tuple[Path, ...]) -> Mapping:
    for path in paths:
        try:
            found = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if found.get("connections", {}).get(CONNECTION_NAME, {}).get("url"):
            return found
    return {}


def _checked(url: str, where: str) -> str:
    # Parsed once, by SQLAlchemy: a typing error is told here, in French, not at the first query.
    try:
        return make_url(url).render_as_string(hide_password=False)
    except (ArgumentError, ValueError) as err:  # ValueError: a port that is not a number
        shown = re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)  # never a password in a message
        raise UsageError(f"{where} : adresse de base de données illisible « {shown} » (attendu par exemple "
                         "sqlite:///chemin/reseau.sqlite ou postgresql+psycopg://utilisateur@hote/base).") from err


def default_url() -> str:
    """The SQLite file in the state folder (created on demand), when nothing else is configured."""
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DB_FILE}"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


PROTECTED_TABLE = "audit_log"
PROTECTED_TRIGGERS = frozenset({"audit_log_no_update", "audit_log_no_delete"})
UNSAFE_PRAGMAS = frozenset({"writable_schema"})  # editing sqlite_master by hand would undo the above


def sqlite_authorizer(action: int, arg1: str | None, arg2: str | None, _db: str | None, _source: str | None) -> int:
    """What the app's own SQLite connections may not do: drop or alter the audit log, or drop its triggers.

    SQLite has no trigger on DROP TABLE: this is the « role » the app runs as (the README says so);
    the sqlite3 shell of whoever owns the file can still do anything, as a PostgreSQL superuser can.
    """
    if action == sqlite3.SQLITE_DROP_TABLE and arg1 == PROTECTED_TABLE:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_ALTER_TABLE and arg2 == PROTECTED_TABLE:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_DROP_TRIGGER and (arg1 in PROTECTED_TRIGGERS or arg2 == PROTECTED_TABLE):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in UNSAFE_PRAGMAS and arg2 is not None:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    # We issue BEGIN ourselves (below); pysqlite's implicit transactions would start too late.
    dbapi_conn.isolation_level = None
    dbapi_conn.set_authorizer(sqlite_authorizer)
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    # A writer takes the write lock at BEGIN, so two writers queue instead of deadlocking.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def prepare_engine(engine: Engine) -> Engine:
    """Make an engine safe for concurrent use (SQLite: WAL, busy timeout, write locks at BEGIN)."""
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _on_sqlite_connect):
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        engine.dispose()  # connections opened before the listeners would miss them
    return engine


@contextmanager
def transaction(engine: Engine, write: bool = False) -> Iterator[Connection]:
    """One transaction on an engine of prepare_engine; `write`: it will write (SQLite: its lock taken at BEGIN)."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: write})
        with conn.begin():
            yield conn


def make_engine(url: str) -> Engine:
    """An engine for a URL; a SQLite file's folder is created on first use."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    return prepare_engine(create_engine(url))


@dataclass(frozen=True)
class Limits:
    """The token buckets a proposal takes from: one per client address, one for everyone."""

    per_address: limits.Bucket = limits.PER_ADDRESS
    everyone: limits.Bucket = limits.PER_EVERYONE


class Store:
    """Proposals and their audit log in one database; every method is one transaction.

    A database that fails is a DatabaseUnavailable (a French sentence for the visitor, a log line
    for the operator); a SQLite file deleted under the server is one too, checked before a
    transaction begins and again before a write commits: nothing is acknowledged that is not stored.
    """

    def __init__(self, engine: Engine, clock: Clock = utc_now, abuse: Limits | None = None) -> None:
        self.engine = prepare_engine(engine)
        self._clock = clock
        self.limits = abuse or Limits()
        self._watch: FileWatch | None = None
        with self._transaction(write=True, what="mise à jour du schéma") as conn:
            schema.migrate(conn, self._clock())
        self._watch = FileWatch.of(sqlite_path(self.engine.url.render_as_string(hide_password=False)))

    @contextmanager
    def _transaction(self, write: bool = False, what: str = "lecture") -> Iterator[Connection]:
        self._watched()
        try:
            with self.engine.connect() as conn:
                conn.execution_options(**{_WRITE: write})
                with conn.begin():
                    yield conn
                    if write and self._watch is not None and self._watch.check() == "missing":
                        raise health.deleted(self._watch.path)  # rolled back: never acknowledged
        except SQLAlchemyError as err:
            if health.translated(err):
                raise health.unavailable(err, what) from err
            raise

    def _watched(self) -> None:
        # The SQLite file is still the one opened: deleted, nothing more is accepted; replaced (a
        # restore), the new file is taken after closing every connection to the old one.
        if self._watch is None:
            return
        found = self._watch.check()
        if found == "missing":
            raise health.deleted(self._watch.path)
        if found == "replaced":
            health.LOG.warning("Base des contributions : fichier « %s » remplacé, repris.", self._watch.path)
            self.engine.dispose()
            self._watch.renew()
            with self._transaction(write=True, what="mise à jour du schéma") as conn:
                schema.migrate(conn, self._clock())

    def submit(self, proposal: Proposal, session_hash: str = "", client: str = "") -> str:
        """Store a new proposal, waiting for moderation; return its receipt number.

        `client`: the digest of the sender's address (limits.client_hash). Its bucket and everyone's
        are taken in the same transaction: RateLimited, and nothing stored, when one is empty.
        """
        wanted = [(limits.EVERYONE, self.limits.everyone)]
        if client:
            wanted.insert(0, (f"adresse:{client}", self.limits.per_address))
        tries = RECEIPT_TRIES
        while True:
            receipt = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
            try:
                with self._transaction(write=True, what="enregistrement d'une proposition") as conn:
                    now = self._clock()
                    limits.take(conn, wanted, now.timestamp())
                    inserted = conn.execute(insert(proposals).values(
                        receipt=receipt, state=PENDING, created_at=now, session_hash=session_hash,
                        client_hash=client, **proposal.as_row())).inserted_primary_key
                    assert inserted is not None  # one row inserted: its key is known
                    new_id = inserted[0]
                    self._log(conn, new_id, SUBMITTED, "public", {"receipt": receipt}, now)
                return receipt
            except IntegrityError:  # the same receipt drawn twice (31^8 receipts: rare): draw again
                tries -= 1
                if not tries:
                    raise

    def _log(self, conn: Connection, proposal_id: int, action: str, actor: str, detail: dict,
             at: datetime) -> None:
        conn.execute(insert(audit_log).values(at=at, proposal_id=proposal_id, action=action, actor=actor,
                                              detail=json.dumps(detail, ensure_ascii=False, sort_keys=True)))

    def get(self, proposal_id: int) -> Stored:
        """One proposal by id, or ProposalError."""
        with self._transaction() as conn:
            row = conn.execute(select(proposals).where(proposals.c.id == proposal_id)).mappings().first()
        if row is None:
            raise ProposalError(f"Proposition n° {proposal_id} introuvable.")
        return _stored(row)

    def waiting(self, receipt: str) -> Stored | None:
        """The pending proposal of a receipt, whatever its case (a link from an e-mail), or None."""
        wanted = receipt.strip().upper()
        if not wanted:
            return None
        with self._transaction() as conn:
            row = conn.execute(select(proposals).where(proposals.c.receipt == wanted,
                                                       proposals.c.state == PENDING)).mappings().first()
        return _stored(row) if row else None

    def _by_state(self, state: str) -> list[Stored]:
        with self._transaction() as conn:
            rows = conn.execute(select(proposals).where(proposals.c.state == state)
                                .order_by(proposals.c.created_at, proposals.c.id)).mappings().all()
        return [_stored(r) for r in rows]

    def pending(self) -> list[Stored]:
        """Proposals waiting for moderation, oldest first."""
        return self._by_state(PENDING)

    # The moderation queue (contrib/queue.py): a page at a time, filtered, refused in bulk.
    def queue(self, chosen: QueueFilter | None = None, order: str = "anciennes", number: int = 0,
              size: int = queue.PAGE_SIZE) -> list[Stored]:
        """One page of the pending proposals a filter keeps, in an order of queue.ORDERS."""
        with self._transaction() as conn:
            rows = queue.page(conn, chosen or QueueFilter(), order, number, size)
        return [_stored(r) for r in rows]

    def queue_count(self, chosen: QueueFilter | None = None) -> int:
        """How many pending proposals a filter keeps."""
        with self._transaction() as conn:
            return queue.count(conn, chosen or QueueFilter())

    def senders(self, limit: int = 20) -> list[tuple[str, int]]:
        """The addresses (digests) that sent the most pending proposals, with how many."""
        with self._transaction() as conn:
            return queue.senders(conn, limit)

    def refuse_all(self, chosen: QueueFilter, reviewer: str, comment: str) -> int:
        """Refuse every pending proposal a filter keeps (« refuser les 10 000 propositions de cette adresse »)."""
        with self._transaction(write=True, what="refus groupé") as conn:
            return queue.refuse_all(conn, chosen, reviewer, comment, self._clock(), REFUSE)

    def pending_near(self, city: str, lat: float | None, lon: float | None, limit: int = 500) -> pd.DataFrame:
        """The pending proposals a new one could repeat (same commune, or within about a kilometre), as places."""
        close = [func.lower(func.trim(proposals.c.city)) == city.strip().lower()] if city.strip() else []
        if lat is not None and lon is not None:
            close.append(and_(proposals.c.lat.between(lat - NEAR_DEGREES, lat + NEAR_DEGREES),
                              proposals.c.lon.between(lon - NEAR_DEGREES, lon + NEAR_DEGREES)))
        if not close:
            return accepted.places_frame([])
        query = (select(proposals).where(proposals.c.state == PENDING, or_(*close))
                 .order_by(proposals.c.created_at).limit(limit))
        with self._transaction() as conn:
            rows = conn.execute(query).mappings().all()
        return accepted.places_frame([_stored(r) for r in rows])

    # The moderation password's throttle (contrib/throttle.py), shared by every server.
    def login_wait(self, keys: list[str]) -> tuple[float, bool]:
        """(seconds before a password may be checked for these keys, whether one is locked out)."""
        with self._transaction(what="contrôle des essais de connexion") as conn:
            return throttle.wait(conn, keys, self._clock().timestamp())

    def login_failed(self, keys: list[str], who: str) -> None:
        """Record a wrong moderation password for these keys (and log it)."""
        with self._transaction(write=True, what="échec de connexion") as conn:
            throttle.failed(conn, keys, self._clock().timestamp(), who)

    def login_succeeded(self, keys: list[str]) -> None:
        """A right password: these keys start afresh."""
        with self._transaction(write=True, what="connexion") as conn:
            throttle.succeeded(conn, keys)

    def accepted(self) -> list[Stored]:
        """Accepted proposals, oldest first."""
        return self._by_state(ACCEPTED)

    def refused(self) -> list[Stored]:
        """Refused proposals, oldest first."""
        return self._by_state(REFUSED)

    def accept(self, proposal_id: int, reviewer: str, comment: str = "",
               edits: Mapping[str, object] | None = None) -> Stored:
        """Accept a pending proposal, with the moderator's edits; the decision goes to the audit log."""
        return self._decide(proposal_id, ACCEPTED, ACCEPT, reviewer, comment, edits or {})

    def refuse(self, proposal_id: int, reviewer: str, comment: str = "") -> Stored:
        """Refuse a pending proposal with a comment; the decision goes to the audit log."""
        return self._decide(proposal_id, REFUSED, REFUSE, reviewer, comment, {})

    def _decide(self, proposal_id: int, state: str, action: str, reviewer: str, comment: str,
                edits: Mapping[str, object]) -> Stored:
        unknown = sorted(set(edits) - set(EDITABLE))
        if unknown:
            raise ValueError(f"champs non modifiables : {', '.join(unknown)}")
        with self._transaction(write=True) as conn:
            before = conn.execute(select(proposals).where(proposals.c.id == proposal_id)).mappings().first()
            now = self._clock()
            # The state in the WHERE clause: of two moderators deciding at once, only one wins.
            done = conn.execute(
                update(proposals).where(proposals.c.id == proposal_id, proposals.c.state == PENDING)
                .values(state=state, decided_at=now, reviewer=reviewer, comment=comment, **edits))
            if before is None or done.rowcount != 1:
                raise ProposalError(f"Proposition n° {proposal_id} introuvable ou déjà traitée.")
            changes = {k: _change(k, before[k], v) for k, v in edits.items() if before[k] != v}
            self._log(conn, proposal_id, action, reviewer, {"comment": comment, "edits": changes}, now)
            row = conn.execute(select(proposals).where(proposals.c.id == proposal_id)).mappings().one()
        return _stored(row)

    def audit(self, proposal_id: int | None = None, latest: int | None = None) -> list[AuditEntry]:
        """The audit log, oldest first (for one proposal if an id is given; only the `latest` entries if given)."""
        query = select(audit_log).order_by(audit_log.c.id.desc() if latest else audit_log.c.id)
        if proposal_id is not None:
            query = query.where(audit_log.c.proposal_id == proposal_id)
        if latest:
            query = query.limit(latest)
        with self._transaction() as conn:
            rows = conn.execute(query).mappings().all()
        if latest:
            rows = rows[::-1]
        return [AuditEntry(r["id"], _utc(r["at"]), r["proposal_id"], r["action"], r["actor"],
                           json.loads(r["detail"] or "{}")) for r in rows]

    def accepted_version(self) -> str:
        """A cheap fingerprint of the accepted places: it changes whenever one is accepted."""
        query = select(func.count(), func.max(proposals.c.decided_at), func.max(proposals.c.id)).where(
            proposals.c.state == ACCEPTED)
        with self._transaction() as conn:
            count, last, top = conn.execute(query).one()
        return f"{count}:{last}:{top}"

    def accepted_places(self) -> pd.DataFrame:
        """The accepted proposals as places (contract columns; never the contact e-mail)."""
        return accepted.places_frame(self.accepted())

    def pending_places(self) -> pd.DataFrame:
        """The pending proposals as places, for the duplicate check."""
        return accepted.places_frame(self.pending())


def _change(field: str, old: object, new: object) -> object:
    # The audit log is internal, but an e-mail address still has no reason to be copied into it.
    return "(modifié)" if field == "contact_email" else [old, new]


def _stored(row: Mapping) -> Stored:
    values = {f: row[f] for f in PLACE_FIELDS}
    return Stored(row["id"], row["receipt"], row["state"], Proposal(**values), _utc(row["created_at"]),
                  _utc(row["decided_at"]), row["reviewer"], row["comment"])


def open_store(url: str | None = None, clock: Clock = utc_now) -> Store:
    """The store at a URL (default: database_url()), its schema brought up to date."""
    return Store(make_engine(url or database_url()), clock)


def with_accepted(df: pd.DataFrame, store: Store | None = None) -> pd.DataFrame:
    """The places plus the accepted proposals not already in them (after a merge they are)."""
    if store is None:
        url = database_url()
        path = sqlite_path(url)
        if path is not None and not path.exists():  # no database yet: nothing accepted, nothing created
            return df
        opened = open_store(url)
        try:
            return accepted.join_accepted(df, opened.accepted_places())
        finally:
            opened.engine.dispose()  # a command's one look: no connection left open behind it
    return accepted.join_accepted(df, store.accepted_places())


def places_to_compare(df: pd.DataFrame, store: Store, proposal: Proposal | None = None) -> pd.DataFrame:
    """Every place a proposal could repeat: the file's, the accepted and the pending proposals.

    With the proposal, only the pending ones in its commune or near it: a flood of 10,000 pending
    proposals must not be read on every keystroke of the form.
    """
    pending = (store.pending_near(proposal.city, proposal.lat, proposal.lon) if proposal is not None
               else store.pending_places())
    return pd.concat([with_accepted(df, store), pending], ignore_index=True)
