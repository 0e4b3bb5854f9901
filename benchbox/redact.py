"""What counts as a secret, in one place: secret-named keys, URL passwords and URL tokens.

The checks are plain regular expressions so that the command-line preflight can use
them without importing pydantic, and the spec's error messages and the recorded
overrides use the same rules.
"""

from __future__ import annotations

import re

_SECRET_KEY = re.compile(r"(password|passwd|secret|token|api_key|credential)", re.IGNORECASE)
_REFERENCE_SUFFIXES = ("_env", "_file")
"""``password_env`` and ``password_file`` hold where a secret is, never the secret."""
_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")
_URL_TOKEN = re.compile(r"(;\s*token\s*=)[^;]*", re.IGNORECASE)


def mentions_secret(key: str) -> bool:
    """Whether a key's name mentions a secret, ``password_env`` included: its value is masked
    wherever benchbox echoes or records it (someone may have put the password itself there)."""
    return bool(_SECRET_KEY.search(key.rpartition(".")[2]))


def is_secret_key(key: str) -> bool:
    """Whether a key's value is a secret itself, so the command line must not carry it."""
    return mentions_secret(key) and not key.lower().endswith(_REFERENCE_SUFFIXES)


def redact_text(value: str) -> str:
    """The value with any URL password and any ``;token=`` parameter masked."""
    return _URL_TOKEN.sub(r"\1***", _URL_PASSWORD.sub(r"\1***@", value))


def holds_secret(key: str, value: str) -> bool:
    """Whether ``key=value`` carries a secret (by the key's name or inside a URL)."""
    return is_secret_key(key) or redact_text(value) != value


def redact_override(override: str) -> str:
    """``a.password=x`` -> ``a.password=***``; a URL's password or token -> ``***``."""
    key, sep, value = override.partition("=")
    if not sep:
        return override
    return f"{key}=***" if mentions_secret(key) else f"{key}={redact_text(value)}"
