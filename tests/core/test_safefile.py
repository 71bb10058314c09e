"""Safe writes: the old file stays whole on a full disk, a size limit or a killed process; locks; appends."""

import errno
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from reseau_map.core import safefile
from reseau_map.core.errors import DataFileError, FileBusyError, WriteError
from reseau_map.core.safefile import append_line, atomic_write, backups, file_lock

ROOT = Path(__file__).resolve().parents[2]
OLD = "nom;ville;latitude;longitude\r\nLa Cantine;Paris;48,8698;2,3430\r\n".encode("cp1252")
NEW = OLD + "La Cantine Toulouse;Toulouse;;\r\n".encode("cp1252") * 200


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_atomic_write_replaces_and_keeps_permissions(tmp_path) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes(OLD)
    path.chmod(0o640)
    atomic_write(path, NEW)
    assert path.read_bytes() == NEW
    assert path.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == []


def test_atomic_write_creates_a_new_file(tmp_path) -> None:
    atomic_write(tmp_path / "new.csv", b"a\n", backup=True)
    assert (tmp_path / "new.csv").read_bytes() == b"a\n"
    assert backups(tmp_path / "new.csv") == []  # nothing to back up


def test_disk_full_half_way_leaves_the_old_file_whole(tmp_path, monkeypatch) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes(OLD)
    real_write, written = os.write, [0]

    def full_disk(fd, data):
        if written[0] >= 1000:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real_write(fd, bytes(data[:500]))  # short writes, as a nearly full disk gives
        written[0] += n
        return n

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(WriteError, match=r"« .*places\.csv » : disque plein ; l'ancien fichier est intact") as caught:
        atomic_write(path, NEW, backup=True)
    monkeypatch.undo()
    assert written[0] == 1000  # it did fail half-way
    assert isinstance(caught.value, DataFileError) and isinstance(caught.value, OSError)
    assert caught.value.errno == errno.ENOSPC
    assert isinstance(caught.value.__cause__, OSError)
    assert path.read_bytes() == OLD
    assert leftovers(tmp_path) == [] and backups(path) == []


def run_python(code: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def test_real_file_size_limit_gives_the_french_message(tmp_path) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes(OLD)
    proc = run_python(f"""
        import resource
        from reseau_map.core.safefile import atomic_write
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))
        try:
            atomic_write({str(path)!r}, {NEW!r})
        except OSError as err:
            print(err)
    """)
    out, err = proc.communicate(timeout=60)
    assert "fichier trop gros pour ce système ; l'ancien fichier est intact" in out, err
    assert path.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_killed_between_write_and_rename_leaves_the_old_file(tmp_path) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes(OLD)
    proc = run_python(f"""
        import time
        from reseau_map.core import safefile
        def pause(tmp):
            print("ready", flush=True)
            time.sleep(60)
        safefile.before_replace = pause
        safefile.atomic_write({str(path)!r}, {NEW!r}, backup=True)
    """)
    with proc:  # closes its pipes
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert path.read_bytes() == OLD
    # The complete temp file is left behind (hidden); it never replaces anything by itself,
    # and the next write removes it since its process is gone.
    assert len(leftovers(tmp_path)) == 1 and backups(path) == []
    atomic_write(path, b"next\n")
    assert leftovers(tmp_path) == [] and path.read_bytes() == b"next\n"


def test_backups_are_dated_and_pruned(tmp_path) -> None:
    path = tmp_path / "places.csv"
    path.write_bytes(b"v0\n")
    for n in range(1, 5):
        atomic_write(path, f"v{n}\n".encode(), backup=True, keep=3)
    kept = backups(path)
    assert [p.read_bytes() for p in kept] == [b"v1\n", b"v2\n", b"v3\n"]  # the 3 most recent
    assert all(p.name.startswith("places.csv.20") and p.name.endswith(".bak") for p in kept)
    assert path.read_bytes() == b"v4\n"


def test_second_writer_waits_then_says_who_holds_the_lock(tmp_path) -> None:
    path = tmp_path / "places.csv"
    with file_lock(path):
        started = time.monotonic()
        with pytest.raises(FileBusyError, match=rf"processus {os.getpid()} sur .*, depuis le 20") as caught:
            with file_lock(path, timeout=0.3):
                pass
        assert time.monotonic() - started >= 0.3
        assert "en cours d'écriture" in str(caught.value)
    with file_lock(path, timeout=0):  # released
        pass


def test_a_lock_left_by_a_killed_run_does_not_block_the_next(tmp_path) -> None:
    path = tmp_path / "places.csv"
    code = f"""
        import os
        from reseau_map.core.safefile import file_lock
        with file_lock({str(path)!r}):
            print("held", flush=True)
            os._exit(9)  # killed while holding it: no release, the lock file stays behind
    """
    with run_python(code) as proc:
        assert proc.stdout.readline().strip() == "held"
        assert proc.wait(timeout=30) == 9
    held_by = path.with_name("places.csv.lock").read_text(encoding="utf-8")
    assert f"pid={proc.pid}" in held_by  # the dead holder's name is still written in it
    with file_lock(path, timeout=5):  # a FileBusyError if the dead run still held it
        assert f"pid={os.getpid()}" in path.with_name("places.csv.lock").read_text(encoding="utf-8")


def test_two_writers_under_the_lock_lose_nothing(tmp_path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(b"")

    def writer(name: str) -> None:
        for n in range(20):
            with file_lock(path, timeout=10):
                data = path.read_bytes()  # read-modify-write: the case a lock exists for
                time.sleep(0.001)
                atomic_write(path, data + f"{name}{n}\n".encode())

    threads = [threading.Thread(target=writer, args=(name,)) for name in "ab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = path.read_text().split()
    assert sorted(lines) == sorted(f"{x}{n}" for x in "ab" for n in range(20))


def test_append_line_is_durable_and_repairs_a_cut_line(tmp_path) -> None:
    path = tmp_path / "cache.csv"
    append_line(path, "a,1")
    path.write_bytes(path.read_bytes() + b"b,2,cu")  # a run killed mid-append
    append_line(path, "c,3\n")
    assert path.read_bytes() == b"a,1\nb,2,cu\nc,3\n"


def test_appends_from_two_processes_do_not_interleave(tmp_path) -> None:
    path = tmp_path / "cache.csv"
    code = """
        import sys
        from reseau_map.core.safefile import append_line
        for n in range(100):
            append_line({path!r}, sys.argv[1] * 50 + f",{{n}}")
    """
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(code.format(path=str(path))), x], cwd=ROOT)
             for x in "xy"]
    for p in procs:
        assert p.wait(timeout=60) == 0
    lines = path.read_text().splitlines()
    assert len(lines) == 200
    assert all(line in {f"{x * 50},{n}" for x in "xy" for n in range(100)} for line in lines)


def test_write_error_message_for_a_missing_folder(tmp_path) -> None:
    with pytest.raises(WriteError, match="dossier introuvable"):
        atomic_write(tmp_path / "absent" / "places.csv", b"x")
    assert safefile.cause(OSError(errno.EDQUOT, "quota")) == "quota disque dépassé"


def test_a_symlinked_file_is_written_through_the_link(tmp_path) -> None:
    real = tmp_path / "real.csv"
    real.write_bytes(OLD)
    link = tmp_path / "places.csv"
    link.symlink_to(real)
    atomic_write(link, NEW, backup=True)
    assert link.is_symlink() and real.read_bytes() == NEW
    assert [p.read_bytes() for p in backups(real)] == [OLD]
