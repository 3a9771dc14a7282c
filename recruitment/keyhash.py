"""Keyed hashes of the high-entropy secrets we generate ourselves (partner API keys).

A random 256-bit key needs no slow password hasher: nobody can guess it, so a keyed HMAC-SHA256 keeps a stolen
database useless (the hash key is not in it) and checks a key in microseconds, so bad requests cost the server next to
nothing. Users' API passwords keep Django's password hasher.

The hash key is `API_KEY_HASH_SECRET` (setting, from the environment) or, when that is empty, one derived from
`SECRET_KEY`; keys hashed under a retired `SECRET_KEY` still match through `SECRET_KEY_FALLBACKS` and are re-hashed on
their next use. Changing `API_KEY_HASH_SECRET` (or `SECRET_KEY` without keeping the old one as a fallback) stops every
partner API key: rotate them all afterwards.

Stored form: `hmac-sha256$<64 hex digits>`. Hashes made before (Django password hashes, such as `pbkdf2_sha256$...`)
are still accepted, at their old cost, and replaced by the keyed hash on the first successful use.
"""

import hmac

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils.crypto import salted_hmac

PREFIX = "hmac-sha256$"
_SALT = "recruitment.keyhash.api-key"
# Compared against when there is no stored hash, so a missing client costs the same as a wrong key.
_NOTHING = PREFIX + "0" * 64


def _secrets() -> list[str]:
    """The hash keys to try, newest first; hashes are made with the first."""
    if settings.API_KEY_HASH_SECRET:
        return [settings.API_KEY_HASH_SECRET]
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def _digest(raw: str, secret: str) -> str:
    return PREFIX + salted_hmac(_SALT, raw, secret=secret, algorithm="sha256").hexdigest()


def key_hash(raw: str) -> str:
    """The stored form of a new API key."""
    return _digest(raw, _secrets()[0])


def key_matches(raw: str, stored: str | None) -> tuple[bool, bool]:
    """Whether `raw` is the key behind `stored` (None: no such key), and whether `stored` should be replaced by
    `key_hash(raw)` (an older format or hash key). Constant-time in the digest comparison."""
    if stored is None or stored.startswith(PREFIX):
        target = stored or _NOTHING
        for index, secret in enumerate(_secrets()):
            if hmac.compare_digest(_digest(raw, secret), target):
                return stored is not None, index > 0
        return False, False
    matches = check_password(raw, stored)
    return matches, matches
