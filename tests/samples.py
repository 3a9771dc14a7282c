"""Small real sample documents, built in the test run (no binary fixtures): OLE compound files (Word 97 documents, VBA
projects), Word packages (DOCX, and DOCX carrying macros under other names), PDFs and text in several encodings."""

import io
import struct
import zipfile

# --- OLE compound files (MS-CFB, version 3: 512-byte sectors) -------------------------------------------------------

_SECTOR = 512
_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
# Streams this long or longer live in ordinary sectors (the "mini stream cutoff"), so no mini stream is needed.
_MIN_STREAM = 4096


def ole_file(entries: dict[str, bytes | None]) -> bytes:
    """A compound file holding `entries`: "Macros/VBA/dir" -> bytes is a stream, "Macros" -> None a storage.

    Streams are padded to 4,096 bytes; parent storages are created as needed. olefile and olevba read the result.
    """
    nodes: dict[tuple[str, ...], bytes | None] = {}
    for path, data in entries.items():
        parts = tuple(path.split("/"))
        for depth in range(1, len(parts)):
            nodes.setdefault(parts[:depth], None)
        nodes[parts] = None if data is None else data.ljust(_MIN_STREAM, b"\x00")
    paths = [(), *sorted(nodes)]  # the root first
    index = {path: sid for sid, path in enumerate(paths)}
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = {path: [] for path in paths}
    for path in paths[1:]:
        children[path[:-1]].append(path)

    dir_sectors = -(-len(paths) // 4)
    next_sector = 1 + dir_sectors  # sector 0 holds the FAT
    starts, data_sectors = {}, []
    for path in paths[1:]:
        data = nodes[path]
        if data is not None:
            count = -(-len(data) // _SECTOR)
            starts[path] = next_sector
            data_sectors.append((next_sector, count, data))
            next_sector += count
    if next_sector > _SECTOR // 4:
        raise ValueError("sample too large for one FAT sector")

    fat = [_FREE] * (_SECTOR // 4)
    fat[0] = _FAT
    for sector in range(1, 1 + dir_sectors):
        fat[sector] = sector + 1 if sector < dir_sectors else _END
    for first, count, _ in data_sectors:
        for offset in range(count):
            fat[first + offset] = first + offset + 1 if offset < count - 1 else _END

    def entry(path: tuple[str, ...]) -> bytes:
        kids = children[path]
        name = (path[-1] if path else "Root Entry").encode("utf-16-le") + b"\x00\x00"
        kind = _ROOT if not path else (_STORAGE if nodes[path] is None else _STREAM)
        siblings = children[path[:-1]] if path else [path]
        position = siblings.index(path)
        right = index[siblings[position + 1]] if position + 1 < len(siblings) else _NONE
        child = index[kids[0]] if kids else _NONE
        data = nodes.get(path) if path else None
        start = starts.get(path, _END if not path else 0)
        size = len(data) if data is not None else 0
        return (
            name.ljust(64, b"\x00")
            + struct.pack("<HBB", len(name), kind, 1)
            + struct.pack("<III", _NONE, right, child)
            + b"\x00" * 16
            + struct.pack("<I", 0)
            + b"\x00" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = b"".join(entry(path) for path in paths)
    empty_entry = b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", _NONE, _NONE, _NONE)
    empty_entry = empty_entry.ljust(128, b"\x00")
    directory += empty_entry * (dir_sectors * 4 - len(paths))

    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, _MIN_STREAM, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    body = b"".join(struct.pack("<I", value) for value in fat) + directory
    for _, count, data in data_sectors:
        body += data.ljust(count * _SECTOR, b"\x00")
    return header + body


# A VBA project's minimum as olevba finds it (MS-OVBA 2.2.1): a PROJECT stream and a VBA storage with "dir" and
# "_VBA_PROJECT" streams.
def vba_project(root: str = "") -> dict[str, bytes]:
    prefix = f"{root}/" if root else ""
    return {
        f"{prefix}PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=AutoOpen\r\n',
        f"{prefix}VBA/dir": b"\x01" * 64,
        f"{prefix}VBA/_VBA_PROJECT": b"\xcc\x61" + b"\x00" * 62,
    }


def word_97_document(*, macros: bool = False) -> bytes:
    """A Word 97-2003 document (a "WordDocument" stream), with a VBA project under "Macros" if asked."""
    entries: dict[str, bytes | None] = {"WordDocument": b"\xec\xa5" + b"\x00" * 100, "1Table": b"\x00" * 64}
    if macros:
        entries.update(vba_project("Macros"))
    return ole_file(entries)


# --- Word packages (DOCX) -------------------------------------------------------------------------------------------

MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
VBA_PROJECT_TYPE = "application/vnd.ms-office.vbaProject"
VBA_RELATIONSHIP = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Amara Okafor, staff nurse</w:t></w:r></w:p></w:body></w:document>"
)


def _content_types(defaults: dict[str, str], overrides: dict[str, str]) -> str:
    items = "".join(f'<Default Extension="{ext}" ContentType="{ct}"/>' for ext, ct in defaults.items())
    items += "".join(f'<Override PartName="{part}" ContentType="{ct}"/>' for part, ct in overrides.items())
    return f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{CT_NS}">{items}</Types>'


def _relationships(*relationships: tuple[str, str] | tuple[str, str, str]) -> str:
    items = ""
    for number, relationship in enumerate(relationships, start=1):
        kind, target, *mode = relationship
        mode_attribute = f' TargetMode="{mode[0]}"' if mode else ""
        items += f'<Relationship Id="rId{number}" Type="{kind}" Target="{target}"{mode_attribute}/>'
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{REL_NS}">{items}</Relationships>'


def zipped(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx(
    *,
    main_type: str = MAIN,
    extra_defaults: dict[str, str] | None = None,
    extra_overrides: dict[str, str] | None = None,
    document_relationships: tuple = (),
    extra_parts: dict[str, bytes | str] | None = None,
) -> bytes:
    """A Word package: content types, package relationships, the main document and whatever else is asked for."""
    return zipped(
        _docx_entries(
            main_type=main_type,
            extra_defaults=extra_defaults,
            extra_overrides=extra_overrides,
            document_relationships=document_relationships,
            extra_parts=extra_parts,
        )
    )


def _docx_entries(
    *,
    main_type: str = MAIN,
    extra_defaults: dict[str, str] | None = None,
    extra_overrides: dict[str, str] | None = None,
    document_relationships: tuple = (),
    extra_parts: dict[str, bytes | str] | None = None,
) -> dict[str, bytes | str]:
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"}
    defaults.update(extra_defaults or {})
    overrides = {"/word/document.xml": main_type, **(extra_overrides or {})}
    entries: dict[str, bytes | str] = {
        "[Content_Types].xml": _content_types(defaults, overrides),
        "_rels/.rels": _relationships((OFFICE_DOCUMENT, "word/document.xml")),
        "word/document.xml": DOCUMENT_XML,
    }
    if document_relationships:
        entries["word/_rels/document.xml.rels"] = _relationships(*document_relationships)
    entries.update(extra_parts or {})
    return entries


def docx_with_renamed_macros() -> bytes:
    """A .docm in disguise: a normal main document type, but a VBA project part named "word/notes.dat" declared
    (by extension) with the VBA project content type and linked by a vbaProject relationship."""
    return docx(
        extra_defaults={"dat": VBA_PROJECT_TYPE},
        document_relationships=((VBA_RELATIONSHIP, "notes.dat"),),
        extra_parts={"word/notes.dat": ole_file(vba_project())},
    )


def docx_with_hidden_vba_project() -> bytes:
    """A VBA project under an innocent name and type, with no relationship: only reading its content finds it."""
    return docx(
        extra_defaults={"png": "image/png"},
        extra_parts={"word/media/image1.png": ole_file(vba_project())},
    )


# --- PDF and text ---------------------------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf_zip_polyglot() -> bytes:
    """A PDF with a ZIP archive (a DOCX) appended: a PDF reader and an unzipper each see their own document."""
    return PDF_BYTES + docx()


def zip_pdf_polyglot() -> bytes:
    """A DOCX whose first kilobyte also holds a PDF header (in a stored part), so a PDF reader opens it too."""
    return zipped({"%PDF-1.4.txt": PDF_BYTES, **_docx_entries()})


# Curly quotes, a dash and accents: the characters Windows-1252 gives bytes 0x80 to 0x9F (and beyond) to.
CV_TEXT = (
    "Zoë Müller — staff nurse, café owner\u2019s daughter.\r\nNMC registered; \u201cexcellent\u201d references.\r\n"
)
