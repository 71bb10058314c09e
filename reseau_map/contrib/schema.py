"""The contributions database: tables, and the versioned migrations that build them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    inspect,
    select,
    text,
)

from reseau_map.contrib.dataset_tables import create_dataset_tables
from reseau_map.contrib.proposal import MAX_LENGTHS, PENDING

# Any constant will do: it only has to be the same for every server migrating the same database.
PG_MIGRATION_LOCK = 0x7265736561  # "resea"

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(200), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


def _text(name: str) -> Column:
    return Column(name, String(MAX_LENGTHS[name]), nullable=False, server_default="")


proposals = Table(
    "proposals", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("receipt", String(16), nullable=False, unique=True),
    # The moderation state; `status` below is the place's own (a status of the network's vocabulary).
    Column("state", String(12), nullable=False, index=True, server_default=PENDING),
    _text("name"), _text("type"), _text("status"), _text("address"), _text("postcode"), _text("city"),
    _text("insee"),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    _text("precision"), _text("website"),
    Column("description", Text, nullable=False, server_default=""),
    Column("source_text", Text, nullable=False, server_default=""),
    _text("contact_email"),  # private: never shown to the public, never exported
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=True),
    Column("reviewer", String(200), nullable=False, server_default=""),
    Column("comment", Text, nullable=False, server_default=""),
    Column("session_hash", String(64), nullable=False, server_default=""),
    Column("client_hash", String(64), nullable=False, server_default=""),  # since migration 4
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("proposal_id", Integer, ForeignKey("proposals.id"), nullable=False, index=True),
    Column("action", String(20), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
)


# A token bucket per key (« adresse:… », « tout »): in the database, so that it holds across servers.
rate_buckets = Table(
    "rate_buckets", metadata,
    Column("key", String(80), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated_at", Float, nullable=False),  # seconds since the epoch
)

# Failed moderation logins per key (« session:… », « adresse:… »): the delay and the lockout.
login_attempts = Table(
    "login_attempts", metadata,
    Column("key", String(80), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure", Float, nullable=False),
    Column("locked_until", Float, nullable=False, server_default="0"),
)


def _create_tables(conn: Connection) -> None:
    metadata.create_all(conn, tables=[proposals, audit_log])


_SQLITE_APPEND_ONLY = [
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
]
_PG_APPEND_ONLY = [
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
]


def _append_only_audit(conn: Connection) -> None:
    # The database itself refuses to rewrite history, whatever code connects to it.
    statements = {"sqlite": _SQLITE_APPEND_ONLY, "postgresql": _PG_APPEND_ONLY}.get(conn.dialect.name, [])
    for statement in statements:
        conn.execute(text(statement))


# PostgreSQL: TRUNCATE skips row triggers, so a statement trigger refuses it; DROP TABLE (and
# dropping the triggers) is refused by an event trigger, which only a superuser may create: for
# another role the README says to run the app as a role that does not own the tables. SQLite has
# no trigger on DROP: every connection the app opens refuses it (store.sqlite_authorizer).
_PG_NO_TRUNCATE = [
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
]
_PG_NO_DROP = [
    "CREATE FUNCTION audit_log_no_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF EXISTS (SELECT 1 FROM pg_event_trigger_dropped_objects() WHERE object_identity LIKE '%audit_log%' "
    "OR object_identity LIKE '%audit_log_append_only%') "
    "THEN RAISE EXCEPTION 'audit_log is append-only'; END IF; END $$",
    "CREATE EVENT TRIGGER audit_log_no_drop ON sql_drop EXECUTE FUNCTION audit_log_no_drop()",
    # ALTER TABLE audit_log (rename, disable its trigger…): the table is the one the trigger guards.
    "CREATE FUNCTION audit_log_no_alter() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF EXISTS (SELECT 1 FROM pg_event_trigger_ddl_commands() c JOIN pg_trigger t ON t.tgrelid = c.objid "
    "WHERE t.tgname = 'audit_log_append_only') THEN RAISE EXCEPTION 'audit_log is append-only'; END IF; END $$",
    "CREATE EVENT TRIGGER audit_log_no_alter ON ddl_command_end WHEN TAG IN ('ALTER TABLE') "
    "EXECUTE FUNCTION audit_log_no_alter()",
]


def _audit_survives_truncate_and_drop(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return  # SQLite: refused by the connection's authorizer, which needs nothing stored
    for statement in _PG_NO_TRUNCATE:
        conn.execute(text(statement))
    superuser = conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
    if superuser:
        for statement in _PG_NO_DROP:
            conn.execute(text(statement))


def _abuse_limits(conn: Connection) -> None:
    # Who sent a proposal (a digest of the address), for the moderation queue's filters and bulk refusal.
    # A database made by this version's first step already has the column (tables are made as they are now).
    if "client_hash" not in {c["name"] for c in inspect(conn).get_columns("proposals")}:
        conn.execute(text("ALTER TABLE proposals ADD COLUMN client_hash VARCHAR(64) NOT NULL DEFAULT ''"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_proposals_client_hash ON proposals (client_hash)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_proposals_created_at ON proposals (created_at)"))
    metadata.create_all(conn, tables=[rate_buckets, login_attempts])


# (version, description, step): append only; a released step is never edited.
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "proposals and audit_log tables", _create_tables),
    (2, "audit_log refuses UPDATE and DELETE", _append_only_audit),
    (3, "audit_log refuses TRUNCATE and DROP", _audit_survives_truncate_and_drop),
    (4, "proposals' sender, rate buckets, login attempts", _abuse_limits),
    (5, "published datasets: versions, state, log", create_dataset_tables),
)
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    """The schema version of a database (0 when it is empty)."""
    if not conn.dialect.has_table(conn, schema_version.name):
        return 0
    return conn.execute(select(func.max(schema_version.c.version))).scalar() or 0


def migrate(conn: Connection, now: datetime | None = None) -> int:
    """Apply the missing migrations inside the caller's transaction; return the new version."""
    if conn.dialect.name == "postgresql":
        # Two servers starting at once: the second waits, then finds nothing left to do.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
    schema_version.create(conn, checkfirst=True)
    done = current_version(conn)
    for version, description, step in MIGRATIONS:
        if version > done:
            step(conn)
            conn.execute(insert(schema_version).values(
                version=version, description=description, applied_at=now or datetime.now(UTC)))
    return max(done, LATEST)
