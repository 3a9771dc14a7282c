"""Checks on uploaded candidate documents: size, type by content (never by name), and a safe file name.

What each allowed kind must be, read from its bytes:

- PDF: "%PDF-" within the first 1,024 bytes (as PDF readers accept a few stray bytes before it), those bytes being no
  other format or markup, and the file not also a ZIP archive (a PDF/ZIP polyglot).
- DOC: a valid OLE compound file (olefile) holding a "WordDocument" stream, without VBA macros (oletools' olevba).
- DOCX: an OPC package whose main part, found through `_rels/.rels`, has the Word document content type in
  `[Content_Types].xml`; no part or relationship anywhere of a macro, VBA or ActiveX type (whatever the part is
  named), no VBA project in any OLE part (olevba reads every part by content), and no external relationship other
  than hyperlinks (a remote template brings macros with it). Unpacked sizes are bounded first.
- ODT: a ZIP whose `mimetype` entry is the OpenDocument text type.
- RTF: starts with "{\\rtf".
- TXT: text in an encoding found by charset-normalizer (UTF-8 and UTF-16/32 with or without a byte order mark,
  Windows-1252 and the other single-byte encodings), with no control characters besides tabs, line and page breaks,
  and no markup (HTML, SVG, XML). It is stored re-encoded as UTF-8, so every download is UTF-8.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from xml.etree import ElementTree

import charset_normalizer
import olefile
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from oletools.olevba import VBA_Parser

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
ALLOWED_DESCRIPTION = "PDF, DOC, DOCX, ODT, RTF or TXT"
TYPE_MESSAGE = f"The selected file must be a {ALLOWED_DESCRIPTION} document."
MACRO_MESSAGE = "The selected file contains macros. Save it as a Word document without macros (.docx) or as a PDF."
REMOTE_MESSAGE = (
    "The selected file loads a template or object from the internet. Save it again as a Word document (.docx) or "
    "as a PDF."
)
MARKUP_MESSAGE = (
    "The selected file is a web page or other markup, not a text document. Save it as a PDF, a Word document or "
    "plain text."
)


@dataclass(frozen=True)
class CheckedDocument:
    """An upload that passed the checks, with the type found in its content and a clean display name."""

    file: File
    content_type: str
    original_name: str
    size: int


PDF = "application/pdf"
DOC = "application/msword"
RTF = "application/rtf"
TXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
# The extension a stored or downloaded document gets, from what its content proved it to be (never the sender's).
EXTENSIONS = {PDF: ".pdf", DOC: ".doc", RTF: ".rtf", DOCX: ".docx", ODT: ".odt", TXT: ".txt"}


class _Refused(Exception):
    """The file is refused, with the message the person uploading it sees."""

    def __init__(self, message: str = TYPE_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


# --- Markup ---------------------------------------------------------------------------------------------------------

# A declaration, comment, CDATA section or processing instruction, or an opening or closing tag: "<svg ...>",
# "</p>", "<br/>". An address in angle brackets ("<name@example.com>", "<https://...>") is not a tag.
_MARKUP = re.compile(
    r"<(?:!doctype|!--|!\[cdata\[|\?xml)|</?[a-z][\w.-]*(?::[\w.-]+)?(?:\s+[^<>]*)?/?>",
    re.IGNORECASE,
)


def _has_markup(text: str) -> bool:
    return _MARKUP.search(text) is not None


# --- PDF ------------------------------------------------------------------------------------------------------------

PDF_MAGIC = b"%PDF-"
# PDF readers accept the header anywhere in the first 1,024 bytes (Acrobat's implementation notes to ISO 32000).
PDF_HEADER_WINDOW = 1024
OLE_MAGIC = olefile.MAGIC
ZIP_MAGIC = b"PK\x03\x04"
# What the stray bytes before a PDF header must not be: another format's signature (an executable, an archive, an
# OLE or RTF document, a script).
_FOREIGN_MAGIC = (
    b"MZ",
    b"\x7fELF",
    b"PK",
    OLE_MAGIC,
    b"{\\rtf",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\xca\xfe\xba\xbe",
    b"#!",
)


def _check_pdf(body: bytes, header_at: int) -> str:
    prefix = body[:header_at]
    if prefix.lstrip().startswith(_FOREIGN_MAGIC) or _has_markup(prefix.decode("latin-1")):
        raise _Refused
    if zipfile.is_zipfile(io.BytesIO(body)):
        raise _Refused  # a PDF/ZIP polyglot: one file that opens as two different things
    return PDF


# --- Word 97-2003 (OLE) ---------------------------------------------------------------------------------------------


def _has_vba(body: bytes) -> bool:
    """Whether olevba finds a VBA project in an OLE file or in any part of a ZIP package (found by content)."""
    parser = VBA_Parser("upload", data=body)
    try:
        return parser.detect_vba_macros()
    finally:
        parser.close()


def _check_ole(body: bytes) -> str:
    try:
        with olefile.OleFileIO(io.BytesIO(body)) as ole:
            is_word = ole.exists("WordDocument") and ole.get_type("WordDocument") == olefile.STGTY_STREAM
    except (OSError, ValueError, IndexError, KeyError) as exc:
        raise _Refused from exc
    if not is_word:
        raise _Refused
    if _has_vba(body):
        raise _Refused(MACRO_MESSAGE)
    return DOC


# --- DOCX and ODT (ZIP packages) ------------------------------------------------------------------------------------

# Unpacked, a CV is small; these bound what a crafted archive (a zip bomb) can make us read.
MAX_ZIP_ENTRIES = 1000
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_XML_PART_BYTES = 1024 * 1024

_OFFICE_DOCUMENT_REL = "/officeDocument"
WORD_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Content types and relationship types of macros, VBA projects and ActiveX controls (ECMA-376, MS-OFFMACRO,
# MS-OVBA), matched as substrings, case-insensitively: macroEnabled main parts, vbaProject, vbaData,
# keyMapCustomizations (Word's macro key bindings), activeX.
_MACRO_MARKERS = ("macroenabled", "vbaproject", "vbadata", "keymapcustomizations", "activex")


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as part:
        data = part.read(MAX_XML_PART_BYTES + 1)
    if len(data) > MAX_XML_PART_BYTES:
        raise _Refused
    return data


def _parse_xml(data: bytes) -> ElementTree.Element:
    """Parse a package's XML part; a DTD (entity expansion, external entities) is never legitimate there."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise _Refused
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - bounded, DTD-free input (checked above)
    except ElementTree.ParseError as exc:
        raise _Refused from exc


def _elements(root: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    """The elements called `name` in any namespace (or none): a package that bends the schema is still read."""
    return [element for element in root.iter() if element.tag.rpartition("}")[2] == name]


def _is_macro(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in _MACRO_MARKERS)


def _loads_remote_content(relationship: ElementTree.Element) -> bool:
    """An external relationship other than a hyperlink: a remote template (which can bring macros), frame or object."""
    external = relationship.get("TargetMode", "").lower() == "external"
    return external and not relationship.get("Type", "").endswith("/hyperlink")


def _check_docx(archive: zipfile.ZipFile, names: set[str], body: bytes) -> str:
    types = _parse_xml(_read_part(archive, "[Content_Types].xml"))
    defaults = {e.get("Extension", "").lower(): e.get("ContentType", "") for e in _elements(types, "Default")}
    overrides = {e.get("PartName", "").lower(): e.get("ContentType", "") for e in _elements(types, "Override")}
    if any(_is_macro(content_type) for content_type in (*defaults.values(), *overrides.values())):
        raise _Refused(MACRO_MESSAGE)
    relationships = []
    for name in names:
        if name.lower().endswith(".rels"):
            relationships.extend(_elements(_parse_xml(_read_part(archive, name)), "Relationship"))
    if any(_is_macro(element.get("Type", "")) for element in relationships):
        raise _Refused(MACRO_MESSAGE)
    if any(_loads_remote_content(element) for element in relationships):
        raise _Refused(REMOTE_MESSAGE)
    if "_rels/.rels" not in names:
        raise _Refused
    package_rels = _elements(_parse_xml(_read_part(archive, "_rels/.rels")), "Relationship")
    main = [e.get("Target", "") for e in package_rels if e.get("Type", "").endswith(_OFFICE_DOCUMENT_REL)]
    if len(main) != 1:
        raise _Refused
    part_name = "/" + main[0].lstrip("/")
    content_type = overrides.get(part_name.lower()) or defaults.get(PurePosixPath(part_name).suffix[1:].lower(), "")
    if content_type != WORD_MAIN_TYPE or part_name[1:] not in names:
        raise _Refused
    if _has_vba(body):
        raise _Refused(MACRO_MESSAGE)
    return DOCX


def _check_zip(body: bytes) -> str:
    if PDF_MAGIC in body[: PDF_HEADER_WINDOW + len(PDF_MAGIC)]:
        raise _Refused  # a ZIP that is also a PDF
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
                raise _Refused
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" in names:
                return _check_docx(archive, names, body)
            if "mimetype" in names:
                with archive.open("mimetype") as mimetype:
                    if mimetype.read(64).strip() == ODT.encode():
                        return ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, RuntimeError, EOFError) as exc:
        raise _Refused from exc
    raise _Refused


# --- Plain text -----------------------------------------------------------------------------------------------------

# Windows' own encoding in the UK: chosen when it reads the text as well as the encoding detected.
PREFERRED_SINGLE_BYTE_ENCODING = "cp1252"
_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r\f")


def _decode_text(body: bytes) -> str:
    """The text of a plain-text file, in the encoding charset-normalizer finds (UTF-8 first)."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    results = charset_normalizer.from_bytes(body)
    best = results.best()
    if best is None:
        raise _Refused
    as_good = {best.encoding, *best.could_be_from_charset}
    as_good.update(match.encoding for match in results if match.chaos <= best.chaos)
    encoding = PREFERRED_SINGLE_BYTE_ENCODING if PREFERRED_SINGLE_BYTE_ENCODING in as_good else best.encoding
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _Refused from exc
    return text.removeprefix("\ufeff")


def _check_text(body: bytes) -> str:
    text = _decode_text(body)
    if any(unicodedata.category(ch) == "Cc" and ch not in _TEXT_CONTROLS_ALLOWED for ch in text):
        raise _Refused
    if _has_markup(text):
        raise _Refused(MARKUP_MESSAGE)
    return text


# --- The checks -----------------------------------------------------------------------------------------------------


def _sniff(body: bytes) -> tuple[str, bytes]:
    """The MIME type the bytes prove the file to be and the bytes to store; raises _Refused."""
    if body.startswith(OLE_MAGIC):
        return _check_ole(body), body
    if body.startswith(ZIP_MAGIC):
        return _check_zip(body), body
    if body.startswith(b"{\\rtf"):
        return RTF, body
    header_at = body.find(PDF_MAGIC, 0, PDF_HEADER_WINDOW + len(PDF_MAGIC))
    if header_at >= 0:
        return _check_pdf(body, header_at), body
    return TXT, _check_text(body).encode("utf-8")


def safe_display_name(name: str) -> str:
    """The last path component only, stripped of control characters: "../../etc/passwd" becomes "passwd"."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return cleaned[:200] or "document"


def check_document(file: UploadedFile, *, field: str = "cv") -> CheckedDocument:
    """Refuse empty, oversized or disallowed files with a message for the person uploading; return the checked file.

    Raises ValidationError keyed by `field`. A text file comes back re-encoded as UTF-8; other files as they came.
    """
    size = file.size or 0
    if size == 0:
        raise ValidationError({field: "The selected file is empty."})
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError({field: "The selected file must be smaller than 5 MB."})
    file.seek(0)
    body = file.read()
    file.seek(0)
    try:
        content_type, stored = _sniff(body)
    except _Refused as refused:
        raise ValidationError({field: refused.message}) from refused
    name = PurePosixPath(safe_display_name(file.name))
    original_name = f"{name.stem or 'document'}{EXTENSIONS[content_type]}"
    if stored is not body:
        file = ContentFile(stored, name=original_name)
    return CheckedDocument(file=file, content_type=content_type, original_name=original_name, size=len(stored))
