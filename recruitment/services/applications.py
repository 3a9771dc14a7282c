"""Writes to applications: submit, move through the pipeline, reject, withdraw, equal-opportunities answers."""

from collections.abc import Mapping, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from recruitment.errors import AlreadyExists, DomainError
from recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationSource,
    ApplicationStage,
    ApplicationStageChange,
    Candidate,
    DbsCheck,
    DbsDecision,
    DbsStage,
    DocumentKind,
    EqualOpportunities,
    PartnerClient,
    Vacancy,
)
from recruitment.services.candidates import candidate_get_or_create
from recruitment.services.dbs import dbs_check_advance, dbs_check_open
from recruitment.sources import is_source, source_label
from recruitment.uploads import CheckedDocument
from recruitment.workflows import APPLICATION_TRANSITIONS, DBS_TRANSITIONS, ensure_allowed

_ENDED = (ApplicationStage.REJECTED, ApplicationStage.WITHDRAWN)


def _ensure_open(vacancy: Vacancy) -> None:
    """Refuse a vacancy that `Vacancy.objects.open_for_applications()` would not list."""
    if not vacancy.is_open_for_applications:
        raise DomainError("This job is not open for applications.", field="vacancy")


@transaction.atomic
def application_submit(
    *,
    candidate: Candidate,
    vacancy: Vacancy,
    source: str = ApplicationSource.DIRECT,
    partner_client: PartnerClient | None = None,
    source_name: str = "",
    source_reference: str = "",
    cover_letter: str = "",
    documents: Sequence[tuple[str, CheckedDocument]] = (),
    equal_opportunities: Mapping[str, str] | None = None,
) -> Application:
    """Apply a candidate to an open vacancy, storing their documents and (apart) their monitoring answers.

    Refuses a vacancy not open for applications (DomainError), a second application by the same candidate to the
    same job or a board's application received twice (AlreadyExists), and text with control characters
    (ValidationError keyed by field).
    """
    if not is_source(source):
        raise ValidationError({"source": "Unknown application source."})
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    _ensure_open(vacancy)
    # Worded without the candidate's name: partners and the public careers page see this message.
    already_applied = AlreadyExists("This candidate has already applied for this job.", field="vacancy")
    if Application.objects.filter(candidate=candidate, vacancy=vacancy).exists():
        raise already_applied
    if source_reference and Application.objects.filter(source=source, source_reference=source_reference).exists():
        raise AlreadyExists(
            f"{source_label(source)} application {source_reference} has already been received.",
            field="source_reference",
        )
    now = timezone.now()
    application = Application(
        candidate=candidate,
        vacancy=vacancy,
        source=source,
        partner_client=partner_client,
        source_name=source_name,
        source_reference=source_reference,
        cover_letter=cover_letter,
        submitted_at=now,
        stage_changed_at=now,
    )
    application.full_clean(
        exclude=["candidate", "vacancy", "partner_client"], validate_unique=False, validate_constraints=False
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        # A concurrent request won the race for one of the two unique keys checked above.
        raise already_applied from exc
    ApplicationStageChange.objects.create(
        application=application, from_stage="", to_stage=ApplicationStage.NEW, changed_at=now, note="Applied"
    )
    for kind, document in documents:
        application_document_attach(application=application, kind=kind, document=document)
    if equal_opportunities is not None:
        equal_opportunities_record(application=application, answers=equal_opportunities)
    return application


@transaction.atomic
def application_apply(
    *,
    vacancy: Vacancy,
    email: str,
    first_name: str,
    last_name: str,
    candidate_details: Mapping[str, str] | None = None,
    source: str = ApplicationSource.DIRECT,
    partner_client: PartnerClient | None = None,
    source_name: str = "",
    source_reference: str = "",
    cover_letter: str = "",
    documents: Sequence[tuple[str, CheckedDocument]] = (),
    equal_opportunities: Mapping[str, str] | None = None,
    privacy_notice_accepted: bool = True,
) -> Application:
    """Apply as a person who may or may not be a candidate yet: match them by email (any case) or create them, then
    submit, all or nothing. Used by the careers site, the partner API and the boards' inbound applications.

    `candidate_details` holds the other Candidate fields (phone, address, postcode, registration).
    `privacy_notice_accepted`: the person accepted our privacy notice by applying (the careers site asks them to,
    partners confirm it); someone who applied on a job board accepted the board's terms, not our notice, so it is
    not recorded for them.
    """
    candidate, _ = candidate_get_or_create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        privacy_notice_accepted_at=timezone.now() if privacy_notice_accepted else None,
        **(candidate_details or {}),
    )
    return application_submit(
        candidate=candidate,
        vacancy=vacancy,
        source=source,
        partner_client=partner_client,
        source_name=source_name,
        source_reference=source_reference,
        cover_letter=cover_letter,
        documents=documents,
        equal_opportunities=equal_opportunities,
    )


@transaction.atomic
def application_document_attach(
    *, application: Application, kind: str, document: CheckedDocument
) -> ApplicationDocument:
    """Store a checked CV or cover letter for an application, replacing the previous one of that kind."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": f"Unknown document kind {kind!r}."})
    for previous in ApplicationDocument.objects.filter(application=application, kind=kind):
        storage, name = previous.file.storage, previous.file.name
        previous.delete()
        # The old file goes only once the replacement is committed: a rollback keeps it.
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    stored = ApplicationDocument(
        application=application,
        kind=kind,
        original_name=document.original_name,
        content_type=document.content_type,
        size=document.size,
    )
    stored.file.save(document.original_name, document.file, save=False)
    stored.save()
    return stored


@transaction.atomic
def application_move(
    *, application: Application, to_stage: str, actor: AbstractBaseUser | None, note: str = ""
) -> Application:
    """Move an application to another stage if the pipeline allows it, recording who, when and why.

    Moving to pre-employment checks opens the DBS check when the vacancy needs one; hiring then needs that check's
    decision to be "proceed"; rejecting or withdrawing cancels a check that is still in progress.
    """
    locked = Application.objects.select_for_update().select_related("vacancy").get(pk=application.pk)
    ensure_allowed(APPLICATION_TRANSITIONS, ApplicationStage, what="application", current=locked.stage, target=to_stage)
    check = DbsCheck.objects.filter(application=locked).first()
    needs_decision = to_stage == ApplicationStage.HIRED and locked.vacancy.needs_dbs_check
    if needs_decision and (check is None or check.decision != DbsDecision.PROCEED):
        raise DomainError("This post needs a DBS check: record the decision to proceed before hiring.", field="stage")
    now = timezone.now()
    change = ApplicationStageChange(
        application=locked, from_stage=locked.stage, to_stage=to_stage, changed_by=actor, changed_at=now, note=note
    )
    change.full_clean(exclude=["application", "changed_by"])
    change.save()
    locked.stage = to_stage
    locked.stage_changed_at = now
    locked.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    if to_stage == ApplicationStage.PRE_EMPLOYMENT_CHECKS and locked.vacancy.needs_dbs_check:
        dbs_check_open(application=locked, actor=actor)
    if to_stage in _ENDED and check is not None and DbsStage.CANCELLED in DBS_TRANSITIONS[check.stage]:
        dbs_check_advance(check=check, to_stage=DbsStage.CANCELLED, actor=actor, note=f"Application {to_stage}")
    return locked


@transaction.atomic
def application_history_note(
    *, application: Application, note: str, actor: AbstractBaseUser | None = None
) -> ApplicationStageChange:
    """Add an entry to the application's history without moving it (e.g. a status a job board reported): a row
    whose from and to stages are both the current one, so the stage, and the change export, are untouched."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    return ApplicationStageChange.objects.create(
        application=locked,
        from_stage=locked.stage,
        to_stage=locked.stage,
        changed_by=actor,
        changed_at=timezone.now(),
        note=note,
    )


@transaction.atomic
def application_reject(*, application: Application, actor: AbstractBaseUser | None, reason: str) -> Application:
    """Reject an application with a reason the recruiter gives."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for rejecting this application."})
    application = application_move(
        application=application, to_stage=ApplicationStage.REJECTED, actor=actor, note=reason.strip()
    )
    application.rejection_reason = reason.strip()
    application.save(update_fields=["rejection_reason", "updated_at"])
    return application


@transaction.atomic
def equal_opportunities_record(*, application: Application, answers: Mapping[str, str]) -> EqualOpportunities:
    """Store (or replace) the monitoring answers of an application; unanswered questions are 'prefer not to say'."""
    allowed = {f.name for f in EqualOpportunities._meta.get_fields()} - {"id", "application", "recorded_at"}
    unknown = set(answers) - allowed
    if unknown:
        raise ValidationError(f"Unknown equal-opportunities questions: {', '.join(sorted(unknown))}.")
    record = EqualOpportunities.objects.filter(application=application).first() or EqualOpportunities(
        application=application
    )
    for name, value in answers.items():
        setattr(record, name, value)
    record.full_clean(exclude=["application"])
    record.save()
    return record
