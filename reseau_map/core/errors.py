"""One error family for the project; each member also inherits the built-in it resembles."""


class ReseauMapError(Exception):
    """Root of every error this package raises on purpose."""


class DataFileError(ReseauMapError, OSError):
    """A data file is missing, unreadable or not in a format we accept."""


class WriteError(DataFileError):
    """A data file could not be written; its previous version is left whole."""


class FileBusyError(DataFileError, TimeoutError):
    """Another run holds a data file's lock for longer than we wait."""


class RowError(ReseauMapError, ValueError):
    """One row of a places file has a bad value (row, column, value and reason are kept)."""

    def __init__(self, row: int, column: str, value: object, reason: str) -> None:
        self.row, self.column, self.value, self.reason = row, column, value, reason
        super().__init__(row_message(row, column, value, reason))


class GeocodingError(ReseauMapError, RuntimeError):
    """An online geocoder failed (timeout, refusal, quota); the offline chain goes on."""


class UsageError(ReseauMapError, ValueError):
    """A command was given a value it cannot use (an unknown region, a bad option)."""


class PlaceNotFound(ReseauMapError, LookupError):
    """A place name is not in the offline gazetteer (close suggestions are kept)."""

    def __init__(self, query: str, suggestions: list[str] | None = None) -> None:
        self.query, self.suggestions = query, list(suggestions or [])
        super().__init__(not_found_message(query, self.suggestions))


def row_message(row: int, column: str, value: object, reason: str) -> str:
    """The French sentence shown for a bad row, by the page and the CLI alike."""
    shown = "(vide)" if value is None or str(value).strip() == "" else f"« {value} »"
    return sentence(f"Ligne {row}, colonne « {column} » : valeur {shown} — {reason}")


def file_message(column: str, value: object, reason: str) -> str:
    """The French sentence for a finding about the whole file (a column, a decision), not one row."""
    shown = f" (ex. « {value} »)" if value is not None and str(value).strip() else ""
    return sentence(f"Colonne « {column} »{shown} : {reason}" if column else reason)


def sentence(text: str) -> str:
    """The text with a final full stop, unless it already ends a sentence (« … ? »)."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


def not_found_message(query: str, suggestions: list[str], what: str = "Lieu") -> str:
    """The French sentence shown when a place name is not found offline, with suggestions."""
    text = f"{what} « {query} » introuvable hors ligne"
    if suggestions:
        text += " ; vouliez-vous dire : " + ", ".join(suggestions[:5]) + " ?"
    return sentence(text)


class ProposalError(ReseauMapError, LookupError):
    """A proposal cannot be decided: it does not exist or was already accepted or refused."""


class ImportRefused(DataFileError):
    """A file offered for import is refused before it changes anything (too big, not a list of places)."""


class VersionNotFound(ReseauMapError, LookupError):
    """A published version of the map's data does not exist."""


class SourceError(ReseauMapError, ConnectionError):
    """The data's source URL could not be fetched (refused, unreachable, too big, not HTTP)."""


class DatabaseUnavailable(ReseauMapError, ConnectionError):
    """The contributions database cannot be used now (missing, read-only, locked, unreachable); nothing was stored."""

    def __init__(self, message: str, reason: str = "") -> None:
        self.reason = reason  # what the operator's log says, never shown to a visitor
        super().__init__(message)


class RateLimited(ReseauMapError, RuntimeError):
    """Too many proposals from one address or from everyone: wait, then try again."""

    def __init__(self, message: str, wait_s: float) -> None:
        self.wait_s = wait_s
        super().__init__(message)
