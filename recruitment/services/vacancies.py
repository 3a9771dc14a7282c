"""Writes to vacancies: create, edit, the approval and advertising lifecycle, copy; each step in the vacancy's
history."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from recruitment.errors import DomainError
from recruitment.html import sanitise_advert_html
from recruitment.models import (
    ContractKind,
    DbsLevel,
    Department,
    Division,
    EmploymentType,
    JobCategory,
    JobLevel,
    Location,
    SalaryBand,
    SalaryType,
    SchoolLocation,
    Vacancy,
    VacancyEvent,
    VacancyReferenceCounter,
    VacancyStatus,
    WorkingPattern,
    closing_day_today,
)
from recruitment.selectors.organisation import organisation_get
from recruitment.signals import vacancy_changed, vacancy_ended
from recruitment.workflows import VACANCY_TRANSITIONS, ensure_allowed

# The vacancy's own fields, in the order forms show them; a recruiter may change these (and who recruits) with
# vacancy_update. Status, reference and audit fields are the services' own.
VACANCY_FIELDS = (
    "title",
    "title_for_candidates",
    "division",
    "department",
    "location",
    "job_category",
    "employment_type",
    "salary_band",
    "job_level",
    "school_location",
    "salary_type",
    "salary_min",
    "salary_max",
    "salary_period",
    "working_patterns",
    "hours_per_week",
    "contract_duration_length",
    "contract_duration_unit",
    "closing_date",
    "attention_grabber",
    "advert_html",
    "about_organisation",
    "reply_to_email",
    "dbs_level",
    "dbs_workforce",
)
EDITABLE_FIELDS = frozenset({*VACANCY_FIELDS, "recruiter"})
_FROZEN_STATUSES = {VacancyStatus.CLOSED, VacancyStatus.CANCELLED}


def _next_reference(today: datetime.date) -> str:
    """Issue the next VAC-<year>-<nnnn> under a row lock, so two recruiters never get the same number."""
    VacancyReferenceCounter.objects.get_or_create(year=today.year)
    counter = VacancyReferenceCounter.objects.select_for_update().get(year=today.year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"VAC-{today.year}-{counter.last_number:04d}"


def vacancy_validate(vacancy: Vacancy) -> None:
    """Model validation plus the rules that span fields; raises ValidationError keyed by field.

    Forms call it before saving so that the recruiter sees the same errors the services would raise.
    """
    errors: dict[str, list[str]] = {}
    try:
        # Constraints are left to the rules below (worded for people) and to the database itself.
        vacancy.full_clean(exclude=["reference", "recruiter"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)

    def add(name: str, message: str) -> None:
        if name not in errors:  # one message per field: the first thing to fix
            errors[name] = [message]

    if vacancy.department_id and vacancy.division_id and vacancy.department.division_id != vacancy.division_id:
        add("department", "Select a department of the chosen division.")
    patterns = vacancy.working_patterns
    valid_patterns = set(WorkingPattern.values)
    if not isinstance(patterns, list) or not patterns or not set(patterns) <= valid_patterns:
        add("working_patterns", "Select one or more working patterns.")
    elif WorkingPattern.PART_TIME in patterns and not vacancy.hours_per_week:
        add("hours_per_week", "Enter the hours per week: the post is part time.")
    for name in ("salary_min", "salary_max"):
        amount = getattr(vacancy, name)
        if amount is not None and amount <= 0:
            add(name, f"{'Lowest' if name == 'salary_min' else 'Highest'} salary must be more than £0.")
    if vacancy.salary_type == SalaryType.RANGE:
        if vacancy.salary_min is None:
            add("salary_min", "Enter the lowest salary of the range.")
        if vacancy.salary_max is None:
            add("salary_max", "Enter the highest salary of the range.")
        if (
            vacancy.salary_min is not None
            and vacancy.salary_max is not None
            and vacancy.salary_min > vacancy.salary_max
        ):
            add("salary_max", "Highest salary must be the same as or more than the lowest salary.")
    elif vacancy.salary_type == SalaryType.FIXED and vacancy.salary_min is None:
        add("salary_min", "Enter the salary (in the lowest salary box).")
    fixed_term = vacancy.employment_type_id and vacancy.employment_type.contract_kind not in (
        "",
        ContractKind.PERMANENT,
    )
    # Each half of the contract length is asked for on its own field: the missing one is the one to fix.
    if fixed_term and not vacancy.contract_duration_length:
        add("contract_duration_length", "Enter the contract length: the employment type is a temporary contract.")
    if (fixed_term or vacancy.contract_duration_length) and not vacancy.contract_duration_unit:
        add("contract_duration_unit", "Select the contract length unit: days, weeks, months or years.")
    if vacancy.contract_duration_unit and not vacancy.contract_duration_length and not fixed_term:
        add("contract_duration_length", "Enter the contract length, or leave its unit empty.")
    if vacancy.dbs_level != DbsLevel.NONE and not vacancy.dbs_workforce:
        add("dbs_workforce", "Select the workforce the DBS check is for.")
    if vacancy.dbs_level == DbsLevel.NONE:
        vacancy.dbs_workforce = ""
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def vacancy_create(
    *,
    recruiter: AbstractBaseUser,
    title: str,
    title_for_candidates: str,
    division: Division,
    department: Department,
    location: Location,
    job_category: JobCategory,
    employment_type: EmploymentType,
    closing_date: datetime.date,
    reply_to_email: str,
    working_patterns: list[str],
    salary_type: str = SalaryType.RANGE,
    salary_min: Decimal | None = None,
    salary_max: Decimal | None = None,
    salary_period: str = "annum",
    salary_band: SalaryBand | None = None,
    job_level: JobLevel | None = None,
    school_location: SchoolLocation | None = None,
    hours_per_week: Decimal | None = None,
    contract_duration_length: int | None = None,
    contract_duration_unit: str = "",
    attention_grabber: str = "",
    advert_html: str = "",
    about_organisation: str | None = None,
    dbs_level: str = DbsLevel.NONE,
    dbs_workforce: str = "",
    actor: AbstractBaseUser | None = None,
) -> Vacancy:
    """Create a draft vacancy with a fresh reference. Salary defaults to the band's range when none is given.

    `actor` is who creates it, when not the recruiter themselves (the history says who). Raises ValidationError
    (keyed by field) when the vacancy is not valid.
    """
    if salary_band is not None and salary_min is None and salary_max is None and salary_type == SalaryType.RANGE:
        salary_min, salary_max, salary_period = (
            salary_band.min_amount,
            salary_band.max_amount,
            salary_band.period,
        )
    vacancy = Vacancy(
        recruiter=recruiter,
        title=title,
        title_for_candidates=title_for_candidates,
        division=division,
        department=department,
        location=location,
        job_category=job_category,
        employment_type=employment_type,
        salary_band=salary_band,
        job_level=job_level,
        school_location=school_location,
        salary_type=salary_type,
        salary_min=salary_min,
        salary_max=salary_max,
        salary_period=salary_period,
        working_patterns=list(working_patterns),
        hours_per_week=hours_per_week,
        contract_duration_length=contract_duration_length,
        contract_duration_unit=contract_duration_unit,
        closing_date=closing_date,
        attention_grabber=attention_grabber,
        advert_html=sanitise_advert_html(advert_html),
        about_organisation=organisation_get().about_organisation if about_organisation is None else about_organisation,
        reply_to_email=reply_to_email,
        dbs_level=dbs_level,
        dbs_workforce=dbs_workforce,
    )
    vacancy_validate(vacancy)
    vacancy.reference = _next_reference(timezone.localdate())
    vacancy.save()
    _record(vacancy, VacancyEvent.Action.CREATED, actor=actor or recruiter, from_status="")
    return vacancy


def _record(
    vacancy: Vacancy,
    action: str,
    *,
    actor: AbstractBaseUser | None,
    from_status: str | None = None,
    note: str = "",
) -> VacancyEvent:
    """Add a step to the vacancy's history (`from_status` defaults to the status it had, i.e. none moved)."""
    return VacancyEvent.objects.create(
        vacancy=vacancy,
        action=action,
        from_status=vacancy.status if from_status is None else from_status,
        to_status=vacancy.status,
        actor=actor,
        at=timezone.now(),
        note=note,
    )


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, changes: Mapping[str, Any], actor: AbstractBaseUser | None = None) -> Vacancy:
    """Change a vacancy's editable fields; closed and cancelled vacancies are read-only. The history records which
    fields changed (by their labels), and who changed them."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status in _FROZEN_STATUSES:
        raise DomainError(f"A {vacancy.get_status_display().lower()} vacancy cannot be edited.")
    changed = []
    for name, value in changes.items():
        value = sanitise_advert_html(value) if name == "advert_html" else value
        if getattr(vacancy, name) != value:
            changed.append(str(Vacancy._meta.get_field(name).verbose_name))
        setattr(vacancy, name, value)
    vacancy_validate(vacancy)
    vacancy.save()
    if changed:
        _record(vacancy, VacancyEvent.Action.EDITED, actor=actor, note=f"Changed: {', '.join(changed)}.")
    _announce_change(vacancy)
    return vacancy


def _announce_change(vacancy: Vacancy) -> None:
    """Once committed, tell listeners (the boards) that the vacancy changed or was advertised."""
    transaction.on_commit(lambda: vacancy_changed.send(sender=Vacancy, vacancy=vacancy))


def _move(vacancy: Vacancy, target: str) -> tuple[Vacancy, str]:
    """Lock the row, check the transition, set the status (the caller sets the audit fields and saves); returns the
    locked vacancy and the status it had."""
    locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    ensure_allowed(VACANCY_TRANSITIONS, VacancyStatus, what="vacancy", current=locked.status, target=target)
    previous, locked.status = locked.status, target
    return locked, previous


@transaction.atomic
def vacancy_submit_for_approval(*, vacancy: Vacancy, actor: AbstractBaseUser | None = None) -> Vacancy:
    """Send a draft for approval; it must be complete and close in the future."""
    vacancy, previous = _move(vacancy, VacancyStatus.AWAITING_APPROVAL)
    vacancy_validate(vacancy)
    if vacancy.closing_date <= closing_day_today():
        raise ValidationError({"closing_date": "The closing date must be in the future."})
    vacancy.submitted_at = timezone.now()
    vacancy.save(update_fields=["status", "submitted_at", "updated_at"])
    _record(vacancy, VacancyEvent.Action.SUBMITTED, actor=actor, from_status=previous)
    return vacancy


SELF_APPROVAL_MESSAGE = (
    "Another person must approve this vacancy: you cannot approve a vacancy you recruit for or submitted for "
    "approval yourself."
)


def approval_refusal(vacancy: Vacancy, approver: AbstractBaseUser) -> str | None:
    """Why `approver` may not approve the vacancy, or None when they may (their permission aside).

    With VACANCY_APPROVER_MUST_BE_ANOTHER_PERSON on (the default: the "four eyes" rule of NHS establishment
    control), the approver must be neither the vacancy's recruiter nor whoever last submitted it for approval.
    """
    if not settings.VACANCY_APPROVER_MUST_BE_ANOTHER_PERSON:
        return None
    submitted_by = (
        vacancy.events.filter(action=VacancyEvent.Action.SUBMITTED).order_by("-at", "-pk").values("actor_id").first()
    )
    involved = {vacancy.recruiter_id, submitted_by["actor_id"] if submitted_by else None}
    return SELF_APPROVAL_MESSAGE if approver.pk in involved else None


@transaction.atomic
def vacancy_approve(*, vacancy: Vacancy, approver: AbstractBaseUser) -> Vacancy:
    """Approve a vacancy awaiting approval; refused (DomainError) to its own recruiter or submitter while
    VACANCY_APPROVER_MUST_BE_ANOTHER_PERSON is on (`approval_refusal`)."""
    vacancy, previous = _move(vacancy, VacancyStatus.APPROVED)
    refusal = approval_refusal(vacancy, approver)
    if refusal:
        raise DomainError(refusal, field="approved_by")
    vacancy.approved_by = approver
    vacancy.approved_at = timezone.now()
    vacancy.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    _record(vacancy, VacancyEvent.Action.APPROVED, actor=approver, from_status=previous)
    return vacancy


@transaction.atomic
def vacancy_return_to_draft(*, vacancy: Vacancy, actor: AbstractBaseUser | None = None, reason: str = "") -> Vacancy:
    """Send a vacancy awaiting approval back to its recruiter as a draft."""
    vacancy, previous = _move(vacancy, VacancyStatus.DRAFT)
    vacancy.save(update_fields=["status", "updated_at"])
    _record(vacancy, VacancyEvent.Action.RETURNED, actor=actor, from_status=previous, note=reason.strip())
    return vacancy


@transaction.atomic
def vacancy_advertise(*, vacancy: Vacancy, external: bool, actor: AbstractBaseUser | None = None) -> Vacancy:
    """Advertise an approved vacancy internally or externally (internal can later widen to external)."""
    target = VacancyStatus.ADVERTISED_EXTERNAL if external else VacancyStatus.ADVERTISED_INTERNAL
    vacancy, previous = _move(vacancy, target)
    if vacancy.closing_date <= closing_day_today():
        raise ValidationError({"closing_date": "The closing date must be in the future to advertise."})
    # Widening an internal advert to external keeps the date it was first advertised.
    vacancy.advertised_at = vacancy.advertised_at or timezone.now()
    vacancy.save(update_fields=["status", "advertised_at", "updated_at"])
    _record(vacancy, target, actor=actor, from_status=previous)
    _announce_change(vacancy)
    return vacancy


def _announce_end(vacancy: Vacancy) -> None:
    """Once committed, tell listeners (the boards) that the vacancy ended, so its adverts come down."""
    transaction.on_commit(lambda: vacancy_ended.send(sender=Vacancy, vacancy=vacancy))


def _end(vacancy: Vacancy, target: str, *, actor: AbstractBaseUser | None, reason: str, what: str) -> Vacancy:
    """Close or cancel: a person must give the reason (the closing task gives its own); both go in the history."""
    reason = reason.strip()
    if actor is not None and not reason:
        raise ValidationError({"reason": f"Enter the reason for {what} the vacancy."})
    vacancy, previous = _move(vacancy, target)
    vacancy.closed_at = timezone.now()
    vacancy.save(update_fields=["status", "closed_at", "updated_at"])
    _record(vacancy, target, actor=actor, from_status=previous, note=reason)
    _announce_end(vacancy)
    return vacancy


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, actor: AbstractBaseUser | None = None, reason: str = "") -> Vacancy:
    """Close an advertised vacancy: no more applications. A person (`actor`) must give the reason (ValidationError
    keyed "reason" without one); it is recorded in the vacancy's history."""
    return _end(vacancy, VacancyStatus.CLOSED, actor=actor, reason=reason, what="closing")


CLOSING_DATE_PASSED = "The closing date passed."


def vacancies_close_past_closing_date(*, today: datetime.date | None = None) -> list[Vacancy]:
    """Close, one by one through `vacancy_close`, every vacancy still advertised after its closing day ended
    (Europe/London); returns those it closed.

    Each close is its own transaction and fires `vacancy_ended` once committed, so the boards take the adverts down.
    Safe to run twice or alongside a recruiter: a vacancy closed meanwhile is skipped.
    """
    closed = []
    for vacancy in Vacancy.objects.past_closing_date(today=today).order_by("closing_date", "pk"):
        try:
            closed.append(vacancy_close(vacancy=vacancy, reason=CLOSING_DATE_PASSED))
        except DomainError:
            continue  # closed or cancelled by someone else since the query ran
    return closed


@transaction.atomic
def vacancy_cancel(*, vacancy: Vacancy, actor: AbstractBaseUser | None = None, reason: str = "") -> Vacancy:
    """Cancel a vacancy that was never advertised. A person (`actor`) must give the reason (ValidationError keyed
    "reason" without one); it is recorded in the vacancy's history."""
    return _end(vacancy, VacancyStatus.CANCELLED, actor=actor, reason=reason, what="cancelling")


@transaction.atomic
def vacancy_copy(*, vacancy: Vacancy, recruiter: AbstractBaseUser) -> Vacancy:
    """Start a new draft from an existing vacancy (any status), with a new reference and no history of its own
    besides where it came from (both vacancies' histories say so)."""
    copy = Vacancy.objects.get(pk=vacancy.pk)
    copy.pk = None
    copy.reference = _next_reference(timezone.localdate())
    copy.status = VacancyStatus.DRAFT
    copy.recruiter = recruiter
    copy.copied_from = vacancy
    copy.approved_by = None
    copy.submitted_at = copy.approved_at = copy.advertised_at = copy.closed_at = None
    copy.save(force_insert=True)
    _record(
        copy, VacancyEvent.Action.CREATED, actor=recruiter, from_status="", note=f"Copied from {vacancy.reference}."
    )
    _record(vacancy, VacancyEvent.Action.COPIED, actor=recruiter, note=f"New draft {copy.reference}.")
    return copy
