"""The database's health (issue 22, items 2 and 22): a French sentence for the visitor, a log line for the operator.

Missing, read-only, locked, full or unreachable: the store raises DatabaseUnavailable, whose
message is the visitor's sentence and never the statement or its values; a SQLite file deleted
while the server runs is seen, and nothing is acknowledged that was not stored.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from contrib_helpers import FakeClock

from reseau_map.contrib import health
from reseau_map.contrib import store as store_module
from reseau_map.contrib.proposal import Proposal
from reseau_map.contrib.store import Store, make_engine, open_store
from reseau_map.core.errors import DatabaseUnavailable

ROOT = Path(__file__).resolve().parents[2]
SECRET = "adresse.privee@example.org"
PLACE = Proposal(name="Le Lieu secret", type="cantine", city="Brest", contact_email=SECRET)


def said_in_log(caplog) -> str:
    return "\n".join(r.getMessage() for r in caplog.records if r.name == health.LOG.name)


def assert_unavailable(caught, caplog, why: str) -> None:
    err = caught.value
    assert str(err) == health.VISITOR_MESSAGE
    assert why in err.reason and why in said_in_log(caplog)
    for text in (str(err), err.reason, said_in_log(caplog)):  # never the statement, never its values
        assert SECRET not in text and "INSERT" not in text


def test_a_read_only_database_is_unavailable_not_a_traceback(tmp_path, caplog):
    path = tmp_path / "reseau.sqlite"
    open_store(f"sqlite:///{path}").engine.dispose()
    read_only = Store(make_engine(f"sqlite:///file:{path}?mode=ro&uri=true"))  # root ignores chmod
    caplog.set_level(logging.ERROR, health.LOG.name)
    with pytest.raises(DatabaseUnavailable) as caught:
        read_only.submit(PLACE)
    assert_unavailable(caught, caplog, "base en lecture seule")
    read_only.engine.dispose()


def test_a_database_locked_too_long_is_unavailable(tmp_path, caplog, monkeypatch):
    path = tmp_path / "reseau.sqlite"
    open_store(f"sqlite:///{path}").engine.dispose()
    monkeypatch.setattr(store_module, "SQLITE_BUSY_MS", 300)  # the real wait is 30 s
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sqlite3, sys, time
        conn = sqlite3.connect({str(path)!r}, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        print("locked", flush=True)
        time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        caplog.set_level(logging.ERROR, health.LOG.name)
        with pytest.raises(DatabaseUnavailable) as caught:
            Store(make_engine(f"sqlite:///{path}")).submit(PLACE)
        assert_unavailable(caught, caplog, "base verrouillée")
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_an_unreachable_postgresql_is_unavailable(caplog):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    caplog.set_level(logging.ERROR, health.LOG.name)
    with pytest.raises(DatabaseUnavailable) as caught:
        open_store(f"postgresql+psycopg://reseau@127.0.0.1:{port}/reseau?connect_timeout=3")
    assert_unavailable(caught, caplog, "serveur de base de données injoignable")


def test_a_full_disk_is_unavailable_and_nothing_is_stored(tmp_path):
    path = tmp_path / "reseau.sqlite"
    store = open_store(f"sqlite:///{path}")
    store.engine.dispose()
    size = max(p.stat().st_size for p in tmp_path.glob("reseau.sqlite*"))  # no file may grow past this
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import resource
        from reseau_map.contrib.proposal import Proposal
        from reseau_map.contrib.store import open_store
        from reseau_map.core.errors import DatabaseUnavailable
        store = open_store({f"sqlite:///{path}"!r})
        resource.setrlimit(resource.RLIMIT_FSIZE, ({size}, {size}))  # no byte more: a full disk
        try:
            store.submit(Proposal(name="x" * 100, type="cantine", city="Brest", description="y" * 50000))
        except DatabaseUnavailable as err:
            print("refusé :", err, "|", err.reason)
    """)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert f"refusé : {health.VISITOR_MESSAGE}" in done.stdout, done.stderr
    assert "Traceback" not in done.stderr
    assert open_store(f"sqlite:///{path}").pending() == []


def test_a_sqlite_file_deleted_under_the_server_is_seen_and_nothing_is_acknowledged(tmp_path, caplog):
    path = tmp_path / "reseau.sqlite"
    store = open_store(f"sqlite:///{path}", FakeClock())
    store.submit(PLACE)  # connections are open on the file
    for name in ("reseau.sqlite", "reseau.sqlite-wal", "reseau.sqlite-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    caplog.set_level(logging.ERROR, health.LOG.name)
    with pytest.raises(DatabaseUnavailable) as caught:
        store.submit(Proposal(name="Après la suppression", type="cantine", city="Rennes"))
    assert "supprimé pendant que le serveur tourne" in caught.value.reason
    assert str(path) in said_in_log(caplog)
    store.engine.dispose()
    # After a restart, nothing claims a proposal that was never stored.
    assert open_store(f"sqlite:///{path}").pending() == []


def test_a_sqlite_file_deleted_between_the_check_and_the_commit_is_rolled_back(tmp_path, monkeypatch):
    path = tmp_path / "reseau.sqlite"
    store = open_store(f"sqlite:///{path}")
    checks = iter(["", "missing"])  # present when the transaction begins, gone before it commits
    monkeypatch.setattr(store._watch, "check", lambda: next(checks))
    with pytest.raises(DatabaseUnavailable):
        store.submit(PLACE)
    monkeypatch.undo()
    assert store.pending() == []  # rolled back: no receipt was given for it


def test_a_restored_sqlite_file_is_taken_up(tmp_path):
    path = tmp_path / "reseau.sqlite"
    store = open_store(f"sqlite:///{path}")
    store.submit(PLACE)
    backup = tmp_path / "copie.sqlite"
    copy = sqlite3.connect(path, isolation_level=None)
    copy.execute(f"VACUUM INTO '{backup}'")
    copy.close()
    os.replace(backup, path)  # the operator restores a copy: another inode at the same name
    store.submit(Proposal(name="Après la restauration", type="cantine", city="Rennes"))
    names = [p.proposal.name for p in open_store(f"sqlite:///{path}").pending()]
    assert names == [PLACE.name, "Après la restauration"]
