"""The tables of the published datasets (contrib/datasets.py), and the migration step that builds them.

Kept apart from contrib/schema.py, whose MIGRATIONS list calls `create_dataset_tables` once: a
version is immutable (its file, its mapping, who, when, how many rows), `dataset_state` is one row
saying which version the map shows and the source to refresh, `dataset_log` is append-only.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

metadata = MetaData()

dataset_versions = Table(
    "dataset_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(20), nullable=False),  # how the version came: publiee, ajout, restauree, actualisee
    Column("rows", Integer, nullable=False),
    Column("located", Integer, nullable=False),
    Column("filename", String(255), nullable=False),
    Column("format", String(20), nullable=False, server_default=""),
    Column("mapping", Text, nullable=False, server_default=""),  # the mapping file's TOML, "" for none
    Column("content", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("restored_from", Integer, nullable=True),
    Column("note", Text, nullable=False, server_default=""),
)

STATE_ID = 1  # dataset_state has this one row
dataset_state = Table(
    "dataset_state", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("active", Integer, ForeignKey("dataset_versions.id"), nullable=True),  # None: the server's file
    Column("changed_at", DateTime(timezone=True), nullable=True),
    Column("source_url", Text, nullable=False, server_default=""),
    Column("refresh_hours", Integer, nullable=False, server_default="0"),  # 0: by hand only
    Column("source_mapping", Text, nullable=False, server_default=""),  # the mapping (TOML) the source is read with
    Column("next_refresh_at", DateTime(timezone=True), nullable=True),
    Column("last_refresh_at", DateTime(timezone=True), nullable=True),
    Column("last_refresh", Text, nullable=False, server_default=""),  # what the last refresh said
)

dataset_log = Table(
    "dataset_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("action", String(30), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("version_id", Integer, nullable=True),
    Column("detail", Text, nullable=False, server_default=""),
)

_SQLITE_APPEND_ONLY = [
    "CREATE TRIGGER dataset_log_no_update BEFORE UPDATE ON dataset_log "
    "BEGIN SELECT RAISE(ABORT, 'dataset_log is append-only'); END",
    "CREATE TRIGGER dataset_log_no_delete BEFORE DELETE ON dataset_log "
    "BEGIN SELECT RAISE(ABORT, 'dataset_log is append-only'); END",
    "CREATE TRIGGER dataset_versions_no_update BEFORE UPDATE ON dataset_versions "
    "BEGIN SELECT RAISE(ABORT, 'dataset_versions are immutable'); END",
]
_PG_APPEND_ONLY = [
    "CREATE FUNCTION dataset_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$",
    "CREATE TRIGGER dataset_log_append_only BEFORE UPDATE OR DELETE ON dataset_log "
    "FOR EACH ROW EXECUTE FUNCTION dataset_append_only()",
    "CREATE TRIGGER dataset_versions_immutable BEFORE UPDATE ON dataset_versions "
    "FOR EACH ROW EXECUTE FUNCTION dataset_append_only()",
]


def create_dataset_tables(conn: Connection) -> None:
    """Migration step: the three tables, the state's one row, and the database refusing to rewrite history."""
    metadata.create_all(conn)
    conn.execute(dataset_state.insert().values(id=STATE_ID))
    for statement in {"sqlite": _SQLITE_APPEND_ONLY, "postgresql": _PG_APPEND_ONLY}.get(conn.dialect.name, []):
        conn.execute(text(statement))
