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
    """Move a DBS check to its next stage, with what that stage needs.

    Certificate issued needs the 12-digit certificate number (`normalise_certificate_number`: groups of digits
    separated by spaces or dashes are accepted) and its issue date; decision recorded needs the decision. Refused
    moves raise InvalidTransition, missing or bad details (and a note with control characters) raise
    ValidationError.
    """
    locked = DbsCheck.objects.select_for_update().get(pk=check.pk)
    ensure_allowed(DBS_TRANSITIONS, DbsStage, what="DBS check", current=locked.stage, target=to_stage)
    now = timezone.now()
    if to_stage == DbsStage.CERTIFICATE_ISSUED:
        errors: dict[str, str] = {}
        try:
            number = normalise_certificate_number(certificate_number or "")
        except ValidationError:
            errors["certificate_number"] = CERTIFICATE_MESSAGE
        if certificate_issue_date is None:
            errors["certificate_issue_date"] = "Enter the date the certificate was issued."
        elif certificate_issue_date > timezone.localdate():
            errors["certificate_issue_date"] = "The issue date must be today or in the past."
        if errors:
            raise ValidationError(errors)
        locked.certificate_number = number
        locked.certificate_issue_date = certificate_issue_date
    if to_stage == DbsStage.DECISION_RECORDED:
        if decision not in DbsDecision.values:
            raise ValidationError({"decision": "Choose the recruitment decision."})
        locked.decision = decision
        locked.decision_at = now
        locked.decision_by = actor
    event = DbsCheckEvent(dbs_check=locked, from_stage=locked.stage, to_stage=to_stage, actor=actor, at=now, note=note)
    event.full_clean(exclude=["dbs_check", "actor"])
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
