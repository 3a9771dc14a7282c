"""CVs held between a refused careers application and the next try, so nobody has to select their file again.

When the apply form comes back with an error in another field, the CV that passed its checks is kept in the private
storage (outside any URL) under `held/<random name>`, and the form carries a signed token naming it (Django's
signing with a timestamp, salted for this use: it cannot be forged or pointed at another file). On the next submit
the token brings the file back, checked again by content like any upload; choosing a new file replaces it.

Where and how long: `held/` of the "private" storage (PRIVATE_MEDIA_ROOT, var/private/ by default), at most
HELD_UPLOAD_MINUTES (60). A held file is deleted once its application is made (after the commit); an older one is
refused ("select your CV again") and deleted by `held_uploads_sweep`, which every careers submission runs, and the
daily personal-data retention task too, for quiet sites; one replaced by a newly chosen file is left to the sweep.
The file holds personal data that never reached the database: nothing else points at it.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from recruitment.uploads import CheckedDocument, check_document

FOLDER = "held"
_SALT = "recruitment.careers.held-cv"
EXPIRED_MESSAGE = "Your CV was kept for an hour and has been removed. Select your CV again."
UNKNOWN_MESSAGE = "Your CV could not be found. Select your CV again."


@dataclass(frozen=True)
class HeldUpload:
    """A held file: the token the form carries, and what the page shows of it."""

    token: str
    original_name: str
    size: int


def _storage():
    return storages["private"]


def _max_age() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.HELD_UPLOAD_MINUTES)


def held_upload_keep(document: CheckedDocument) -> HeldUpload:
    """Store a checked document under a random name and return the signed token that brings it back."""
    document.file.seek(0)
    name = _storage().save(f"{FOLDER}/{secrets.token_hex(16)}.bin", ContentFile(document.file.read()))
    document.file.seek(0)
    token = signing.dumps({"path": name, "name": document.original_name, "size": document.size}, salt=_SALT)
    return HeldUpload(token=token, original_name=document.original_name, size=document.size)


def _payload(token: str) -> dict:
    try:
        return signing.loads(token, salt=_SALT, max_age=_max_age())
    except signing.SignatureExpired as exc:
        raise ValidationError(EXPIRED_MESSAGE, code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(UNKNOWN_MESSAGE, code="unknown") from exc


def held_upload_describe(token: str) -> HeldUpload:
    """What a token holds (name and size), without reading the file; ValidationError if expired or unknown."""
    payload = _payload(token)
    if not _storage().exists(payload["path"]):
        raise ValidationError(UNKNOWN_MESSAGE, code="unknown")
    return HeldUpload(token=token, original_name=payload["name"], size=payload["size"])


def held_upload_claim(token: str) -> tuple[CheckedDocument, str]:
    """The held document, checked again by content (`check_document`), and its storage path (for
    `held_upload_release`). Raises ValidationError for an expired, unknown or tampered token."""
    payload = _payload(token)
    storage = _storage()
    if not payload["path"].startswith(f"{FOLDER}/") or not storage.exists(payload["path"]):
        raise ValidationError(UNKNOWN_MESSAGE, code="unknown")
    with storage.open(payload["path"], "rb") as handle:
        body = handle.read()
    document = check_document(SimpleUploadedFile(payload["name"], body), field="cv")
    return document, payload["path"]


def held_upload_release(path: str) -> None:
    """Delete a held file (its application is made); a missing one is fine."""
    if path.startswith(f"{FOLDER}/"):
        _storage().delete(path)


def held_uploads_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete every held file older than HELD_UPLOAD_MINUTES; returns how many went."""
    storage = _storage()
    if not storage.exists(FOLDER):
        return 0
    cutoff = (now or timezone.now()) - _max_age()
    removed = 0
    for name in storage.listdir(FOLDER)[1]:
        path = f"{FOLDER}/{name}"
        try:
            if storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed += 1
        except FileNotFoundError:
            continue  # removed meanwhile by another request
    return removed
