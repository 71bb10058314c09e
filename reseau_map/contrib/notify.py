"""An e-mail to the coordination for each new proposal, when secrets.toml says how to send one.

    [smtp]
    host = "smtp.example.org"          # required, with `to`
    port = 587                         # default: 587 (starttls), 465 (ssl), 25 (none)
    security = "starttls"              # or "ssl", or "none" (a relay on this machine)
    user = "carte@example.org"         # optional: no login without it
    password = "…"
    from = "carte@example.org"         # default: user, else « carte@<host> »
    to = ["coordination@example.org"]  # one address or a list
    site_url = "https://carte.example.org"  # optional: the message links to the moderation page

No [smtp], no e-mail and no error: moderation still works, the count on its page says what waits.
A sending that fails is logged, never shown to the visitor who proposed.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import quote

from reseau_map.contrib.proposal import LABELS, Proposal

SECTION = "smtp"
SECURITIES = {"starttls": 587, "ssl": 465, "none": 25}
TIMEOUT_S = 10
RECEIPT_PARAM = "proposition"  # the moderation page opens on this proposal: /moderation?proposition=<receipt>
SHOWN_FIELDS = ("name", "type", "status", "address", "postcode", "city", "website", "description", "source_text")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Smtp:
    """How to send: the server, its security, the login, who sends and who receives."""

    host: str
    port: int
    security: str
    sender: str
    to: tuple[str, ...]
    user: str = ""
    password: str = ""
    site_url: str = ""


def smtp_settings(secrets: Mapping) -> Smtp | None:
    """The [smtp] section of secrets.toml, None when there is none or it cannot be used (said in the log)."""
    table = secrets.get(SECTION)
    if not isinstance(table, Mapping) or not table.get("host"):
        return None
    to = table.get("to") or ()
    to = (to,) if isinstance(to, str) else tuple(str(t) for t in to)
    security = str(table.get("security", "starttls")).lower()
    try:
        port = int(table.get("port") or SECURITIES.get(security, 0))
    except (TypeError, ValueError):
        port = 0
    if not to or security not in SECURITIES or not 0 < port < 65536:
        log.warning("[%s] de secrets.toml inutilisable (to, security parmi %s, port) : aucun e-mail envoyé.",
                    SECTION, ", ".join(SECURITIES))
        return None
    user = str(table.get("user", ""))
    sender = str(table.get("from") or user or f"carte@{table['host']}")
    return Smtp(str(table["host"]), port, security, sender, to, user, str(table.get("password", "")),
                str(table.get("site_url", "")).rstrip("/"))


def proposal_message(smtp: Smtp, proposal: Proposal, receipt: str,
                     labels: Mapping[str, str] | None = None) -> EmailMessage:
    """The e-mail that says a proposal waits: what it says (never the contact e-mail) and where to moderate it.

    `labels`: the vocabulary's labels of the proposal's type and status, by id.
    """
    labels = labels or {}
    where = proposal.city or proposal.postcode
    message = EmailMessage()
    message["Subject"] = (f"Nouvelle proposition : {proposal.name}" + (f" ({where})" if where else "")
                          + f" — n° {receipt}")
    message["From"] = smtp.sender
    message["To"] = ", ".join(smtp.to)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=smtp.host)
    lines = [f"Une proposition attend la modération (n° {receipt}).", ""]
    for name in SHOWN_FIELDS:
        value = str(getattr(proposal, name) or "")
        if value:
            lines.append(f"{LABELS[name]} : {labels.get(value, value) if name in ('type', 'status') else value}")
    lines.append("E-mail de contact : " + ("donné, lisible sur la page de modération" if proposal.contact_email
                                           else "non donné"))
    lines.append("")
    if smtp.site_url:
        lines.append(f"La modérer : {smtp.site_url}/moderation?{RECEIPT_PARAM}={quote(receipt)}")
    else:
        lines.append("La modérer : page « Modération » de la carte.")
    message.set_content("\n".join(lines) + "\n")
    return message


def send(smtp: Smtp, message: EmailMessage, timeout: float = TIMEOUT_S) -> bool:
    """Send one e-mail; whether it left (a failure is logged with its reason, never raised)."""
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.user:
                client.login(smtp.user, smtp.password)
            client.send_message(message)
        return True
    except (OSError, smtplib.SMTPException) as err:  # OSError: refused, unreachable, timed out, TLS
        log.warning("E-mail de proposition non envoyé à %s:%s (%s : %s).", smtp.host, smtp.port,
                    type(err).__name__, err)
        return False
