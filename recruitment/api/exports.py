"""The streamed change export for data-lake loads: every changed application as NDJSON or CSV, in one answer.

The rows are the paged export's (`ApplicationBodies` with `export`), read by one query through one server-side
cursor (`application_change_stream`) and written a batch at a time, so memory stays flat whatever the size.
Documents are links, never contents; the equal-opportunities answers only for callers permitted to read them.
"""

import csv
import io
from collections.abc import Iterable, Iterator

import orjson

from recruitment.api.serializers.applications import (
    FLAT_COLUMNS,
    FLAT_EQUAL_OPPORTUNITIES_COLUMNS,
    ApplicationBodies,
)

NDJSON_CONTENT_TYPE = "application/x-ndjson"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Rows written per chunk of the answer: fewer, larger writes to the client.
BATCH_ROWS = 500
# OWASP's CSV injection rule: a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))


def neutralise_cells(cells: list) -> list:
    """The cells of a row made safe from formula injection: a text cell starting with `=`, `+`, `-`, `@`, a tab or
    a carriage return is prefixed with a single quote (OWASP, "CSV Injection"); other cells are left as they are."""
    return [f"'{cell}" if cell.__class__ is str and cell[:1] in FORMULA_STARTS else cell for cell in cells]


def ndjson_lines(bodies: ApplicationBodies, rows: Iterable[tuple[dict, list[dict]]]) -> Iterator[bytes]:
    """One JSON object per line (the paged export's `results` items), BATCH_ROWS lines a chunk."""
    dumps, newline = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    batch: list[bytes] = []
    for row, documents in rows:
        batch.append(dumps(bodies.body(row, documents), option=newline))
        if len(batch) == BATCH_ROWS:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)


def csv_lines(bodies: ApplicationBodies, rows: Iterable[tuple[dict, list[dict]]]) -> Iterator[bytes]:
    """A header line (FLAT_COLUMNS, and FLAT_EQUAL_OPPORTUNITIES_COLUMNS for callers permitted to read the
    answers), then a line per application (`ApplicationBodies.cells`), every text cell neutralised
    (`neutralise_cells`), BATCH_ROWS lines a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FLAT_COLUMNS + (FLAT_EQUAL_OPPORTUNITIES_COLUMNS if bodies.with_equal_opportunities else ()))
    batch: list[list] = []
    for row, documents in rows:
        batch.append(neutralise_cells(bodies.cells(row, documents)))
        if len(batch) == BATCH_ROWS:
            yield _written(writer, buffer, batch)
            batch = []
    yield _written(writer, buffer, batch)


def _written(writer, buffer: io.StringIO, batch: list[list]) -> bytes:
    """The CSV lines of `batch` (after whatever the buffer held), as UTF-8; the buffer is emptied."""
    writer.writerows(batch)
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode()
