"""Which of a partner's columns are private: never shown on a card, never exported, never published.

E-mail addresses and personal contacts are private by default: a column whose header names them
(« Courriel », « Contact référent », « Prénom du responsable ») or whose values are mostly e-mail
addresses. A mapping file (`[private] columns = [...]`) or the network file
(`[vocabulary] private_columns = [...]`) marks more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd

from reseau_map.core.text import fold
from reseau_map.files import content

# Words of a header that says a column holds a person's or a mailbox's details (folded).
PRIVATE_WORDS = frozenset({"mail", "email", "mails", "emails", "courriel", "courriels", "contact", "contacts",
                           "referent", "referente", "responsable", "prenom", "interlocuteur", "interlocutrice",
                           "gestionnaire", "porteur", "porteuse", "personne", "portable", "mobile", "perso",
                           "personnel", "personnelle", "nom du contact", "password", "mot de passe"})
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-zA-Z]{2,}$")
EMAIL_SHARE = 0.5


def private_by_name(header: str) -> bool:
    """Whether a header names e-mails or personal contacts (« E-mail », « Tél. portable du référent »)."""
    folded = fold(header)
    words = set(folded.split())
    return bool(words & PRIVATE_WORDS) or "e mail" in f" {folded} "


def private_columns(df: pd.DataFrame, columns: Sequence[str], marked: Iterable[str] = ()) -> tuple[str, ...]:
    """The private ones of a frame's partner columns: by header, by values (e-mails), or marked (compared folded)."""
    wanted = {fold(m) for m in marked}
    return tuple(c for c in columns if fold(c) in wanted or private_by_name(c)
                 or content.share(df[c].astype(str), lambda v: bool(EMAIL.match(v))) >= EMAIL_SHARE
                 and bool(content.values(df[c].astype(str))))
