"""The e-mail to the coordination when a proposal arrives (contrib/notify.py), sent beside the page.

The visitor never waits for the mail server: the message leaves from a thread of its own, and a
failure is logged. No [smtp] in secrets.toml, nothing is sent and nothing is said.
"""

from __future__ import annotations

import threading

from reseau_map.app import connection
from reseau_map.contrib import notify
from reseau_map.contrib.proposal import Proposal
from reseau_map.files.vocabulary import Vocabulary


def tell_coordination(proposal: Proposal, receipt: str, vocab: Vocabulary) -> threading.Thread | None:
    """Send the coordination the new proposal's e-mail, in the background; the thread, None when SMTP is not set."""
    smtp = notify.smtp_settings(connection.secrets())
    if smtp is None:
        return None
    message = notify.proposal_message(smtp, proposal, receipt, {**vocab.type_labels, **vocab.status_labels})
    thread = threading.Thread(target=notify.send, args=(smtp, message), name="reseau-map-mail", daemon=True)
    thread.start()
    return thread
