"""Writes to DBS checks: open one for an application, advance it, record Update Service checks."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from recruitment.errors import DomainError
from recruitment.models import (
    Application,
    DbsCheck,
    DbsCheckEvent,
    DbsCheckLevel,
    DbsDecision,
    DbsStage,
    DbsWorkforce,
    UpdateServiceResult,
)
from recruitment.validators import CERTIFICATE_MESSAGE, normalise_certificate_number
from recruitment.workflows import DBS_TRANSITIONS, ensure_allowed

_CHILD_WORKFORCES = {DbsWorkforce.CHILD, DbsWorkforce.CHILD_AND_ADULT}
_ADULT_WORKFORCES = {DbsWorkforce.ADULT, DbsWorkforce.CHILD_AND_ADULT}


@transaction.atomic
def dbs_check_open(*, application: Application, actor: AbstractBaseUser | None) -> DbsCheck:
    """Open the DBS check an application's vacancy requires (level, workforce and barred lists from the vacancy).

    Returns the existing check if there is one, so calling it twice opens one check.
    """
    existing = DbsCheck.objects.filter(application=application).first()
    if existing is not None:
        return existing
    vacancy = application.vacancy
    if not vacancy.needs_dbs_check:
        raise DomainError("This vacancy does not need a DBS check.")
    barred = vacancy.dbs_level == DbsCheckLevel.ENHANCED_BARRED
    now = timezone.now()
    check = DbsCheck.objects.create(
        application=application,
        level=vacancy.dbs_level,
        workforce=vacancy.dbs_workforce or DbsWorkforce.OTHER,
        barred_list_children=barred and vacancy.dbs_workforce in _CHILD_WORKFORCES,
        barred_list_adults=barred and vacancy.dbs_workforce in _ADULT_WORKFORCES,
        stage_changed_at=now,
    )
    DbsCheckEvent.objects.create(dbs_check=check, to_stage=check.stage, actor=actor, at=now, note="Check opened")
    return check


# What each stage records, besides the move: the fields a form shows only for that stage.
STAGE_FIELDS: dict[str, tuple[str, ...]] = {
    DbsStage.CERTIFICATE_ISSUED: ("certificate_number", "certificate_issue_date"),
    DbsStage.DECISION_RECORDED: ("decision",),
}
FIELD_LABELS = {
    "certificate_number": "The certificate number",
    "certificate_issue_date": "The certificate issue date",
    "decision": "The recruitment decision",
}


def dbs_advance_problems(
    *,
    to_stage: str,
    certificate_number: str | None,
    certificate_issue_date: datetime.date | None,
    decision: str | None,
) -> dict[str, str]:
    """Every problem with what a move to `to_stage` records, at once, keyed by field: what the stage needs and is
    missing or wrong, and what was given for a field the stage does not take (nothing typed is dropped unsaid).

    The one rule of the service and of every form: certificate issued needs the 12-digit number (spaces or dashes
    between groups allowed) and an issue date not in the future; decision recorded needs the decision.
    """
    problems: dict[str, str] = {}
    given = {
        "certificate_number": certificate_number,
        "certificate_issue_date": certificate_issue_date,
        "decision": decision,
    }
    taken = STAGE_FIELDS.get(to_stage, ())
    stage_label = DbsStage(to_stage).label if to_stage in DbsStage.values else to_stage
    for name, value in given.items():
        if value and name not in taken:
            stages = [DbsStage(stage).label for stage, fields in STAGE_FIELDS.items() if name in fields]
            problems[name] = (
                f"{FIELD_LABELS[name]} is recorded only when the check moves to {stages[0]}, not {stage_label}: "
                f"clear it, or choose {stages[0]}."
            )
    if to_stage == DbsStage.CERTIFICATE_ISSUED:
        if not certificate_number:
            problems["certificate_number"] = "Enter the certificate number: the 12 digits printed on the certificate."
        else:
            try:
                normalise_certificate_number(certificate_number)
            except ValidationError:
                problems["certificate_number"] = CERTIFICATE_MESSAGE
        if certificate_issue_date is None:
            problems["certificate_issue_date"] = "Enter the certificate issue date."
        elif certificate_issue_date > timezone.localdate():
            problems["certificate_issue_date"] = "Certificate issue date must be today or in the past."
    if to_stage == DbsStage.DECISION_RECORDED and decision not in DbsDecision.values:
        problems["decision"] = "Select the recruitment decision."
    return problems


@transaction.atomic
def dbs_check_advance(
    *,
    check: DbsCheck,
    to_stage: str,
    actor: AbstractBaseUser | None,
    certificate_number: str | None = None,
    certificate_issue_date: datetime.date | None = None,
    decision: str | None = None,
    note: str = "",
) -> DbsCheck:
    """Move a DBS check to its next stage, with what that stage needs (`dbs_advance_problems`).

    Refused moves raise InvalidTransition; missing, bad or misplaced details (and a note with control characters)
    raise ValidationError keyed by field, every problem at once.
    """
    locked = DbsCheck.objects.select_for_update().get(pk=check.pk)
    ensure_allowed(DBS_TRANSITIONS, DbsStage, what="DBS check", current=locked.stage, target=to_stage)
    now = timezone.now()
    problems = dbs_advance_problems(
        to_stage=to_stage,
        certificate_number=certificate_number,
        certificate_issue_date=certificate_issue_date,
        decision=decision,
    )
    event = DbsCheckEvent(dbs_check=locked, from_stage=locked.stage, to_stage=to_stage, actor=actor, at=now, note=note)
    try:
        event.full_clean(exclude=["dbs_check", "actor"])
    except ValidationError as exc:
        problems.update({name: " ".join(messages) for name, messages in exc.message_dict.items()})
    if problems:
        raise ValidationError(problems)
    if to_stage == DbsStage.CERTIFICATE_ISSUED:
        locked.certificate_number = normalise_certificate_number(certificate_number or "")
        locked.certificate_issue_date = certificate_issue_date
    if to_stage == DbsStage.DECISION_RECORDED:
        locked.decision = decision
        locked.decision_at = now
        locked.decision_by = actor
    event.save()
    locked.stage = to_stage
    locked.stage_changed_at = now
    locked.save()
    return locked


@transaction.atomic
def dbs_check_record_update_service(
    *, check: DbsCheck, subscriber: bool, result: str, actor: AbstractBaseUser | None
) -> DbsCheck:
    """Record a DBS Update Service status check (for a candidate who subscribes and brings a certificate)."""
    if result not in UpdateServiceResult.values:
        raise ValidationError({"update_service_result": "Choose the result of the status check."})
    locked = DbsCheck.objects.select_for_update().get(pk=check.pk)
    now = timezone.now()
    locked.update_service_subscriber = subscriber
    locked.update_service_result = result
    locked.update_service_checked_at = now
    locked.save(update_fields=["update_service_subscriber", "update_service_result", "update_service_checked_at"])
    DbsCheckEvent.objects.create(
        dbs_check=locked,
        from_stage=locked.stage,
        to_stage=locked.stage,
        actor=actor,
        at=now,
        note=f"Update Service status check: {locked.get_update_service_result_display()}",
    )
    return locked
