"""Retention with a frozen clock: what is kept until its period ends, and what happens the day after."""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django_q.conf import Conf
from django_q.models import Schedule

from boards.models import InboundEvent, InboundStatus, PublishAttempt
from recruitment.models import (
    ApiToken,
    Application,
    ApplicationDocument,
    ApplicationStage,
    ApplicationStageChange,
    Candidate,
    DbsCheck,
    DbsCheckEvent,
    DbsDecision,
    DbsStage,
    DbsViewLog,
    EqualOpportunities,
    IdempotencyRecord,
    LegalHold,
    RemovalAudit,
    VacancyStatus,
)
from recruitment.privacy.holds import legal_hold_lift, legal_hold_place
from recruitment.privacy.retention import policies, retention_apply
from recruitment.privacy.schedule import RETENTION_SCHEDULE_NAME
from recruitment.privacy.selectors import retention_report
from recruitment.privacy.tasks import retention_daily
from recruitment.services.dbs import dbs_check_advance, dbs_check_record_update_service
from recruitment.services.vacancies import vacancy_close
from tests.factories import (
    AdvertisedVacancyFactory,
    ApiTokenFactory,
    ApplicationFactory,
    CandidateFactory,
    DbsCheckFactory,
    DbsViewLogFactory,
    IdempotencyRecordFactory,
    StaffUserFactory,
    SuperUserFactory,
    UserFactory,
)
from tests.privacy.conftest import (
    DECIDED,
    OFFER_PATH,
    ONE_DAY,
    SIX_MONTHS,
    at,
    inbound_event,
    moved,
    statistics,
    unsuccessful_application,
)

pytestmark = pytest.mark.django_db

JUST_BEFORE = DECIDED + SIX_MONTHS - ONE_DAY
JUST_AFTER = DECIDED + SIX_MONTHS + ONE_DAY


def run_at(moment: datetime.datetime, **kwargs):
    """A retention run at `moment`, with the on-commit work (files leaving storage) done as it would be."""
    with at(moment), TestCase.captureOnCommitCallbacks(execute=True):
        return retention_apply(**kwargs)


def test_an_unsuccessful_application_is_kept_until_six_months_after_the_decision():
    application = unsuccessful_application()
    document = application.documents.get()
    candidate = application.candidate

    result = run_at(JUST_BEFORE)

    assert result.counts == {}
    application.refresh_from_db()
    assert (application.anonymised_at, application.candidate_id) == (None, candidate.pk)
    assert application.cover_letter == "I have six years on an acute ward."
    assert application.rejection_reason == "Not enough ward experience."
    assert Path(document.file.path).exists()
    assert Candidate.objects.get(pk=candidate.pk).email == candidate.email


def test_six_months_and_a_day_after_the_decision_it_is_anonymised_files_go_and_statistics_stay():
    application = unsuccessful_application(source="jobsphere", source_reference="app_8c1d2e3f4a")
    kept = ApplicationFactory(vacancy=application.vacancy)  # another person, still in the pipeline
    candidate = application.candidate
    file_path = Path(application.documents.get().file.path)
    history = ApplicationStageChange.objects.filter(application=application).count()
    before = statistics()

    result = run_at(JUST_AFTER)

    assert result.counts == {"unsuccessful_applications": 1, "candidates": 1}
    application.refresh_from_db()
    assert application.anonymised_at == JUST_AFTER
    assert (application.stage, application.source, application.vacancy_id) == (
        ApplicationStage.REJECTED,
        "jobsphere",
        kept.vacancy_id,
    )
    assert (application.cover_letter, application.rejection_reason, application.source_reference) == ("", "", "")
    stand_in = application.candidate
    assert stand_in.pk != candidate.pk
    assert stand_in.anonymised_at == JUST_AFTER
    assert (stand_in.first_name, stand_in.last_name, stand_in.phone, stand_in.postcode) == (
        "Anonymised",
        "applicant",
        "",
        "",
    )
    assert stand_in.email.endswith("@anonymised.invalid")
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert not Candidate.objects.filter(email__iexact=candidate.email).exists()
    assert not ApplicationDocument.objects.filter(application=application).exists()
    assert not file_path.exists()
    assert (
        list(ApplicationStageChange.objects.filter(application=application).values_list("note", flat=True))
        == [""] * history
    )
    assert EqualOpportunities.objects.get(application=application).ethnicity == "black_african"
    assert statistics() == before
    kept.refresh_from_db()
    assert kept.anonymised_at is None
    assert kept.candidate.anonymised_at is None


def test_withdrawn_applications_follow_the_same_clock():
    with at(DECIDED):
        application = moved(ApplicationFactory(), ApplicationStage.WITHDRAWN)

    assert run_at(JUST_BEFORE).counts == {}
    assert run_at(JUST_AFTER).counts == {"unsuccessful_applications": 1, "candidates": 1}
    application.refresh_from_db()
    assert application.anonymised_at is not None


def test_applications_still_undecided_when_the_vacancy_closed_count_from_the_closing():
    with at(DECIDED - datetime.timedelta(days=30)):
        vacancy = AdvertisedVacancyFactory()
        interviewed = moved(
            ApplicationFactory(vacancy=vacancy), ApplicationStage.SHORTLISTED, ApplicationStage.INTERVIEW
        )
        offered = moved(ApplicationFactory(vacancy=vacancy), *OFFER_PATH)
        hired = moved(
            ApplicationFactory(vacancy=vacancy),
            *OFFER_PATH,
            ApplicationStage.PRE_EMPLOYMENT_CHECKS,
            ApplicationStage.HIRED,
        )
    with at(DECIDED):
        vacancy_close(vacancy=vacancy)

    assert run_at(JUST_BEFORE).counts == {}
    assert run_at(JUST_AFTER).counts == {"unsuccessful_applications": 1, "candidates": 1}
    assert Application.objects.get(pk=interviewed.pk).anonymised_at is not None
    for application in (offered, hired):
        application.refresh_from_db()
        assert application.anonymised_at is None
        assert application.candidate.anonymised_at is None


def test_a_vacancy_still_open_keeps_its_undecided_applications():
    with at(DECIDED):
        application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(status=VacancyStatus.ADVERTISED_EXTERNAL))

    assert run_at(DECIDED + datetime.timedelta(days=3650)).counts == {}
    application.refresh_from_db()
    assert application.anonymised_at is None


def decided_dbs_check() -> DbsCheck:
    """A check with a certificate, an Update Service status check and notes, decided at DECIDED."""
    with at(DECIDED - datetime.timedelta(days=10)):
        check = DbsCheckFactory()
        for stage in (DbsStage.ID_VERIFIED, DbsStage.SUBMITTED, DbsStage.WITH_DBS):
            check = dbs_check_advance(check=check, to_stage=stage, actor=None, note="Passport and utility bill seen")
        check = dbs_check_advance(
            check=check,
            to_stage=DbsStage.CERTIFICATE_ISSUED,
            actor=None,
            certificate_number="001234567890",
            certificate_issue_date=datetime.date(2026, 1, 2),
        )
        check = dbs_check_record_update_service(check=check, subscriber=True, result="current", actor=None)
        check = dbs_check_advance(
            check=check, to_stage=DbsStage.NEEDS_REVIEW, actor=None, note="Caution in 2015 for shoplifting"
        )
    with at(DECIDED):
        return dbs_check_advance(
            check=check, to_stage=DbsStage.DECISION_RECORDED, actor=UserFactory(), decision=DbsDecision.PROCEED
        )


def test_dbs_certificate_details_are_reduced_to_what_the_code_of_practice_allows_six_months_after_the_decision():
    check = decided_dbs_check()
    viewed = DbsViewLogFactory(dbs_check_id=check.pk)

    assert run_at(JUST_BEFORE).counts == {}
    check.refresh_from_db()
    assert (check.details_purged_at, check.update_service_result) == (None, "current")

    assert run_at(JUST_AFTER).counts == {"dbs_details": 1}
    check.refresh_from_db()
    application = check.application
    kept = {
        "issue date": check.certificate_issue_date,
        "name": application.candidate.full_name,
        "certificate type": (check.level, check.workforce),
        "position": application.vacancy.reference,
        "certificate number": check.certificate_number,
        "decision": (check.decision, check.decision_at),
    }
    assert kept == {
        "issue date": datetime.date(2026, 1, 2),
        "name": check.application.candidate.full_name,
        "certificate type": ("enhanced", "adult"),
        "position": application.vacancy.reference,
        "certificate number": "001234567890",
        "decision": (DbsDecision.PROCEED, DECIDED),
    }
    assert application.candidate.anonymised_at is None  # at pre-employment checks: not an unsuccessful candidate
    assert (check.update_service_subscriber, check.update_service_result, check.update_service_checked_at) == (
        False,
        "",
        None,
    )
    assert set(DbsCheckEvent.objects.filter(dbs_check=check).values_list("note", flat=True)) == {""}
    assert check.details_purged_at == JUST_AFTER
    assert DbsViewLog.objects.filter(pk=viewed.pk, dbs_check_id=check.pk).exists()


def test_a_cancelled_dbs_check_counts_from_its_cancellation():
    with at(DECIDED):
        check = dbs_check_advance(check=DbsCheckFactory(), to_stage=DbsStage.CANCELLED, actor=None, note="Withdrew")
    assert run_at(JUST_BEFORE).counts == {}
    assert run_at(JUST_AFTER).counts == {"dbs_details": 1}
    assert DbsCheck.objects.get(pk=check.pk).details_purged_at == JUST_AFTER


@pytest.mark.parametrize("on", ["candidate", "application"])
def test_a_legal_hold_keeps_everything_until_it_is_lifted(on, staff):
    application = unsuccessful_application()
    check = decided_dbs_check()
    file_path = Path(application.documents.get().file.path)
    for held in (application, check.application):
        target = {"candidate": held.candidate} if on == "candidate" else {"application": held}
        legal_hold_place(actor=staff, reason="Employment tribunal claim 1234/2026", **target)

    assert run_at(JUST_AFTER).counts == {}
    application.refresh_from_db()
    check.refresh_from_db()
    assert application.anonymised_at is None
    assert application.cover_letter
    assert application.rejection_reason
    assert application.candidate.anonymised_at is None
    assert file_path.exists()
    assert (check.details_purged_at, check.update_service_result) == (None, "current")

    for hold in LegalHold.objects.all():
        legal_hold_lift(hold=hold, actor=staff)
    assert run_at(JUST_AFTER + ONE_DAY).counts == {"unsuccessful_applications": 1, "candidates": 1, "dbs_details": 1}
    assert not file_path.exists()
    assert not LegalHold.objects.filter(application=application).exists()


def test_a_legal_hold_keeps_the_board_events_of_its_application(staff):
    with at(DECIDED):
        application = ApplicationFactory()
        held = inbound_event(event_id="evt_held", email=application.candidate.email, application=application)
        inbound_event(event_id="evt_free", email="someone@example.com")
    legal_hold_place(actor=staff, reason="Tribunal claim 1234/2026", candidate=application.candidate)

    assert run_at(DECIDED + datetime.timedelta(days=31)).counts == {"inbound_events": 1}
    assert list(InboundEvent.objects.values_list("pk", flat=True)) == [held.pk]


def test_a_candidate_with_an_application_still_open_keeps_their_details():
    old = unsuccessful_application()
    with at(JUST_AFTER - datetime.timedelta(days=2)):
        recent = ApplicationFactory(candidate=old.candidate)

    assert run_at(JUST_AFTER).counts == {"unsuccessful_applications": 1}
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anonymised_at is not None
    assert old.candidate_id != recent.candidate_id
    assert recent.candidate.anonymised_at is None
    assert recent.candidate.first_name == "Amara"


def test_candidates_who_never_applied_are_deleted_after_the_period():
    with at(DECIDED):
        idle = CandidateFactory()
    assert run_at(JUST_BEFORE).counts == {}
    assert run_at(JUST_AFTER).counts == {"candidates": 1}
    assert not Candidate.objects.filter(pk=idle.pk).exists()


def test_short_lived_records_go_after_their_own_periods():
    with at(DECIDED):
        settled = inbound_event(event_id="evt_1", email="amara@example.com")
        failed = inbound_event(event_id="evt_2", email="amara@example.com", status=InboundStatus.FAILED)
        waiting = inbound_event(event_id="evt_3", email="amara@example.com", status=InboundStatus.RETRYING)
        call = PublishAttempt.objects.create(
            account=settled.account,
            operation="publish",
            method="POST",
            url="https://x.test/",
            outcome="success",
            duration_ms=5,
        )
        idempotency = IdempotencyRecordFactory()
        token = ApiTokenFactory()  # expires an hour after DECIDED

    hours = datetime.timedelta(hours=1)
    assert run_at(DECIDED + 24 * hours).counts == {}
    assert run_at(DECIDED + 25 * hours).counts == {"idempotency_records": 1}
    assert not IdempotencyRecord.objects.filter(pk=idempotency.pk).exists()
    assert run_at(DECIDED + datetime.timedelta(days=30)).counts == {}
    assert run_at(DECIDED + datetime.timedelta(days=30, hours=2)).counts == {"api_tokens": 1, "inbound_events": 2}
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert list(InboundEvent.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert not InboundEvent.objects.filter(pk__in=[settled.pk, failed.pk]).exists()
    assert run_at(DECIDED + datetime.timedelta(days=90)).counts == {}
    assert run_at(DECIDED + datetime.timedelta(days=91)).counts == {"board_attempts": 1}
    assert not PublishAttempt.objects.filter(pk=call.pk).exists()


def test_periods_come_from_the_settings(settings):
    settings.RETENTION_UNSUCCESSFUL_MONTHS = 12
    unsuccessful_application()
    assert run_at(JUST_AFTER).counts == {}
    assert run_at(DECIDED + datetime.timedelta(days=367)).counts == {"unsuccessful_applications": 1, "candidates": 1}


def test_every_run_writes_one_audit_row_per_category_with_counts_only():
    first, second = unsuccessful_application(), unsuccessful_application()
    emails = (first.candidate.email, second.candidate.email)

    result = run_at(JUST_AFTER)
    again = run_at(JUST_AFTER)

    rows = RemovalAudit.objects.filter(run=result.run)
    assert {row.category: (row.action, row.removed) for row in rows} == {
        "unsuccessful_applications": ("anonymised", 2),
        "candidates": ("deleted", 2),
        "dbs_details": ("reduced", 0),
        "idempotency_records": ("deleted", 0),
        "api_tokens": ("deleted", 0),
        "inbound_events": ("deleted", 0),
        "board_attempts": ("deleted", 0),
    }
    assert all(row.finished_at and row.trigger == "retention" and row.actor is None for row in rows)
    assert set(RemovalAudit.objects.filter(run=again.run).values_list("removed", flat=True)) == {0}
    for row in RemovalAudit.objects.values():
        assert not any(email in str(value) for value in row.values() for email in emails)


def test_a_run_in_small_batches_with_a_spent_budget_carries_on_under_the_same_run():
    for _ in range(3):
        unsuccessful_application()

    first = run_at(JUST_AFTER, batch_size=1, time_budget=0)
    assert (first.finished, first.counts) == (False, {"unsuccessful_applications": 1})
    result = first
    while not result.finished:
        result = run_at(JUST_AFTER, run=first.run, now=first.now, batch_size=1, time_budget=0)
    audit = dict(RemovalAudit.objects.filter(run=first.run).values_list("category", "removed"))
    assert (audit["unsuccessful_applications"], audit["candidates"]) == (3, 3)
    assert RemovalAudit.objects.filter(run=first.run).count() == len(policies())


def test_the_daily_task_queues_its_own_continuation_until_done(monkeypatch, settings):
    monkeypatch.setattr(Conf, "SYNC", True)
    settings.RETENTION_TASK_SECONDS = 0
    settings.RETENTION_BATCH_SIZE = 1
    for _ in range(3):
        unsuccessful_application()

    with at(JUST_AFTER):
        retention_daily()

    assert Application.objects.filter(anonymised_at__isnull=True).count() == 0
    assert RemovalAudit.objects.values("run").distinct().count() == 1
    assert dict(RemovalAudit.objects.values_list("category", "removed"))["unsuccessful_applications"] == 3


def test_the_retention_schedule_exists_after_migrate_alone():
    """The test database is made by `migrate`; nothing else ran."""
    scheduled = Schedule.objects.get(name=RETENTION_SCHEDULE_NAME)
    assert (scheduled.func, scheduled.schedule_type, scheduled.repeats) == (
        "recruitment.privacy.tasks.retention_daily",
        Schedule.DAILY,
        -1,
    )
    first_run = scheduled.next_run
    call_command("migrate", verbosity=0)
    assert Schedule.objects.filter(name=RETENTION_SCHEDULE_NAME).count() == 1
    assert Schedule.objects.get(name=RETENTION_SCHEDULE_NAME).next_run == first_run


def test_the_dry_run_counts_what_the_run_then_does_and_changes_nothing(capsys):
    unsuccessful_application()
    unsuccessful_application()
    decided_dbs_check()
    with at(DECIDED):
        CandidateFactory()

    with at(JUST_AFTER):
        report = {line.category: line.due for line in retention_report()}
        call_command("privacy_retention", "--dry-run")
    assert Application.objects.filter(anonymised_at__isnull=False).count() == 0
    assert report["unsuccessful_applications"] == 2
    assert report["candidates"] == 3
    assert report["dbs_details"] == 1
    assert "unsuccessful_applications: 2 to be anonymised" in capsys.readouterr().out

    assert run_at(JUST_AFTER).counts == {category: due for category, due in report.items() if due}


def test_the_command_applies_the_policies(capsys):
    unsuccessful_application()
    with at(JUST_AFTER):
        call_command("privacy_retention")
    assert "unsuccessful_applications: 1" in capsys.readouterr().out
    assert Application.objects.get().anonymised_at is not None


def test_the_admin_report_page_shows_the_dry_run_to_those_who_may_see_the_audit(client):
    unsuccessful_application()
    client.force_login(SuperUserFactory())
    with at(JUST_AFTER):
        page = client.get(reverse("admin:recruitment_removalaudit_report"))
    assert page.status_code == 200
    body = page.content.decode()
    assert '<tr data-category="unsuccessful_applications">' in body
    row = body.split('<tr data-category="unsuccessful_applications">')[1].split("</tr>")[0]
    assert '<td class="due">1</td>' in row
    assert "anonymised" in row
    assert "Equality Act 2010" in row
    changelist = client.get(reverse("admin:recruitment_removalaudit_changelist"))
    assert reverse("admin:recruitment_removalaudit_report") in changelist.content.decode()

    client.force_login(StaffUserFactory())
    assert client.get(reverse("admin:recruitment_removalaudit_report")).status_code == 403
