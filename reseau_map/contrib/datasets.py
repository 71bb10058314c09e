"""The published datasets: the map's data as the coordinator imported it, versioned in the database.

Every server reads the same database, so a publication shows on every server at its next load
(app/resources.py keys its catalogue on `Datasets.key()`). A version is immutable: its file's
bytes, its mapping's TOML, who published it, when and how many rows; restoring one publishes a
copy of it. `dataset_state` says which version the map shows (none: the server's own file,
RESEAU_MAP_PLACES), and the source URL refreshed by hand or on a schedule. Every step goes to
`dataset_log`, which the database itself keeps append-only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, overload

from sqlalchemy import Connection, Engine, insert, select, update

from reseau_map.contrib import schema
from reseau_map.contrib.dataset_tables import STATE_ID, dataset_log, dataset_state, dataset_versions
from reseau_map.contrib.store import prepare_engine, transaction, utc_now
from reseau_map.core.errors import VersionNotFound

# How a version came (dataset_versions.action) and the log's actions, as codes; LABELS says them in French.
PUBLISHED, ADDED, RESTORED, REFRESHED = "publiee", "ajout", "restauree", "actualisee"
IMPORTED, MAPPED, TO_FILE, SOURCE, REFRESH_FAILED = "importee", "correspondance", "fichier", "source", "echec"
LABELS = {PUBLISHED: "Publiée", ADDED: "Lieux ajoutés", RESTORED: "Version restaurée", REFRESHED: "Source actualisée",
          IMPORTED: "Fichier importé", MAPPED: "Correspondance modifiée", TO_FILE: "Retour au fichier du serveur",
          SOURCE: "Source réglée", REFRESH_FAILED: "Actualisation échouée"}
NONE = "0"  # Datasets.key() when the map shows the server's file

Clock = Callable[[], datetime]


@overload
def _utc(value: datetime) -> datetime: ...
@overload
def _utc(value: None) -> None: ...
def _utc(value: datetime | None) -> datetime | None:
    # SQLite gives back naive datetimes: they were stored in UTC.
    return value if value is None or value.tzinfo is not None else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Version:
    """One publication: who, when, how, how many rows, the file's name and format, its mapping (TOML)."""

    id: int
    created_at: datetime
    actor: str
    action: str
    rows: int
    located: int
    filename: str
    format: str
    mapping: str
    sha256: str
    restored_from: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Source:
    """Where the data can be fetched again: a URL, every how many hours (0: by hand), what the last time said."""

    url: str = ""
    refresh_hours: int = 0
    mapping: str = ""  # the mapping file's TOML the source is read with
    next_at: datetime | None = None
    last_at: datetime | None = None
    last: str = ""

    def due(self, now: datetime) -> bool:
        """Whether a scheduled refresh should run now."""
        return bool(self.url and self.refresh_hours > 0 and (self.next_at is None or self.next_at <= now))


@dataclass(frozen=True)
class Logged:
    """One line of the datasets' log."""

    id: int
    at: datetime
    action: str
    actor: str
    version_id: int | None
    detail: dict


_VERSION_COLUMNS = [c for c in dataset_versions.c if c.name != "content"]


def _source(row: Any) -> Source:
    return Source(row["source_url"], row["refresh_hours"], row["source_mapping"], _utc(row["next_refresh_at"]),
                  _utc(row["last_refresh_at"]), row["last_refresh"])


def _version(row: Any) -> Version:
    return Version(row["id"], _utc(row["created_at"]), row["actor"], row["action"], row["rows"], row["located"],
                   row["filename"], row["format"], row["mapping"], row["sha256"], row["restored_from"], row["note"])


class Datasets:
    """The published versions, the state and the log, in the contributions database; each method one transaction."""

    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self.engine = prepare_engine(engine)
        self._clock = clock
        with transaction(self.engine, write=True) as conn:
            schema.migrate(conn, self._clock())

    def key(self) -> str:
        """What names the map's data (one tiny query): NONE for the server's file, else the version and its digest."""
        with transaction(self.engine) as conn:
            row = conn.execute(select(dataset_versions.c.id, dataset_versions.c.sha256).select_from(
                dataset_state.join(dataset_versions, dataset_state.c.active == dataset_versions.c.id))
                .where(dataset_state.c.id == STATE_ID)).first()
        return f"{row.id}:{row.sha256[:16]}" if row else NONE

    def active(self) -> Version | None:
        """The version the map shows, None when it shows the server's file."""
        with transaction(self.engine) as conn:
            row = conn.execute(select(*_VERSION_COLUMNS).select_from(
                dataset_state.join(dataset_versions, dataset_state.c.active == dataset_versions.c.id))
                .where(dataset_state.c.id == STATE_ID)).mappings().first()
        return _version(row) if row else None

    def versions(self) -> list[Version]:
        """Every version, the latest first."""
        with transaction(self.engine) as conn:
            rows = conn.execute(select(*_VERSION_COLUMNS).order_by(dataset_versions.c.id.desc())).mappings().all()
        return [_version(r) for r in rows]

    def content(self, version_id: int) -> bytes:
        """A version's file, as it was imported (or combined)."""
        with transaction(self.engine) as conn:
            found = conn.execute(select(dataset_versions.c.content).where(
                dataset_versions.c.id == version_id)).scalar()
        if found is None:
            raise VersionNotFound(f"Version n° {version_id} introuvable.")
        return bytes(found)

    def publish(self, data: bytes, filename: str, fmt: str, mapping: str, rows: int, located: int, actor: str,
                action: str = PUBLISHED, detail: dict | None = None, restored_from: int | None = None) -> Version:
        """Store a new version and show it on the map; the step goes to the log."""
        with transaction(self.engine, write=True) as conn:
            now = self._clock()
            key = conn.execute(insert(dataset_versions).values(
                created_at=now, actor=actor, action=action, rows=rows, located=located, filename=filename[:255],
                format=fmt, mapping=mapping, content=data, sha256=hashlib.sha256(data).hexdigest(),
                restored_from=restored_from)).inserted_primary_key
            assert key is not None  # one row inserted: its key is known
            new_id = key[0]
            conn.execute(update(dataset_state).where(dataset_state.c.id == STATE_ID).values(
                active=new_id, changed_at=now))
            said = {"fichier": filename, "lignes": rows, "placees": located, **(detail or {})}
            self._log(conn, action, actor, said, new_id, now)
            row = conn.execute(select(*_VERSION_COLUMNS).where(dataset_versions.c.id == new_id)).mappings().one()
        return _version(row)

    def restore(self, version_id: int, actor: str) -> Version:
        """Show an earlier version again, in one step: a new version that copies it."""
        found = next((v for v in self.versions() if v.id == version_id), None)
        if found is None:
            raise VersionNotFound(f"Version n° {version_id} introuvable.")
        return self.publish(self.content(version_id), found.filename, found.format, found.mapping, found.rows,
                            found.located, actor, RESTORED, {"version_restauree": version_id},
                            restored_from=version_id)

    def use_file(self, actor: str) -> None:
        """Show the server's own file again (RESEAU_MAP_PLACES); the versions stay, to restore."""
        with transaction(self.engine, write=True) as conn:
            now = self._clock()
            conn.execute(update(dataset_state).where(dataset_state.c.id == STATE_ID).values(active=None,
                                                                                             changed_at=now))
            self._log(conn, TO_FILE, actor, {}, None, now)

    def log(self, action: str, actor: str, detail: dict | None = None, version_id: int | None = None) -> None:
        """Write one step to the log (an import read, a mapping changed)."""
        with transaction(self.engine, write=True) as conn:
            self._log(conn, action, actor, detail or {}, version_id, self._clock())

    def _log(self, conn: Connection, action: str, actor: str, detail: dict, version_id: int | None,
             at: datetime) -> None:
        conn.execute(insert(dataset_log).values(at=at, action=action, actor=actor, version_id=version_id,
                                                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True)))

    def journal(self) -> list[Logged]:
        """The log, oldest first."""
        with transaction(self.engine) as conn:
            rows = conn.execute(select(dataset_log).order_by(dataset_log.c.id)).mappings().all()
        return [Logged(r["id"], _utc(r["at"]), r["action"], r["actor"], r["version_id"],
                       json.loads(r["detail"] or "{}")) for r in rows]

    # The source to refresh.
    def source(self) -> Source:
        """The source URL, its schedule and what its last refresh said."""
        with transaction(self.engine) as conn:
            row = conn.execute(select(dataset_state).where(dataset_state.c.id == STATE_ID)).mappings().one()
        return _source(row)

    def set_source(self, url: str, refresh_hours: int, actor: str, mapping: str = "") -> Source:
        """Set (or clear, with "") the source URL, its schedule (0: by hand only) and the mapping it is read with."""
        with transaction(self.engine, write=True) as conn:
            now = self._clock()
            due = now if url and refresh_hours > 0 else None
            conn.execute(update(dataset_state).where(dataset_state.c.id == STATE_ID).values(
                source_url=url, refresh_hours=max(0, int(refresh_hours)), next_refresh_at=due,
                source_mapping=mapping))
            self._log(conn, SOURCE, actor, {"url": url, "toutes_les_heures": refresh_hours}, None, now)
        return self.source()

    def claim_refresh(self) -> Source | None:
        """Take the scheduled refresh that is due, for this server alone (the others see it taken); None if none."""
        with transaction(self.engine, write=True) as conn:
            now = self._clock()
            row = conn.execute(select(dataset_state).where(dataset_state.c.id == STATE_ID)).mappings().one()
            found = _source(row)
            if not found.due(now):
                return None
            # The WHERE clause on the old value: of two servers, only one moves it.
            done = conn.execute(update(dataset_state).where(
                dataset_state.c.id == STATE_ID, dataset_state.c.next_refresh_at == row["next_refresh_at"]).values(
                next_refresh_at=now + timedelta(hours=found.refresh_hours)))
        return found if done.rowcount == 1 else None

    def refreshed(self, said: str) -> None:
        """Note what the last refresh said (its version, or why it failed)."""
        with transaction(self.engine, write=True) as conn:
            conn.execute(update(dataset_state).where(dataset_state.c.id == STATE_ID).values(
                last_refresh_at=self._clock(), last_refresh=said[:2000]))


def published_file(url: str | None = None) -> tuple[bytes, str, str] | None:
    """The map's published data as a file (its bytes, its name, its mapping's TOML), None when the map shows the
    server's own file or there is no database yet (for the command line: `export`, `publish`)."""
    from reseau_map.contrib.store import database_url, make_engine, sqlite_path

    url = url or database_url()
    path = sqlite_path(url)
    if path is not None and not path.exists():  # no database yet: nothing published, nothing created
        return None
    own = Datasets(make_engine(url))
    try:
        found = own.active()
        return (own.content(found.id), found.filename, found.mapping) if found is not None else None
    finally:
        own.engine.dispose()  # one read: no connection left behind
