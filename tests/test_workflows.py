"""The status machines, through the real services: exactly the moves in `recruitment.workflows` are allowed.

Every (current, target) pair of each machine is tried, including staying put; a refused move raises
InvalidTransition and leaves the row as it was.
"""

import datetime
import itertools
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from recruitment.errors import DomainError, InvalidTransition
from recruitment.models import (
    Application,
    ApplicationStage,
    ApplicationStageChange,
    ContractKind,
    DbsCheck,
    DbsCheckEvent,
    DbsCheckLevel,
    DbsDecision,
    DbsLevel,
    DbsStage,
    DbsWorkforce,
    Vacancy,
    VacancyEvent,
    VacancyStatus,
    WorkingPattern,
)
from recruitment.services.applications import application_move, application_submit
from recruitment.services.dbs import dbs_check_advance, dbs_check_open
from recruitment.services.vacancies import (
    vacancies_close_past_closing_date,
    vacancy_advertise,
    vacancy_approve,
    vacancy_cancel,
    vacancy_close,
    vacancy_copy,
    vacancy_create,
    vacancy_return_to_draft,
    vacancy_submit_for_approval,
    vacancy_update,
)
from recruitment.workflows import APPLICATION_TRANSITIONS, DBS_TRANSITIONS, VACANCY_TRANSITIONS
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationFactory,
    CandidateFactory,
    DbsCheckFactory,
    DbsVacancyFactory,
    DepartmentFactory,
    DivisionFactory,
    EmploymentTypeFactory,
    JobCategoryFactory,
    LocationFactory,
    UserFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


def every_pair(choices) -> list[tuple[str, str]]:
    return list(itertools.product(choices.values, repeat=2))


def pair_id(pair: tuple[str, str]) -> str:
    return f"{pair[0]}->{pair[1]}"


def test_the_tables_cover_every_status():
    """The parametrised tests below enumerate the choices; the tables must name each of them."""
    assert set(VACANCY_TRANSITIONS) == set(VacancyStatus.values)
    assert set(APPLICATION_TRANSITIONS) == set(ApplicationStage.values)
    assert set(DBS_TRANSITIONS) == set(DbsStage.values)


# --- Vacancies ------------------------------------------------------------------------------------------------------


def _vacancy_service(target: str):
    """The service that moves a vacancy to `target`."""
    approver = UserFactory()
    return {
        VacancyStatus.DRAFT: lambda v: vacancy_return_to_draft(vacancy=v),
        VacancyStatus.AWAITING_APPROVAL: lambda v: vacancy_submit_for_approval(vacancy=v),
        VacancyStatus.APPROVED: lambda v: vacancy_approve(vacancy=v, approver=approver),
        VacancyStatus.ADVERTISED_INTERNAL: lambda v: vacancy_advertise(vacancy=v, external=False),
        VacancyStatus.ADVERTISED_EXTERNAL: lambda v: vacancy_advertise(vacancy=v, external=True),
        VacancyStatus.CLOSED: lambda v: vacancy_close(vacancy=v),
        VacancyStatus.CANCELLED: lambda v: vacancy_cancel(vacancy=v),
    }[target]


@pytest.mark.parametrize(("current", "target"), every_pair(VacancyStatus), ids=pair_id)
def test_vacancy_transition(current, target):
    vacancy = VacancyFactory(status=current)
    move = _vacancy_service(target)
    if target in VACANCY_TRANSITIONS[current]:
        moved = move(vacancy)
        assert moved.status == target
        assert Vacancy.objects.get(pk=vacancy.pk).status == target
    else:
        with pytest.raises(InvalidTransition):
            move(vacancy)
        assert Vacancy.objects.get(pk=vacancy.pk).status == current


def test_vacancy_approve_records_the_approver_and_advertise_the_time():
    approver = UserFactory()
    vacancy = vacancy_approve(vacancy=VacancyFactory(status=VacancyStatus.AWAITING_APPROVAL), approver=approver)
    vacancy = vacancy_advertise(vacancy=vacancy, external=False)
    vacancy.refresh_from_db()
    assert vacancy.approved_by == approver
    assert vacancy.approved_at is not None
    assert vacancy.advertised_at is not None
    assert vacancy.status == VacancyStatus.ADVERTISED_INTERNAL


# --- Applications ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target"), every_pair(ApplicationStage), ids=pair_id)
def test_application_transition(current, target):
    application = ApplicationFactory(stage=current)
    actor = UserFactory()
    if target in APPLICATION_TRANSITIONS[current]:
        moved = application_move(application=application, to_stage=target, actor=actor)
        assert moved.stage == target
        assert Application.objects.get(pk=application.pk).stage == target
        assert ApplicationStageChange.objects.filter(application=application).count() == 1
    else:
        with pytest.raises(InvalidTransition):
            application_move(application=application, to_stage=target, actor=actor)
        assert Application.objects.get(pk=application.pk).stage == current
        assert not ApplicationStageChange.objects.filter(application=application).exists()


def test_application_move_records_the_stage_change_and_its_time():
    earlier = timezone.now() - datetime.timedelta(days=3)
    application = ApplicationFactory(stage=ApplicationStage.INTERVIEW, stage_changed_at=earlier)
    recruiter = UserFactory()
    application_move(application=application, to_stage=ApplicationStage.OFFER, actor=recruiter, note="Strong interview")
    change = ApplicationStageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage) == (ApplicationStage.INTERVIEW, ApplicationStage.OFFER)
    assert change.changed_by == recruiter
    assert change.note == "Strong interview"
    application.refresh_from_db()
    assert application.stage == ApplicationStage.OFFER
    assert application.stage_changed_at > earlier
    assert application.stage_changed_at == change.changed_at


@pytest.mark.parametrize(
    ("dbs_level", "workforce", "children", "adults"),
    [
        (DbsLevel.BASIC, DbsWorkforce.OTHER, False, False),
        (DbsLevel.ENHANCED, DbsWorkforce.ADULT, False, False),
        (DbsLevel.ENHANCED_BARRED, DbsWorkforce.CHILD, True, False),
        (DbsLevel.ENHANCED_BARRED, DbsWorkforce.ADULT, False, True),
        (DbsLevel.ENHANCED_BARRED, DbsWorkforce.CHILD_AND_ADULT, True, True),
    ],
)
def test_moving_to_pre_employment_checks_opens_one_dbs_check_from_the_vacancy(dbs_level, workforce, children, adults):
    vacancy = DbsVacancyFactory(dbs_level=dbs_level, dbs_workforce=workforce)
    application = ApplicationFactory(vacancy=vacancy, stage=ApplicationStage.OFFER)
    actor = UserFactory()
    application_move(application=application, to_stage=ApplicationStage.PRE_EMPLOYMENT_CHECKS, actor=actor)
    check = DbsCheck.objects.get(application=application)
    assert DbsCheck.objects.count() == 1
    assert check.level == dbs_level
    assert check.workforce == workforce
    assert (check.barred_list_children, check.barred_list_adults) == (children, adults)
    assert check.stage == DbsStage.AWAITING_CANDIDATE
    event = DbsCheckEvent.objects.get(dbs_check=check)
    assert (event.to_stage, event.actor) == (DbsStage.AWAITING_CANDIDATE, actor)


def test_moving_to_pre_employment_checks_opens_no_dbs_check_when_the_vacancy_needs_none():
    application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(dbs_level=DbsLevel.NONE), stage="offer")
    application_move(application=application, to_stage=ApplicationStage.PRE_EMPLOYMENT_CHECKS, actor=None)
    assert not DbsCheck.objects.exists()


def test_dbs_check_open_twice_gives_one_check():
    application = ApplicationFactory(vacancy=DbsVacancyFactory(), stage=ApplicationStage.OFFER)
    application_move(application=application, to_stage=ApplicationStage.PRE_EMPLOYMENT_CHECKS, actor=None)
    opened = DbsCheck.objects.get(application=application)
    first = dbs_check_open(application=application, actor=None)
    second = dbs_check_open(application=application, actor=None)
    assert first.pk == second.pk == opened.pk
    assert DbsCheck.objects.filter(application=application).count() == 1
    assert DbsCheckEvent.objects.filter(dbs_check=opened).count() == 1


def test_dbs_check_open_refuses_a_vacancy_that_needs_no_check():
    application = ApplicationFactory(vacancy=AdvertisedVacancyFactory(dbs_level=DbsLevel.NONE))
    with pytest.raises(DomainError):
        dbs_check_open(application=application, actor=None)
    assert not DbsCheck.objects.exists()


# --- DBS checks -----------------------------------------------------------------------------------------------------


def _dbs_details(target: str) -> dict:
    """What a move to `target` must come with."""
    if target == DbsStage.CERTIFICATE_ISSUED:
        return {
            "certificate_number": "123456789012",
            "certificate_issue_date": timezone.localdate() - datetime.timedelta(days=2),
        }
    if target == DbsStage.DECISION_RECORDED:
        return {"decision": DbsDecision.PROCEED}
    return {}


@pytest.mark.parametrize(("current", "target"), every_pair(DbsStage), ids=pair_id)
def test_dbs_transition(current, target):
    existing = {"decision": DbsDecision.PROCEED} if current == DbsStage.DECISION_RECORDED else {}
    check = DbsCheckFactory(stage=current, **existing)
    actor = UserFactory()
    if target in DBS_TRANSITIONS[current]:
        moved = dbs_check_advance(check=check, to_stage=target, actor=actor, **_dbs_details(target))
        assert moved.stage == target
        assert DbsCheck.objects.get(pk=check.pk).stage == target
        event = DbsCheckEvent.objects.get(dbs_check=check)
        assert (event.from_stage, event.to_stage, event.actor) == (current, target, actor)
    else:
        with pytest.raises(InvalidTransition):
            dbs_check_advance(check=check, to_stage=target, actor=actor, **_dbs_details(target))
        assert DbsCheck.objects.get(pk=check.pk).stage == current
        assert not DbsCheckEvent.objects.filter(dbs_check=check).exists()


def test_certificate_issued_stores_the_certificate_details():
    check = DbsCheckFactory(stage=DbsStage.WITH_DBS)
    issued = timezone.localdate() - datetime.timedelta(days=2)
    dbs_check_advance(
        check=check,
        to_stage=DbsStage.CERTIFICATE_ISSUED,
        actor=None,
        certificate_number=" 123456789012 ",
        certificate_issue_date=issued,
    )
    check.refresh_from_db()
    assert (check.certificate_number, check.certificate_issue_date) == ("123456789012", issued)


def test_certificate_issued_with_11_digits_is_refused_and_the_stage_kept():
    check = DbsCheckFactory(stage=DbsStage.WITH_DBS)
    with pytest.raises(ValidationError) as excinfo:
        dbs_check_advance(
            check=check,
            to_stage=DbsStage.CERTIFICATE_ISSUED,
            actor=None,
            certificate_number="12345678901",
            certificate_issue_date=timezone.localdate() - datetime.timedelta(days=2),
        )
    assert list(excinfo.value.message_dict) == ["certificate_number"]
    check.refresh_from_db()
    assert check.stage == DbsStage.WITH_DBS
    assert check.certificate_number == ""
    assert not DbsCheckEvent.objects.filter(dbs_check=check).exists()


def test_certificate_issued_with_a_future_issue_date_is_refused():
    check = DbsCheckFactory(stage=DbsStage.WITH_DBS)
    with pytest.raises(ValidationError) as excinfo:
        dbs_check_advance(
            check=check,
            to_stage=DbsStage.CERTIFICATE_ISSUED,
            actor=None,
            certificate_number="123456789012",
            certificate_issue_date=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert list(excinfo.value.message_dict) == ["certificate_issue_date"]
    check.refresh_from_db()
    assert check.stage == DbsStage.WITH_DBS


def test_decision_recorded_without_a_decision_is_refused():
    check = DbsCheckFactory(stage=DbsStage.CLEAR)
    with pytest.raises(ValidationError) as excinfo:
        dbs_check_advance(check=check, to_stage=DbsStage.DECISION_RECORDED, actor=None)
    assert list(excinfo.value.message_dict) == ["decision"]
    check.refresh_from_db()
    assert (check.stage, check.decision) == (DbsStage.CLEAR, "")


def test_decision_recorded_stores_who_decided():
    check = DbsCheckFactory(stage=DbsStage.NEEDS_REVIEW, level=DbsCheckLevel.ENHANCED)
    manager = UserFactory()
    dbs_check_advance(
        check=check, to_stage=DbsStage.DECISION_RECORDED, actor=manager, decision=DbsDecision.DO_NOT_PROCEED
    )
    check.refresh_from_db()
    assert (check.stage, check.decision, check.decision_by) == (
        DbsStage.DECISION_RECORDED,
        DbsDecision.DO_NOT_PROCEED,
        manager,
    )
    assert check.decision_at is not None


# --- Vacancy create, copy, update -----------------------------------------------------------------------------------


@pytest.fixture
def vacancy_fields():
    """Keyword arguments for a valid vacancy_create call."""
    division = DivisionFactory()
    return {
        "recruiter": UserFactory(),
        "title": "Staff Nurse, Ward 12",
        "title_for_candidates": "Staff Nurse",
        "division": division,
        "department": DepartmentFactory(division=division),
        "location": LocationFactory(),
        "job_category": JobCategoryFactory(),
        "employment_type": EmploymentTypeFactory(contract_kind=ContractKind.PERMANENT),
        "closing_date": timezone.localdate() + datetime.timedelta(days=21),
        "reply_to_email": "ward12@example.nhs.uk",
        "working_patterns": [WorkingPattern.FULL_TIME],
        "salary_min": Decimal("29970.00"),
        "salary_max": Decimal("36483.00"),
    }


def test_vacancy_create_issues_sequential_references(vacancy_fields):
    year = timezone.localdate().year
    first = vacancy_create(**vacancy_fields)
    second = vacancy_create(**vacancy_fields)
    assert (first.reference, second.reference) == (f"VAC-{year}-0001", f"VAC-{year}-0002")
    assert first.status == second.status == VacancyStatus.DRAFT


def test_vacancy_create_refuses_a_department_of_another_division(vacancy_fields):
    vacancy_fields["department"] = DepartmentFactory(division=DivisionFactory())
    with pytest.raises(ValidationError) as excinfo:
        vacancy_create(**vacancy_fields)
    assert excinfo.value.message_dict["department"] == ["Select a department of the chosen division."]
    assert not Vacancy.objects.exists()


def test_vacancy_create_refuses_part_time_without_hours(vacancy_fields):
    vacancy_fields["working_patterns"] = [WorkingPattern.PART_TIME]
    with pytest.raises(ValidationError) as excinfo:
        vacancy_create(**vacancy_fields)
    assert excinfo.value.message_dict["hours_per_week"] == ["Enter the hours per week: the post is part time."]
    assert not Vacancy.objects.exists()


def test_vacancy_create_accepts_part_time_with_hours(vacancy_fields):
    vacancy_fields["working_patterns"] = [WorkingPattern.PART_TIME]
    vacancy = vacancy_create(**vacancy_fields, hours_per_week=Decimal("22.5"))
    vacancy.refresh_from_db()
    assert vacancy.hours_per_week == Decimal("22.5")


def test_vacancy_create_refuses_a_fixed_term_without_duration(vacancy_fields):
    vacancy_fields["employment_type"] = EmploymentTypeFactory(contract_kind=ContractKind.FIXED_TERM)
    with pytest.raises(ValidationError) as excinfo:
        vacancy_create(**vacancy_fields)
    assert excinfo.value.message_dict["contract_duration_length"] == [
        "Enter the contract length: the employment type is a temporary contract."
    ]
    assert not Vacancy.objects.exists()


def test_vacancy_create_accepts_a_fixed_term_with_duration(vacancy_fields):
    vacancy_fields["employment_type"] = EmploymentTypeFactory(contract_kind=ContractKind.FIXED_TERM)
    vacancy = vacancy_create(**vacancy_fields, contract_duration_length=12, contract_duration_unit="months")
    vacancy.refresh_from_db()
    assert (vacancy.contract_duration_length, vacancy.contract_duration_unit) == (12, "months")


def test_vacancy_copy_gives_a_new_draft_with_a_new_reference():
    original = AdvertisedVacancyFactory(title="Ward Manager")
    recruiter = UserFactory()
    copy = vacancy_copy(vacancy=original, recruiter=recruiter)
    copy.refresh_from_db()
    assert copy.pk != original.pk
    assert copy.status == VacancyStatus.DRAFT
    assert re.fullmatch(r"VAC-\d{4}-\d{4}", copy.reference)
    assert copy.reference != original.reference
    assert copy.copied_from == original
    assert copy.recruiter == recruiter
    assert copy.title == "Ward Manager"
    assert (copy.approved_by, copy.approved_at, copy.advertised_at, copy.closed_at) == (None, None, None, None)
    original.refresh_from_db()
    assert original.status == VacancyStatus.ADVERTISED_EXTERNAL


def test_vacancy_update_sanitises_the_advert_html():
    vacancy = VacancyFactory()
    vacancy_update(
        vacancy=vacancy,
        changes={"advert_html": '<p onclick="steal()">Join us</p><script>alert("x")</script><strong>now</strong>'},
    )
    vacancy.refresh_from_db()
    assert "<script" not in vacancy.advert_html
    assert "alert" not in vacancy.advert_html
    assert "onclick" not in vacancy.advert_html
    assert vacancy.advert_html == "<p>Join us</p><strong>now</strong>"


@pytest.mark.parametrize("status", [VacancyStatus.CLOSED, VacancyStatus.CANCELLED])
def test_vacancy_update_refuses_closed_and_cancelled_vacancies(status):
    vacancy = VacancyFactory(status=status, title="Before")
    with pytest.raises(DomainError) as excinfo:
        vacancy_update(vacancy=vacancy, changes={"title": "After"})
    assert excinfo.value.message == f"A {status.label.lower()} vacancy cannot be edited."
    vacancy.refresh_from_db()
    assert vacancy.title == "Before"


def test_vacancy_update_changes_an_open_vacancy():
    vacancy = AdvertisedVacancyFactory(title="Before")
    vacancy_update(vacancy=vacancy, changes={"title": "After"})
    vacancy.refresh_from_db()
    assert vacancy.title == "After"


# --- Applying -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [
        VacancyStatus.DRAFT,
        VacancyStatus.AWAITING_APPROVAL,
        VacancyStatus.APPROVED,
        VacancyStatus.CLOSED,
        VacancyStatus.CANCELLED,
    ],
)
def test_application_submit_refuses_an_unadvertised_vacancy(status):
    vacancy = VacancyFactory(status=status)
    with pytest.raises(DomainError) as excinfo:
        application_submit(candidate=CandidateFactory(), vacancy=vacancy)
    assert excinfo.value.message == "This job is not open for applications."
    assert not Application.objects.exists()


def test_application_submit_refuses_an_advertised_vacancy_past_its_closing_date():
    vacancy = AdvertisedVacancyFactory(closing_date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(DomainError):
        application_submit(candidate=CandidateFactory(), vacancy=vacancy)
    assert not Application.objects.exists()


@pytest.mark.parametrize("status", [VacancyStatus.ADVERTISED_INTERNAL, VacancyStatus.ADVERTISED_EXTERNAL])
def test_application_submit_accepts_an_advertised_vacancy(status):
    vacancy = AdvertisedVacancyFactory(status=status)
    application = application_submit(candidate=CandidateFactory(), vacancy=vacancy)
    application.refresh_from_db()
    assert application.stage == ApplicationStage.NEW
    change = ApplicationStageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage) == ("", ApplicationStage.NEW)


# --- The vacancy's history, the approver and the reason for ending -------------------------------------------------


def test_every_lifecycle_step_is_in_the_history_with_who_and_the_reason():
    recruiter, approver = UserFactory(), UserFactory()
    vacancy = VacancyFactory(recruiter=recruiter)
    vacancy = vacancy_submit_for_approval(vacancy=vacancy, actor=recruiter)
    vacancy = vacancy_approve(vacancy=vacancy, approver=approver)
    vacancy = vacancy_advertise(vacancy=vacancy, external=True, actor=recruiter)
    vacancy = vacancy_close(vacancy=vacancy, actor=recruiter, reason=" Enough applications ")
    steps = list(vacancy.events.values_list("action", "from_status", "to_status", "actor", "note"))
    assert steps == [
        ("submitted", "draft", "awaiting_approval", recruiter.pk, ""),
        ("approved", "awaiting_approval", "approved", approver.pk, ""),
        ("advertised_external", "approved", "advertised_external", recruiter.pk, ""),
        ("closed", "advertised_external", "closed", recruiter.pk, "Enough applications"),
    ]


def test_a_person_closing_or_cancelling_must_give_the_reason():
    person = UserFactory()
    advertised = AdvertisedVacancyFactory()
    with pytest.raises(ValidationError) as excinfo:
        vacancy_close(vacancy=advertised, actor=person, reason="  ")
    assert excinfo.value.message_dict == {"reason": ["Enter the reason for closing the vacancy."]}
    draft = VacancyFactory()
    with pytest.raises(ValidationError):
        vacancy_cancel(vacancy=draft, actor=person)
    advertised.refresh_from_db()
    draft.refresh_from_db()
    assert (advertised.status, draft.status) == (VacancyStatus.ADVERTISED_EXTERNAL, VacancyStatus.DRAFT)
    assert not VacancyEvent.objects.exists()


def test_the_closing_task_records_why_it_closed():
    vacancy = AdvertisedVacancyFactory(closing_date=timezone.localdate() - datetime.timedelta(days=1))
    vacancies_close_past_closing_date()
    event = vacancy.events.get()
    assert (event.action, event.actor, event.note) == ("closed", None, "The closing date passed.")


def test_the_approver_must_be_another_person_than_the_recruiter_and_the_submitter():
    recruiter, submitter, approver = UserFactory(), UserFactory(), UserFactory()
    vacancy = vacancy_submit_for_approval(vacancy=VacancyFactory(recruiter=recruiter), actor=submitter)
    for person in (recruiter, submitter):
        with pytest.raises(DomainError, match="Another person must approve this vacancy"):
            vacancy_approve(vacancy=vacancy, approver=person)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.AWAITING_APPROVAL
    assert vacancy_approve(vacancy=vacancy, approver=approver).approved_by == approver


def test_edits_are_in_the_history_by_field_label():
    editor = UserFactory()
    vacancy = VacancyFactory(title="Ward nurse")
    vacancy_update(
        vacancy=vacancy, changes={"title": "Ward sister", "reply_to_email": vacancy.reply_to_email}, actor=editor
    )
    event = vacancy.events.get()
    assert (event.action, event.actor, event.note) == ("edited", editor, "Changed: internal title.")
    vacancy_update(vacancy=vacancy, changes={"title": "Ward sister"}, actor=editor)
    assert vacancy.events.count() == 1  # nothing changed, nothing recorded
