"""The contributions database's health: what a visitor is told, what the operator's log says, a deleted file seen.

A missing, read-only, locked, full or unreachable database is one French sentence for the visitor
(VISITOR_MESSAGE) and one log line for the operator (the driver's reason, never the statement nor
its values: an INSERT's message quoted the visitor's e-mail). A SQLite file deleted or replaced
while the server runs is seen by its inode: SQLite would go on writing into the deleted file and
acknowledge proposals that no restart ever finds again.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from reseau_map.core.errors import DatabaseUnavailable

LOG = logging.getLogger("reseau_map.contributions")
VISITOR_MESSAGE = ("Les propositions sont momentanément indisponibles : réessayez dans quelques minutes "
                   "(votre saisie est gardée sur cette page).")
# What the driver's first line says -> what it means, for the operator's log.
CAUSES: tuple[tuple[str, str], ...] = (
    ("database is locked", "base verrouillée par un autre programme au-delà du délai d'attente"),
    ("readonly database", "base en lecture seule"),
    ("read-only", "base en lecture seule"),
    ("disk is full", "disque plein"),
    ("disk i/o error", "erreur d'entrée-sortie du disque"),
    ("unable to open database file", "fichier de la base impossible à ouvrir"),
    ("no such table", "tables absentes (base remplacée ?)"),
    ("connection refused", "serveur de base de données injoignable"),
    ("could not connect", "serveur de base de données injoignable"),
    ("server closed the connection", "connexion coupée par le serveur de base de données"),
    ("timeout", "délai dépassé"),
)


def reason(err: BaseException) -> str:
    """The driver's reason for an error, in one line, without the statement or its values."""
    orig = getattr(err, "orig", None) or err
    first = (str(orig).strip().splitlines() or [""])[0][:200]
    said = next((words for needle, words in CAUSES if needle in first.lower()), "")
    return f"{said} ({type(orig).__name__}: {first})" if said else f"{type(orig).__name__}: {first}"


def unavailable(err: BaseException, what: str) -> DatabaseUnavailable:
    """The error a page shows for a database failure; the operator's log line is written here."""
    why = reason(err)
    LOG.error("Base des contributions indisponible pendant « %s » : %s", what, why)
    return DatabaseUnavailable(VISITOR_MESSAGE, why)


def translated(err: SQLAlchemyError) -> bool:
    """Whether a database error means « unavailable » (not a constraint the caller handles itself)."""
    return isinstance(err, DBAPIError) and not isinstance(err, IntegrityError)


@dataclass
class FileWatch:
    """A SQLite file's identity (device, inode) when the store opened it: a deleted or replaced file is seen."""

    path: Path
    identity: tuple[int, int] | None

    @classmethod
    def of(cls, path: Path | None) -> FileWatch | None:
        """The watch of a SQLite file that exists (None for another database, or a URI SQLAlchemy opens itself)."""
        if path is None:
            return None
        try:
            info = os.stat(path)
        except OSError:
            return None
        return cls(Path(path), (info.st_dev, info.st_ino))

    def check(self) -> str:
        """"" while the file is the one opened, "missing" once it is gone, "replaced" when another took its name."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return "missing"
        except OSError:
            return ""  # cannot tell (a permission on the folder): SQLite itself will say
        return "" if (info.st_dev, info.st_ino) == self.identity else "replaced"

    def renew(self) -> None:
        """Take the file now at the path as the database (after a restore)."""
        info = os.stat(self.path)
        self.identity = (info.st_dev, info.st_ino)


def deleted(path: Path) -> DatabaseUnavailable:
    """The error, and the log line, for a SQLite file deleted while the server runs."""
    why = (f"fichier de la base « {path} » supprimé pendant que le serveur tourne : rien n'est plus enregistré ; "
           "restaurez-le (le serveur le reprend) ou redémarrez le serveur")
    LOG.error("Base des contributions indisponible : %s", why)
    return DatabaseUnavailable(VISITOR_MESSAGE, why)
