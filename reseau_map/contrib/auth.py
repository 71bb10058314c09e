"""Who may moderate: an identity provider (st.login) when configured, else a hashed password."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

ENV_HASH = "RESEAU_MAP_MODERATION_HASH"
SECRET_HASH = "moderation_password_hash"
# scrypt's interactive-login cost (RFC 7914): ~50 ms and 16 MiB per check.
SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_BYTES, SALT_BYTES = 2**14, 8, 1, 32, 16
SCHEME = "scrypt"
LOGIN, PASSWORD, CLOSED, MISCONFIGURED = "login", "password", "closed", "misconfigured"
RESERVED = "Accès réservé à la coordination."  # what a visitor who may not moderate reads, whatever the mode
HOW_TO_ENABLE = (
    "La modération n'est pas activée sur ce serveur. Pour l'activer, au choix :\n\n"
    "1. un fournisseur d'identité : une section `[auth]` dans `.streamlit/secrets.toml` "
    "(`redirect_uri`, `cookie_secret`, `client_id`, `client_secret`, `server_metadata_url`) ;\n"
    "2. un mot de passe : lancez `python -m reseau_map hash-password`, puis copiez l'empreinte "
    f"dans `.streamlit/secrets.toml` (`{SECRET_HASH} = \"…\"`) ou dans la variable "
    f"d'environnement `{ENV_HASH}`, et relancez l'application."
)


def hash_password(password: str, salt: bytes | None = None) -> str:
    """« scrypt$n$r$p$salt$key » for a password (a fresh random salt unless one is given)."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                         dklen=KEY_BYTES)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${key.hex()}"


NOT_A_HASH = (
    "La modération est mal configurée : `" + SECRET_HASH + "` (dans `.streamlit/secrets.toml`) ou la variable "
    "`" + ENV_HASH + "` contient un mot de passe en clair à la place de son empreinte ; il n'est jamais "
    "comparé tel quel. Lancez `python -m reseau_map hash-password`, mettez l'empreinte obtenue "
    "(« scrypt$16384$8$1$… ») à sa place, puis relancez l'application."
)


def looks_like_hash(stored: str) -> bool:
    """Whether a configured value is a hash as hash_password writes it (not a password put in its place)."""
    parts = stored.strip().split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        return all(int(n) > 0 for n in parts[1:4]) and bool(bytes.fromhex(parts[4])) and bool(bytes.fromhex(parts[5]))
    except ValueError:
        return False


def verify_password(password: str, stored: str) -> bool:
    """Whether a password matches a stored hash (a malformed hash matches nothing)."""
    try:
        scheme, n, r, p, salt, key = stored.strip().split("$")
        if scheme != SCHEME:
            return False
        expected = bytes.fromhex(key)
        found = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                               p=int(p), dklen=len(expected), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found, expected)


@dataclass(frozen=True)
class Access:
    """How the moderation page is protected: « login », « password » or « closed »."""

    mode: str
    password_hash: str = ""


def login_configured(secrets_: Mapping) -> bool:
    """Whether secrets.toml configures an identity provider for st.login."""
    auth = secrets_.get("auth") or {}
    return isinstance(auth, Mapping) and bool(auth.get("redirect_uri")) and bool(auth.get("cookie_secret"))


def access(secrets_: Mapping, env: Mapping[str, str] | None = None) -> Access:
    """The protection in force: st.login first, else a password hash (secrets, then env), else closed.

    A password where its hash belongs is MISCONFIGURED: « mot de passe incorrect » forever, with no
    hint, was what the operator got; now the page says what to do and nothing is compared.
    """
    if login_configured(secrets_):
        return Access(LOGIN)
    found = str(secrets_.get(SECRET_HASH) or (os.environ if env is None else env).get(ENV_HASH, "")).strip()
    if not found:
        return Access(CLOSED)
    return Access(PASSWORD, found) if looks_like_hash(found) else Access(MISCONFIGURED)
