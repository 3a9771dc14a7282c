"""Encryption of board credentials at rest (Fernet: AES-128-CBC with an HMAC).

The key is `BOARD_CREDENTIALS_KEY` (a Fernet key, for operators who rotate it apart from SECRET_KEY) or else
derived from SECRET_KEY with HKDF, so a fresh machine works with nothing to configure. Changing the key makes stored
credentials unreadable: they must be entered again (the admin says so).
"""

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@functools.cache
def _fernet(secret_key: str, configured_key: str) -> Fernet:
    if configured_key:
        return Fernet(configured_key.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"boards.credentials", info=b"board-credentials-v1")
    return Fernet(base64.urlsafe_b64encode(derived.derive(secret_key.encode())))


def _current() -> Fernet:
    return _fernet(settings.SECRET_KEY, settings.BOARD_CREDENTIALS_KEY)


def encrypt(plaintext: str) -> str:
    """A token safe to store; empty in, empty out."""
    return _current().encrypt(plaintext.encode()).decode() if plaintext else ""


def decrypt(token: str) -> str:
    """The plaintext, or "" when there is none or the key has changed since it was stored."""
    if not token:
        return ""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""
