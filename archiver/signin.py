"""Signing in to the published archive: who is a reader, and the settings read from the environment.

The publishing side only (`archiver serve`, the Datasette plugins): a reader signs in with
datasette-auth-passwords when ARCHIVER_PASSWORD_HASH holds a hash (`datasette hash-password`), as
ARCHIVER_USERNAME (default `reader`). Only an `{"$env": ...}` reference goes into Datasette's
configuration, never the hash. What a visitor who is not signed in may read is
archiver/public_views.py.
"""

from __future__ import annotations

import os
import re
from typing import Any

# Environment variables that configure sign-in (datasette-auth-passwords), read at serve time.
PASSWORD_ENV = "ARCHIVER_PASSWORD_HASH"
USERNAME_ENV = "ARCHIVER_USERNAME"
DEFAULT_USERNAME = "reader"
AUTH_PLUGIN = "datasette-auth-passwords"


def is_reader(actor: dict[str, Any] | None) -> bool:
    """A signed-in reader (any authenticated actor) sees private material; anonymous visitors do not."""
    return bool(actor) and isinstance(actor, dict) and bool(actor.get("id"))


def password_hash() -> str | None:
    """The reader's password hash from the environment, if it looks like one
    (`pbkdf2_sha256$iterations$salt$hash`, as `datasette hash-password` prints)."""
    value = (os.environ.get(PASSWORD_ENV) or "").strip()
    parts = value.split("$")
    if len(parts) == 4 and parts[0] == "pbkdf2_sha256" and parts[1].isdigit() and all(parts[2:]):
        return value
    return None


def username() -> str:
    """The reader's user name (ARCHIVER_USERNAME, default `reader`)."""
    name = (os.environ.get(USERNAME_ENV) or "").strip()
    return name if re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", name) else DEFAULT_USERNAME


def auth_plugin_installed() -> bool:
    """True when datasette-auth-passwords can be loaded."""
    import importlib.util

    return importlib.util.find_spec("datasette_auth_passwords") is not None


def auth_configured() -> bool:
    """True when a reader can sign in: the auth plugin is installed and a password hash is set."""
    return password_hash() is not None and auth_plugin_installed()


def auth_plugin_config() -> dict[str, Any] | None:
    """datasette-auth-passwords configuration pointing at the environment (no secret in it)."""
    if password_hash() is None:
        return None
    return {f"{username()}_password_hash": {"$env": PASSWORD_ENV}}
