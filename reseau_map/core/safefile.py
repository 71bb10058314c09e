"""Writing data files safely: atomic replace, dated backups, a lock between runs, durable appends.

A spreadsheet user must never find a half-written places file: either the old bytes or the new
ones, whatever happens (disk full, size limit, a killed process, two runs at once). The lock is
filelock's (flock on POSIX, LockFileEx on Windows): the system frees it when its holder dies, so a
lock file left by a killed run never blocks the next one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import socket
import stat
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout, lock_descriptor, unlock_descriptor

from reseau_map.core.errors import DataFileError, FileBusyError, WriteError

LOCK_SUFFIX = ".lock"
LOCK_TIMEOUT_SECONDS = 30.0
LOCK_POLL_SECONDS = 0.1
APPEND_POLL_SECONDS = 0.005  # appends hold their lock for the time of one write
BACKUP_KEEP = 5
BACKUP_STAMP = "%Y-%m-%dT%H-%M-%S"  # sortable, and no ":" so that Windows shares accept it
BACKUP_SUFFIX = ".bak"
NEW_FILE_MODE = 0o666  # the umask decides, as for any file the user's tools create
# What the user is told for the errors a full or limited disk gives.
CAUSES: dict[int, str] = {
    errno.ENOSPC: "disque plein",
    errno.EFBIG: "fichier trop gros pour ce système",
    errno.EDQUOT: "quota disque dépassé",
    errno.EACCES: "permission refusée (le fichier est-il ouvert dans un tableur ?)",
    errno.EPERM: "opération non permise",
    errno.EROFS: "disque en lecture seule",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.ENOENT: "dossier introuvable",
    errno.EISDIR: "c'est un dossier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EEXIST: "un fichier porte déjà ce nom",
}

READ_CHUNK = 1 << 20
# What a file that is not a regular file is, in the user's words.
KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "un dossier"), (stat.S_ISFIFO, "un tube nommé (FIFO)"), (stat.S_ISCHR, "un périphérique"),
    (stat.S_ISBLK, "un périphérique"), (stat.S_ISSOCK, "une socket"))

# Test seam: called with the temp file's path once it is written and synced, before the rename.
before_replace: Callable[[Path], None] | None = None


def cause(err: OSError) -> str:
    """The French words for an OSError's cause (« disque plein »…)."""
    return CAUSES.get(err.errno or 0) or err.strerror or str(err)


def size_text(n: int) -> str:
    """A size the French way: « 256 Mo », « 12 Ko », « 80 octets »."""
    for unit, scale in (("Go", 1 << 30), ("Mo", 1 << 20), ("Ko", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}".replace(".", ",")
    return f"{n} octets"


def read_regular(path: Path | str, *, limit: int, what: str = "Fichier") -> bytes:
    """A regular file's bytes, at most `limit` of them; a French DataFileError for anything else.

    A FIFO would block the reader forever and /dev/zero would fill the memory: the file is opened
    without blocking and checked on its open descriptor (no race between a check and the read),
    and never more than `limit` bytes are read, whatever its size claims.
    """
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise DataFileError(f"{what} illisible : {path} ({err.strerror or err}).") from err
    try:
        mode = os.fstat(fd).st_mode
        kind = next((said for test, said in KINDS if test(mode)), None if stat.S_ISREG(mode) else "un fichier spécial")
        if kind is not None:
            raise DataFileError(f"{what} refusé : « {path} » est {kind}, pas un fichier ordinaire.")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(READ_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise DataFileError(f"{what} illisible : {path} ({err.strerror or err}).") from err
    finally:
        os.close(fd)
    if size > limit:
        raise DataFileError(f"{what} refusé : « {path} » dépasse {size_text(limit)}, la taille maximale lue.")
    return b"".join(chunks)


def atomic_write(path: Path | str, data: bytes, *, backup: bool = False, keep: int = BACKUP_KEEP,
                 follow_symlinks: bool = True) -> None:
    """Replace a file's content with data all at once; on failure the old file is left whole.

    A symlink is followed (a user's places.csv may be one) unless follow_symlinks is False: then
    the link itself is replaced by the file, and nothing outside its folder is ever written.
    """
    path = Path(path)
    if follow_symlinks and path.is_symlink():  # replace the file the link points at, not the link itself
        path = path.resolve()
    _remove_stale_temps(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    old_mode: int | None
    try:
        old_mode = (path.stat() if follow_symlinks else path.lstat()).st_mode & 0o7777
        if not follow_symlinks and stat.S_ISLNK(path.lstat().st_mode):
            old_mode = None  # a link's own mode says nothing about the file that replaces it
    except FileNotFoundError:
        old_mode = None
    except OSError as err:
        raise _write_error(path, err) from err
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
        try:
            if old_mode is not None and hasattr(os, "fchmod"):
                os.fchmod(fd, old_mode)  # the user's permissions survive the replace
            _write_all(fd, data)
            os.fsync(fd)  # the bytes are on disk before the name points at them
        finally:
            os.close(fd)
        if before_replace is not None:
            before_replace(tmp)
        if backup and old_mode is not None:
            backup_copy(path, keep=keep)
        os.replace(tmp, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _write_error(path, err) from err
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def backup_copy(path: Path, *, keep: int = BACKUP_KEEP) -> Path:
    """Keep the current file as `name.YYYY-MM-DDTHH-MM-SS.bak` beside it; prune to the keep newest."""
    stamp = datetime.now().strftime(BACKUP_STAMP)
    for n in range(100):
        target = path.with_name(f"{path.name}.{stamp}{f'-{n}' if n else ''}{BACKUP_SUFFIX}")
        try:
            os.link(path, target)  # a hard link costs nothing: the old inode stays as the backup
        except FileExistsError:
            continue
        except OSError:  # file systems without hard links (FAT, some network shares)
            if target.exists():
                continue
            try:
                shutil.copy2(path, target)
            except OSError:
                with contextlib.suppress(OSError):
                    target.unlink()  # no half backup left behind
                raise
        break
    for old in backups(path)[:-keep] if keep > 0 else backups(path):
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def backups(path: Path) -> list[Path]:
    """The dated backups of a file, oldest first."""
    path = Path(path)
    pattern = re.compile(re.escape(path.name) + r"\.(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d)(?:-(\d+))?"
                         + re.escape(BACKUP_SUFFIX))
    found = [(m, p) for p in path.parent.iterdir() if (m := pattern.fullmatch(p.name))]
    return [p for m, p in sorted(found, key=lambda mp: (mp[0][1], int(mp[0][2] or 0)))]


def append_line(path: Path | str, text: str, *, encoding: str = "utf-8", durable: bool = True) -> None:
    """Append one line to a log-like file; durable: on disk (fsync) before returning."""
    path = Path(path)
    line = text if text.endswith("\n") else text + "\n"
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, NEW_FILE_MODE)
        try:
            # The cut-line check reads the last byte: another process's append in flight must
            # not look like a cut line (it added an empty line, seen once in 30 runs).
            lock_descriptor(fd, poll_interval=APPEND_POLL_SECONDS)
            size = os.fstat(fd).st_size
            # A run killed mid-append leaves a cut last line: start a fresh line after it.
            if size and last_byte(fd, size) != b"\n":
                line = "\n" + line
            _write_all(fd, line.encode(encoding))  # one write: concurrent appends do not interleave
            if durable:
                os.fsync(fd)
            unlock_descriptor(fd)
        finally:
            os.close(fd)  # frees the lock too, if an error came first
    except OSError as err:
        raise _write_error(path, err, whole=False) from err


@contextlib.contextmanager
def file_lock(path: Path | str, *, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold `path.lock` (exclusive) while writing; another run waits, then gets a French error."""
    path = Path(path)
    lock_path = path.with_name(path.name + LOCK_SUFFIX)
    lock = FileLock(lock_path, timeout=timeout, poll_interval=LOCK_POLL_SECONDS, on_acquired=_write_holder)
    try:
        lock.acquire()
    except Timeout as err:
        raise FileBusyError(
            f"Le fichier « {path} » est en cours d'écriture par un autre programme "
            f"({_describe_holder(lock_path)}) ; attendu {timeout:g} s. Réessayez quand il aura fini "
            "(l'ancien fichier est intact)."
        ) from err
    except OSError as err:
        raise _write_error(path, err, whole=False) from err
    try:
        yield
    finally:
        lock.release()


def _write_holder(fd: int) -> None:
    # Who holds the lock, for the message a waiting run will show (filelock leaves the file to us).
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    _write_all(fd, _holder().encode("utf-8"))


def last_byte(fd: int, size: int) -> bytes:
    """The last byte of an open file of the given size (pread where the system has it)."""
    if hasattr(os, "pread"):
        return os.pread(fd, 1, size - 1)
    os.lseek(fd, size - 1, os.SEEK_SET)  # pragma: no cover - Windows
    return os.read(fd, 1)  # pragma: no cover


def _holder() -> str:
    return f"pid={os.getpid()}\nhost={socket.gethostname()}\nsince={datetime.now().isoformat(timespec='seconds')}\n"


def _describe_holder(lock_path: Path) -> str:
    try:
        fields = dict(
            line.split("=", 1) for line in lock_path.read_text(encoding="utf-8").splitlines() if "=" in line
        )
    except (OSError, UnicodeDecodeError):
        fields = {}
    if "pid" not in fields:
        return "processus inconnu"
    since = fields.get("since", "?").replace("T", " à ")
    return f"processus {fields['pid']} sur {fields.get('host', '?')}, depuis le {since}"


def _remove_stale_temps(path: Path) -> None:
    # A run killed before its rename leaves a hidden temp file named after its pid: once that
    # process is gone, the file is only litter.
    pattern = re.compile(re.escape(f".{path.name}.") + r"(\d+)\.[0-9a-f]+\.tmp")
    with contextlib.suppress(OSError):
        for entry in path.parent.iterdir():
            found = pattern.fullmatch(entry.name)
            if found and int(found[1]) != os.getpid() and not _alive(int(found[1])):
                with contextlib.suppress(OSError):
                    entry.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # someone else's process, or we cannot tell: leave its file alone
    return True


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_dir(folder: Path) -> None:
    # The rename itself must reach the disk; some file systems refuse fsync on a folder.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_error(path: Path, err: OSError, *, whole: bool = True) -> WriteError:
    tail = " ; l'ancien fichier est intact." if whole else "."
    error = WriteError(f"Impossible d'écrire « {path} » : {cause(err)}{tail}")
    error.errno = err.errno  # not filename: OSError would then rewrite the message
    return error
