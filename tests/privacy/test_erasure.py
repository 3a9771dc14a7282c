"""Erasure on request: the registry's erasers for everything found for one person, refused while a legal hold is on
or an offer is in progress."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from boards.models import InboundEvent, PublishAttempt
from boards.sandbox.models import SandboxApplication, SandboxDelivery
from recruitment.errors import DomainError
from recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationStage,
    ApplicationStageChange,
    Candidate,
    DbsCheck,
    DbsCheckEvent,
    DbsViewLog,
    EqualOpportunities,
    IdempotencyRecord,
    LegalHold,
    RemovalAudit,
)
from recruitment.privacy.erasure import WITHDRAWN_NOTE, ErasureRefused, personal_data_erase
from recruitment.privacy.holds import legal_hold_place
from recruitment.privacy.registry import Person
from recruitment.services.applications import application_reject
from tests.factories import ApplicationFactory, SuperUserFactory
from tests.privacy.conftest import (
    OFFER_PATH,
    inbound_event,
    moved,
    person_with_data_everywhere,
    someone_else,
    unsuccessful_application,
)

pytestmark = pytest.mark.django_db


def erase(person: Person, actor=None) -> dict[str, int]:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return personal_data_erase(person=person, actor=actor)


def erasable_person():
    """A person with data in every category, whose DBS check was cancelled (application rejected) and who also has
    an application still open."""
    candidate = person_with_data_everywhere(applications=3)
    at_checks = Application.objects.get(candidate=candidate, stage=ApplicationStage.PRE_EMPLOYMENT_CHECKS)
    application_reject(application=at_checks, actor=None, reason="References not satisfactory")
    open_application = ApplicationFactory(candidate=candidate)
    return candidate, open_application


def test_erasure_reaches_every_category_and_leaves_others_and_statistics_alone(staff):
    candidate, open_application = erasable_person()
    other = someone_else()
    applications = list(Application.objects.filter(candidate=candidate).values_list("pk", flat=True))
    files = [
        Path(document.file.path) for document in ApplicationDocument.objects.filter(application__candidate=candidate)
    ]
    check = DbsCheck.objects.get(application__candidate=candidate)
    eo_before = sorted(EqualOpportunities.objects.values_list("application_id", "ethnicity"))

    counts = erase(Person.by_email("AMARA.OKAFOR@example.com"), actor=staff)

    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert not Candidate.objects.filter(email__iexact="amara.okafor@example.com").exists()
    erased = Application.objects.filter(pk__in=applications).select_related("candidate")
    assert len(erased) == 5
    assert all(application.anonymised_at and application.candidate.anonymised_at for application in erased)
    assert len({application.candidate_id for application in erased}) == 5
    assert {
        application.cover_letter + application.rejection_reason + application.source_reference for application in erased
    } == {""}
    open_application.refresh_from_db()
    assert open_application.stage == ApplicationStage.WITHDRAWN
    assert ApplicationStageChange.objects.filter(application=open_application, to_stage="withdrawn").exists()
    assert set(ApplicationStageChange.objects.filter(application__in=applications).values_list("note", flat=True)) == {
        ""
    }
    assert not ApplicationDocument.objects.filter(application__in=applications).exists()
    assert files
    assert not any(path.exists() for path in files)
    check.refresh_from_db()
    assert (check.certificate_number, check.update_service_result, check.details_purged_at is not None) == (
        "",
        "",
        True,
    )
    assert set(DbsCheckEvent.objects.filter(dbs_check=check).values_list("note", flat=True)) == {""}
    assert DbsViewLog.objects.filter(dbs_check_id=check.pk).exists()
    assert sorted(EqualOpportunities.objects.values_list("application_id", "ethnicity")) == eo_before
    assert not LegalHold.objects.exists()
    assert list(IdempotencyRecord.objects.values_list("response_body__candidate_id", flat=True)) == [other.candidate_id]
    assert list(InboundEvent.objects.values_list("event_id", flat=True)) == ["evt_other"]
    assert not PublishAttempt.objects.exists()
    assert not SandboxApplication.objects.exists()
    assert not SandboxDelivery.objects.exists()
    other.refresh_from_db()
    assert other.anonymised_at is None
    assert other.candidate.anonymised_at is None
    assert other.documents.exists()

    assert counts["candidate"] == 1
    assert counts["applications"] == 5
    assert counts["board_events"] == 3
    audit = RemovalAudit.objects.filter(trigger="erasure")
    assert {row.category: row.removed for row in audit} == counts
    assert {row.actor_id for row in audit} == {staff.pk}
    assert len({row.run for row in audit}) == 1


def test_someone_known_only_from_a_board_event_can_have_it_erased():
    inbound_event(event_id="evt_lost", email="never.applied@example.com")
    counts = erase(Person.by_email("never.applied@example.com"))
    assert counts["board_events"] == 1
    assert not InboundEvent.objects.exists()


def test_erasing_someone_we_hold_nothing_about_says_so():
    with pytest.raises(DomainError, match=r"No personal data is held for nobody@example\.com"):
        erase(Person.by_email("nobody@example.com"))


@pytest.mark.parametrize(
    ("stages", "reason"),
    [
        (OFFER_PATH, "An offer is in progress for VAC-"),
        ((*OFFER_PATH, ApplicationStage.PRE_EMPLOYMENT_CHECKS), "An offer is in progress for VAC-"),
        (
            (*OFFER_PATH, ApplicationStage.PRE_EMPLOYMENT_CHECKS, ApplicationStage.HIRED),
            "They were hired for VAC-",
        ),
    ],
    ids=["offer", "pre-employment checks", "hired"],
)
def test_erasure_is_refused_while_an_offer_is_in_progress_or_after_a_hire(stages, reason):
    rejected = unsuccessful_application()
    moved(ApplicationFactory(candidate=rejected.candidate), *stages)

    with pytest.raises(ErasureRefused) as refused:
        erase(Person.of(rejected.candidate))

    assert any(line.startswith(reason) for line in refused.value.reasons)
    rejected.refresh_from_db()
    assert rejected.anonymised_at is None
    assert rejected.cover_letter
    assert rejected.documents.exists()
    assert not RemovalAudit.objects.exists()


def test_erasure_is_refused_while_a_legal_hold_is_on(staff):
    application = unsuccessful_application()
    legal_hold_place(actor=staff, reason="Tribunal claim 1234/2026", application=application)

    with pytest.raises(ErasureRefused, match="Tribunal claim 1234/2026") as refused:
        erase(Person.of(application.candidate))

    assert refused.value.reasons[0].startswith(
        f"A legal hold is on their application for {application.vacancy.reference}"
    )
    assert "set by dpo" in refused.value.reasons[0]
    application.refresh_from_db()
    assert application.anonymised_at is None
    assert Candidate.objects.filter(pk=application.candidate_id).exists()


def test_the_command_reports_then_erases_with_confirm(staff, capsys):
    candidate, _ = erasable_person()

    call_command("privacy_erase", "--email", candidate.email)
    report = capsys.readouterr().out
    assert "applications: 5 (anonymised" in report
    assert "Nothing changed" in report
    assert Candidate.objects.filter(pk=candidate.pk).exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("privacy_erase", "--email", candidate.email, "--actor", "dpo", "--confirm")
    assert "Erased the personal data" in capsys.readouterr().out
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert set(RemovalAudit.objects.values_list("actor__username", flat=True)) == {"dpo"}


def test_the_command_explains_a_refusal(staff):
    application = unsuccessful_application()
    legal_hold_place(actor=staff, reason="Tribunal claim 1234/2026", candidate=application.candidate)
    with pytest.raises(CommandError, match="Tribunal claim 1234/2026"):
        call_command("privacy_erase", "--candidate", str(application.candidate_id), "--confirm")


def test_the_admin_action_shows_what_will_go_and_erases_once_confirmed(client):
    candidate, _ = erasable_person()
    changelist = reverse("admin:recruitment_candidate_changelist")
    client.force_login(SuperUserFactory())

    page = client.post(changelist, {"action": "erase_personal_data", "_selected_action": [candidate.pk]})
    body = page.content.decode()
    assert page.status_code == 200
    assert '<tr data-category="applications"><td>' in body
    assert "<td>5</td>" in body
    assert 'value="Erase this person\'s personal data"' in body
    assert Candidate.objects.filter(pk=candidate.pk).exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(
            changelist,
            {"action": "erase_personal_data", "_selected_action": [candidate.pk], "confirm": "yes"},
            follow=True,
        )
    assert "Erased:" in done.content.decode()
    assert not Candidate.objects.filter(pk=candidate.pk).exists()


def test_the_admin_action_shows_the_refusal_and_no_button(client, staff):
    application = unsuccessful_application()
    legal_hold_place(actor=staff, reason="Tribunal claim 1234/2026", candidate=application.candidate)
    client.force_login(SuperUserFactory())

    page = client.post(
        reverse("admin:recruitment_candidate_changelist"),
        {"action": "erase_personal_data", "_selected_action": [application.candidate_id]},
    )

    body = page.content.decode()
    assert "Erasure is refused" in body
    assert "Tribunal claim 1234/2026" in body
    assert 'name="confirm"' not in body
    assert WITHDRAWN_NOTE not in body
