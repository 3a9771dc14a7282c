"""The streamed change export for data-lake loads: every changed application as NDJSON or CSV, in one answer.

The rows are the paged export's (`ApplicationBodies` with `export`), read by one query through one server-side
cursor (`application_change_stream`) and written a batch at a time, so memory stays flat whatever the size.
Documents are links, never contents; the equal-opportunities answers only for callers permitted to read them.
"""

import csv
from collections.abc import Iterable, Iterator

import orjson

from recruitment.api.serializers.applications import ApplicationBodies
from recruitment.models import DocumentKind
from recruitment.selectors.applications import EQUAL_OPPORTUNITIES_FIELDS
from recruitment.services.candidates import CANDIDATE_FIELDS

NDJSON_CONTENT_TYPE = "application/x-ndjson"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# Rows written per chunk of the answer: fewer, larger writes to the client.
BATCH_ROWS = 500
# OWASP's CSV injection rule: a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The paged export's objects flattened to columns, nested keys joined by "_"; a document is its link, by kind.
CSV_COLUMNS = (
    "id",
    "stage",
    "stage_label",
    "stage_changed_at",
    "submitted_at",
    "source",
    "source_name",
    "partner_client",
    *(f"candidate_{name}" for name in ("id", *CANDIDATE_FIELDS)),
    "job_reference",
    "job_title",
    "cover_letter",
    *(f"{kind}_url" for kind in DocumentKind.values),
)
CSV_EQUAL_OPPORTUNITIES_COLUMNS = tuple(f"equal_opportunities_{name}" for name in EQUAL_OPPORTUNITIES_FIELDS)


def neutralise_cell(value: str) -> str:
    """A text cell made safe from formula injection: prefixed with a single quote when it starts with `=`, `+`,
    `-`, `@`, a tab or a carriage return (OWASP, "CSV Injection")."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


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


class _Lines:
    """A file-like object whose `write` hands the line back, so csv.writer formats one row at a time."""

    def write(self, line: str) -> str:
        return line


def csv_lines(bodies: ApplicationBodies, rows: Iterable[tuple[dict, list[dict]]]) -> Iterator[bytes]:
    """A header line, then a line per application (CSV_COLUMNS, and CSV_EQUAL_OPPORTUNITIES_COLUMNS for callers
    permitted to read the answers), every text cell neutralised (`neutralise_cell`), BATCH_ROWS lines a chunk."""
    columns = CSV_COLUMNS + (CSV_EQUAL_OPPORTUNITIES_COLUMNS if bodies.with_equal_opportunities else ())
    writer = csv.writer(_Lines())
    yield writer.writerow(columns).encode()
    batch: list[str] = []
    for row, documents in rows:
        cells = _flat(bodies.body(row, documents))
        batch.append(
            writer.writerow(
                [neutralise_cell(value) if isinstance(value, str) else value for value in map(cells.get, columns)]
            )
        )
        if len(batch) == BATCH_ROWS:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


def _flat(body: dict) -> dict:
    """An export object as CSV cells by column name (nested objects' keys prefixed; documents as `<kind>_url`)."""
    cells = {key: value for key, value in body.items() if not isinstance(value, dict | list)}
    for key in ("candidate", "job", "equal_opportunities"):
        for name, value in (body.get(key) or {}).items():
            cells[f"{key}_{name}"] = value
    for document in body["documents"]:
        cells[f"{document['kind']}_url"] = document["url"]
    return cells
