"""Checks on uploaded candidate documents: size, type by content (not by name), and a safe file name."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
ALLOWED_DESCRIPTION = "PDF, DOC, DOCX, ODT, RTF or TXT"


@dataclass(frozen=True)
class CheckedDocument:
    """An upload that passed the checks, with the type found in its content and a clean display name."""

    file: UploadedFile
    content_type: str
    original_name: str
    size: int


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
# The extension a stored or downloaded document gets, from what its content proved it to be (never the sender's).
EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/rtf": ".rtf",
    DOCX: ".docx",
    ODT: ".odt",
    "text/plain": ".txt",
}
# A Word 97-2003 file is an OLE container holding a stream named "WordDocument" (its name is stored in UTF-16).
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def _sniff_zip(file: UploadedFile) -> str | None:
    """DOCX or ODT by their parts, reading only names and a few bytes (never unpacking a whole entry: zip bombs)."""
    file.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(file.read())) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as types:
                    macro_enabled = b"macroEnabled" in types.read(65536)
                return None if macro_enabled or "word/vbaProject.bin" in names else DOCX
            if "mimetype" in names:
                with archive.open("mimetype") as mimetype:
                    return ODT if mimetype.read(64).strip() == ODT.encode() else None
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    return None


def _sniff(head: bytes, file: UploadedFile) -> str | None:
    """The MIME type the file's bytes prove it to be, or None when it is none of the allowed kinds."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        file.seek(0)
        return "application/msword" if _WORD_STREAM in file.read() else None
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(file)
    file.seek(0)
    body = file.read()
    if b"\x00" in body:
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"


def safe_display_name(name: str) -> str:
    """The last path component only, stripped of control characters: "../../etc/passwd" becomes "passwd"."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return cleaned[:200] or "document"


def check_document(file: UploadedFile, *, field: str = "cv") -> CheckedDocument:
    """Refuse empty, oversized or disallowed files with a message for the person uploading; return the checked file."""
    size = file.size or 0
    if size == 0:
        raise ValidationError({field: "The selected file is empty."})
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError({field: "The selected file must be smaller than 5 MB."})
    file.seek(0)
    head = file.read(16)
    content_type = _sniff(head, file)
    file.seek(0)
    if content_type is None:
        raise ValidationError({field: f"The selected file must be a {ALLOWED_DESCRIPTION} document."})
    name = PurePosixPath(safe_display_name(file.name))
    original_name = f"{name.stem or 'document'}{EXTENSIONS[content_type]}"
    return CheckedDocument(file=file, content_type=content_type, original_name=original_name, size=size)
