"""Subject access: one ZIP with a JSON document per registered category and the original files."""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recruitment.models import Application, ApplicationDocument
from recruitment.privacy.registry import Person, entries
from recruitment.privacy.subject_access import MANIFEST, subject_access_export
from tests.factories import PDF_BYTES, DataScopeFactory, StaffUserFactory, SuperUserFactory
from tests.privacy.conftest import inbound_event, person_with_data_everywhere, someone_else

pytestmark = pytest.mark.django_db


def export(person: Person) -> tuple[zipfile.ZipFile, dict[str, int]]:
    out = io.BytesIO()
    counts = subject_access_export(person=person, out=out)
    return zipfile.ZipFile(io.BytesIO(out.getvalue())), counts


def test_every_registered_category_is_in_the_zip_with_the_persons_records_and_files():
    candidate = person_with_data_everywhere(applications=3)
    someone_else()

    archive, counts = export(Person.by_email("amara.okafor@example.com"))

    categories = [entry.category for entry in entries()]
    assert sorted(archive.namelist()) == sorted(
        [
            MANIFEST,
            *(f"{category}.json" for category in categories),
            *(name for name in archive.namelist() if name.startswith("files/")),
        ]
    )
    documents = {category: json.loads(archive.read(f"{category}.json")) for category in categories}
    assert {category: len(document["records"]) for category, document in documents.items()} == counts
    assert counts == {
        "candidate": 1,
        "applications": 4,  # three rejected, one at pre-employment checks with the DBS check
        "documents": 3,
        "application_history": 6,  # per rejected application: "Applied" and the rejection
        "equal_opportunities": 3,
        "dbs_checks": 1,
        "dbs_check_history": 1,
        "dbs_check_views": 1,
        "legal_holds": 1,
        "partner_api_answers": 1,
        "board_events": 3,
        "board_calls": 1,
        "sandbox_applications": 1,
        "sandbox_webhooks": 1,
    }
    assert documents["candidate"]["records"][0]["email"] == candidate.email
    assert documents["applications"]["records"][0]["stage_label"] == "Rejected"
    assert {record["candidate_id"] for record in documents["applications"]["records"]} == {candidate.pk}
    first = Application.objects.filter(candidate=candidate).order_by("pk").select_related("vacancy").first()
    assert documents["applications"]["records"][0]["job_reference"] == first.vacancy.reference
    assert documents["applications"]["records"][0]["job_title"] == first.vacancy.title_for_candidates
    assert "viewer_username" not in documents["dbs_check_views"]["records"][0]
    assert "request_fingerprint" not in documents["partner_api_answers"]["records"][0]
    assert "cv" not in documents["sandbox_applications"]["records"][0]

    for record in documents["documents"]["records"]:
        [path] = record["files"]
        assert archive.read(path) == PDF_BYTES
    [sandbox_cv] = documents["sandbox_applications"]["records"][0]["files"]
    assert archive.read(sandbox_cv) == b"%PDF-1.4 sandbox cv"
    manifest = json.loads(archive.read(MANIFEST))
    assert manifest["subject"] == {"email": "amara.okafor@example.com", "candidate_id": candidate.pk}
    assert set(manifest["categories"]) == set(categories)
    assert manifest["files_missing_from_storage"] == []


def test_someone_known_only_from_a_board_event_gets_that_event():
    inbound_event(event_id="evt_lost", email="never.applied@example.com")

    archive, counts = export(Person.by_email("Never.Applied@example.com"))

    assert counts["board_events"] == 1
    assert counts["candidate"] == 0
    assert counts["applications"] == 0
    assert json.loads(archive.read("applications.json"))["records"] == []


def test_a_file_missing_from_storage_is_listed_not_fatal():
    candidate = person_with_data_everywhere(applications=1)
    document = ApplicationDocument.objects.get(application__candidate=candidate)
    document.file.storage.delete(document.file.name)

    archive, counts = export(Person.of(candidate))

    assert counts["documents"] == 1
    [missing] = json.loads(archive.read(MANIFEST))["files_missing_from_storage"]
    assert missing.startswith(f"files/applications/{document.application_id}/")


def test_the_export_costs_the_same_queries_for_many_applications_as_for_few():
    few = person_with_data_everywhere(applications=2)
    with CaptureQueriesContext(connection) as for_few:
        export(Person.of(few))
    many = person_with_data_everywhere(applications=40, tag="2")
    many_person = Person.of(many)
    with CaptureQueriesContext(connection) as for_many:
        _, counts = export(many_person)
    assert counts["applications"] == 41
    assert len(for_many) == len(for_few)


def test_the_command_writes_the_zip(tmp_path, capsys):
    candidate = person_with_data_everywhere(applications=1)
    target = tmp_path / "sar.zip"

    call_command("privacy_export", "--candidate", str(candidate.pk), "--output", str(target))

    assert f"{entries()[0].category}.json" in zipfile.ZipFile(target).namelist()
    assert "applications: 2" in capsys.readouterr().out


def test_the_admin_action_downloads_the_zip_for_permitted_users_only(client):
    candidate = person_with_data_everywhere(applications=1)
    changelist = reverse("admin:recruitment_candidate_changelist")
    form = {"action": "export_personal_data", "_selected_action": [candidate.pk]}

    client.force_login(SuperUserFactory())
    response = client.post(changelist, form)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"subject-access-candidate-{candidate.pk}-" in response["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert "candidate.json" in names
    assert MANIFEST in names

    viewer = StaffUserFactory()
    DataScopeFactory(user=viewer, all_divisions=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_candidate"))
    client.force_login(viewer)
    refused = client.post(changelist, form)
    assert refused.status_code == 200
    assert refused.get("Content-Type", "").startswith("text/html")

    viewer.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    client.force_login(viewer)
    assert client.post(changelist, form)["Content-Type"] == "application/zip"
