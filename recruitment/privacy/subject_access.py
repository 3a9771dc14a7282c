"""Subject access: one ZIP of everything the registry finds for a person (UK GDPR Article 15).

The ZIP holds `manifest.json` (who, when, and per category its description, how many records and its file),
`<category>.json` for every registered category (an empty list where nothing was found, so the person sees what we
looked for), and `files/` with the original documents. Each category is one query read in chunks, and files are
streamed into the ZIP, so a person with many applications takes seconds.
"""

import datetime
import json
import shutil
import zipfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import FileField, Model
from django.utils import timezone

from recruitment.privacy.registry import Person, PersonalData, entries

MANIFEST = "manifest.json"


def _record(entry: PersonalData, row: Model) -> dict[str, Any]:
    """A row as plain data: every concrete field but the excluded ones (relations as ids), with the label of each
    field that has choices."""
    record: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        if field.name in entry.export_exclude:
            continue
        value = field.value_from_object(row)
        if isinstance(field, FileField):
            value = value.name
        record[field.attname if field.is_relation else field.name] = value
        if field.choices and value not in (None, ""):
            record[f"{field.name}_label"] = str(dict(field.flatchoices).get(value, value))
    if entry.describe is not None:
        record.update(entry.describe(row))
    return record


def _rows(entry: PersonalData, person: Person) -> Iterator[Model]:
    return entry.find(person).order_by("pk").iterator(chunk_size=500)


def subject_access_export(*, person: Person, out: BinaryIO) -> dict[str, int]:
    """Write the person's ZIP to `out` (a binary file open for writing); returns the record count per category.

    Reads only: nothing is changed. Files missing from storage are listed in the manifest instead of failing.
    """
    generated_at = timezone.now()
    counts: dict[str, int] = {}
    missing: list[str] = []
    manifest: dict[str, Any] = {
        "subject": {"email": person.email, "candidate_id": person.candidate.pk if person.candidate else None},
        "generated_at": generated_at,
        "categories": {},
    }
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries():
            records = []
            for row in _rows(entry, person):
                record = _record(entry, row)
                if entry.files is not None:
                    record["files"] = []
                    for name, opener in entry.files(row):
                        path = f"files/{name}"
                        if _copy_into(archive, path, opener, generated_at):
                            record["files"].append(path)
                        else:
                            missing.append(path)
                records.append(record)
            counts[entry.category] = len(records)
            document = {"category": entry.category, "description": entry.description, "records": records}
            archive.writestr(f"{entry.category}.json", json.dumps(document, cls=DjangoJSONEncoder, indent=2))
            manifest["categories"][entry.category] = {
                "description": entry.description,
                "records": len(records),
                "file": f"{entry.category}.json",
            }
        manifest["files_missing_from_storage"] = missing
        archive.writestr(MANIFEST, json.dumps(manifest, cls=DjangoJSONEncoder, indent=2))
    return counts


def _copy_into(archive: zipfile.ZipFile, path: str, opener, when: datetime.datetime) -> bool:
    """Stream one stored file into the ZIP, uncompressed (documents are mostly compressed already)."""
    try:
        source = opener()
    except FileNotFoundError:
        return False
    info = zipfile.ZipInfo(path, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with source, archive.open(info, "w") as target:
        shutil.copyfileobj(source, target, length=1024 * 1024)
    return True
