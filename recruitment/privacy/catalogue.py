"""The recruitment app's personal data: its registry entries, the models declared as holding none, and its retention
policies. `recruitment.apps` calls `register_recruitment` when the app is ready.

Registration order matters to erasure, which works backwards (dependants first): candidates, then their
applications, then what hangs off an application.
"""

import datetime
from collections.abc import Callable, Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast

from recruitment.models import (
    ApiToken,
    Application,
    ApplicationDocument,
    ApplicationStage,
    ApplicationStageChange,
    Candidate,
    DbsCheck,
    DbsCheckEvent,
    DbsStage,
    DbsViewLog,
    EqualOpportunities,
    IdempotencyRecord,
    LegalHold,
    Vacancy,
    VacancyStatus,
)
from recruitment.privacy.anonymise import (
    applications_anonymise,
    candidates_delete,
    dbs_checks_reduce,
    dbs_checks_strip,
    dbs_events_clear_notes,
    documents_delete,
    rows_delete,
    stage_notes_clear,
)
from recruitment.privacy.holds import held_candidate_ids, without_held
from recruitment.privacy.registry import ExportFile, Person, PersonalData, no_personal_data, register
from recruitment.privacy.retention import RetentionPolicy, register_policy

# An application is decided once it is rejected or withdrawn (its stage never changes again, so the time it moved
# there is the decision's), or once its vacancy closed (or was cancelled) while it was still undecided: no offer
# came. Offers, pre-employment checks and hires are never "unsuccessful".
ENDED_STAGES = (ApplicationStage.REJECTED, ApplicationStage.WITHDRAWN)
UNDECIDED_STAGES = (
    ApplicationStage.NEW,
    ApplicationStage.SCREENING,
    ApplicationStage.SHORTLISTED,
    ApplicationStage.INTERVIEW,
)
ENDED_VACANCY_STATUSES = (VacancyStatus.CLOSED, VacancyStatus.CANCELLED)


def unsuccessful_applications_due(cutoff: datetime.datetime) -> QuerySet[Application]:
    """Applications not yet anonymised whose unsuccessful outcome was decided before `cutoff`, not held."""
    ended_vacancies = Vacancy.objects.filter(status__in=ENDED_VACANCY_STATUSES, closed_at__lt=cutoff).values("pk")
    decided = Q(stage__in=ENDED_STAGES, stage_changed_at__lt=cutoff) | Q(
        stage__in=UNDECIDED_STAGES, vacancy__in=ended_vacancies
    )
    return without_held(Application.objects.filter(anonymised_at__isnull=True).filter(decided))


def candidates_due(cutoff: datetime.datetime) -> QuerySet[Candidate]:
    """People (not stand-ins) recorded before `cutoff` with no application left to keep, not held: their
    applications are all due for anonymisation (the run anonymises those first), or they never applied."""
    kept = Application.objects.filter(candidate=OuterRef("pk")).exclude(
        pk__in=unsuccessful_applications_due(cutoff).values("pk")
    )
    return (
        Candidate.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
        .exclude(pk__in=held_candidate_ids())
        .exclude(Exists(kept))
    )


def dbs_details_due(cutoff: datetime.datetime) -> QuerySet[DbsCheck]:
    """DBS checks whose recruitment decision (or cancellation) came before `cutoff`, not yet reduced, not held."""
    decided = Q(stage=DbsStage.DECISION_RECORDED, decision_at__lt=cutoff) | Q(
        stage=DbsStage.CANCELLED, stage_changed_at__lt=cutoff
    )
    return without_held(
        DbsCheck.objects.filter(details_purged_at__isnull=True).filter(decided), application="application"
    )


def _of_candidate(model, path: str) -> Callable[[Person], QuerySet]:
    """A finder: the rows of `model` whose `path` leads to the person's candidate (none without a candidate)."""

    def find(person: Person) -> QuerySet:
        if person.candidate is None:
            return model.objects.none()
        return model.objects.filter(**{path: person.candidate})

    return find


def _idempotency_records(person: Person) -> QuerySet[IdempotencyRecord]:
    """Stored answers that name the person: by candidate id or application id in the answer, or their email."""
    matches = Q(body_text__icontains=person.email)
    if person.candidate is not None:
        application_ids = list(person.candidate.applications.values_list("pk", flat=True))
        matches |= Q(response_body__candidate_id=person.candidate.pk) | Q(response_body__id__in=application_ids)
    return IdempotencyRecord.objects.annotate(body_text=Cast("response_body", TextField())).filter(matches)


def _document_file(document: ApplicationDocument) -> Iterable[ExportFile]:
    suffix = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else "bin"
    name = f"applications/{document.application_id}/{document.kind}-{document.pk}.{suffix}"
    return [(name, lambda: document.file.open("rb"))]


def _dbs_views(person: Person) -> QuerySet[DbsViewLog]:
    if person.candidate is None:
        return DbsViewLog.objects.none()
    checks = DbsCheck.objects.filter(application__candidate=person.candidate).values("pk")
    return DbsViewLog.objects.filter(dbs_check_id__in=checks)


def _legal_holds(person: Person) -> QuerySet[LegalHold]:
    if person.candidate is None:
        return LegalHold.objects.none()
    return LegalHold.objects.filter(Q(candidate=person.candidate) | Q(application__candidate=person.candidate))


_REFERENCE = "A reference list (divisions, places, categories, bands, types, levels): no person's data."
_STAFF = "About members of staff (their accounts are Django users), not the people who apply."


def _declare() -> None:
    for model in (
        "Division",
        "Department",
        "Region",
        "Location",
        "JobCategory",
        "SalaryBand",
        "EmploymentType",
        "JobLevel",
        "SchoolLocation",
    ):
        no_personal_data(f"recruitment.{model}", reason=_REFERENCE)
    no_personal_data("recruitment.Organisation", reason="The employer's own name, 'about us' text and privacy notice.")
    no_personal_data(
        "recruitment.VacancyEvent",
        reason=f"A vacancy's history: who moved it (staff) and the reason they gave for the post. {_STAFF}",
    )
    no_personal_data("recruitment.VacancyReferenceCounter", reason="The last vacancy number issued in a year.")
    no_personal_data(
        "recruitment.Vacancy",
        reason="A post and its advert; the people it names are staff (recruiter, approver) and its reply-to "
        "address is a team mailbox.",
    )
    no_personal_data("recruitment.DataScope", reason=f"Which divisions a member of staff may see. {_STAFF}")
    no_personal_data("recruitment.PartnerClient", reason="A partner system's registration and key hash.")
    no_personal_data("recruitment.ApiPassword", reason=f"A hashed API password. {_STAFF}")
    no_personal_data(
        "recruitment.ApiToken",
        reason=f"Digests of partner bearer tokens acting as staff. {_STAFF} Expired ones are deleted by the "
        "api_tokens retention policy.",
    )
    no_personal_data("recruitment.RemovalAudit", reason="Counts per category and run, never whose data it was.")


def _register_entries() -> None:
    register(
        PersonalData(
            model="recruitment.Candidate",
            category="candidate",
            description="Your details: name, email, phone, address, professional registration.",
            find=lambda person: (
                Candidate.objects.filter(pk=person.candidate.pk) if person.candidate else Candidate.objects.none()
            ),
            erase=candidates_delete,
            erasure="deleted, once every application is anonymised",
        )
    )
    register(
        PersonalData(
            model="recruitment.Application",
            category="applications",
            description="Your applications: the job, where they came from, stage, cover letter, dates.",
            find=lambda person: _of_candidate(Application, "candidate")(person).select_related("vacancy"),
            describe=lambda application: {
                "job_reference": application.vacancy.reference,
                "job_title": application.vacancy.title_for_candidates,
            },
            erase=applications_anonymise,
            erasure="anonymised: stage, source and dates stay for statistics, on a stand-in with no name; the "
            "cover letter, rejection reason and the board's application id go (open ones are withdrawn first)",
        )
    )
    register(
        PersonalData(
            model="recruitment.ApplicationDocument",
            category="documents",
            description="Your CVs and cover letters (the files are in the files/ folder).",
            find=_of_candidate(ApplicationDocument, "application__candidate"),
            erase=documents_delete,
            erasure="deleted, with their files",
            files=_document_file,
        )
    )
    register(
        PersonalData(
            model="recruitment.ApplicationStageChange",
            category="application_history",
            description="Each move of your applications between stages, with the notes recorded.",
            find=_of_candidate(ApplicationStageChange, "application__candidate"),
            erase=stage_notes_clear,
            erasure="notes blanked (the moves stay with the anonymised application)",
        )
    )
    register(
        PersonalData(
            model="recruitment.EqualOpportunities",
            category="equal_opportunities",
            description="Your equal-opportunities monitoring answers.",
            find=_of_candidate(EqualOpportunities, "application__candidate"),
            erase=None,
            erasure="kept with the anonymised application",
            kept_because="Once its application is moved to a stand-in they say nothing about who answered, and "
            "monitoring statistics (Equality Act 2010 s.149) must stay correct.",
        )
    )
    register(
        PersonalData(
            model="recruitment.DbsCheck",
            category="dbs_checks",
            description="Your DBS checks: type, stage, certificate number and issue date, Update Service status, "
            "decision.",
            find=_of_candidate(DbsCheck, "application__candidate"),
            erase=dbs_checks_strip,
            erasure="certificate number, issue date and Update Service details removed; type, stage and "
            "decision stay with the anonymised application",
        )
    )
    register(
        PersonalData(
            model="recruitment.DbsCheckEvent",
            category="dbs_check_history",
            description="Each move of your DBS checks, with the notes recorded.",
            find=_of_candidate(DbsCheckEvent, "dbs_check__application__candidate"),
            erase=dbs_events_clear_notes,
            erasure="notes blanked",
        )
    )
    register(
        PersonalData(
            model="recruitment.DbsViewLog",
            category="dbs_check_views",
            description="When your DBS check details were looked at, and where (back-office, admin, partner API).",
            find=_dbs_views,
            erase=None,
            erasure="kept",
            kept_because="The DBS viewer log names a check by its id, never its contents or the person, and must "
            "survive: once the check is anonymised it points at no one.",
            export_exclude=("viewer", "viewer_username"),
        )
    )
    register(
        PersonalData(
            model="recruitment.LegalHold",
            category="legal_holds",
            description="Legal holds on your data: why, and when they were set and lifted.",
            find=_legal_holds,
            erase=rows_delete(LegalHold),
            erasure="deleted (erasure is refused while one is on)",
            export_exclude=("set_by", "lifted_by"),
        )
    )
    register(
        PersonalData(
            model="recruitment.IdempotencyRecord",
            category="partner_api_answers",
            description="Stored answers to a partner system's application for you (kept 24 hours to answer repeats).",
            find=_idempotency_records,
            erase=rows_delete(IdempotencyRecord),
            erasure="deleted",
            export_exclude=("request_fingerprint",),
        )
    )


def _register_policies() -> None:
    register_policy(
        RetentionPolicy(
            category="unsuccessful_applications",
            label="Unsuccessful candidates' applications, documents and equal-opportunities answers",
            action="anonymised",
            setting="RETENTION_UNSUCCESSFUL_MONTHS",
            unit="months",
            reason="Long enough to answer a discrimination claim (3 months less a day from the decision, Equality "
            "Act 2010 s.123, plus ACAS early conciliation), as the ICO's guidance on recruitment records advises; "
            "anonymised rather than deleted so recruitment and equal-opportunities statistics stay correct.",
            due=unsuccessful_applications_due,
            apply=applications_anonymise,
        )
    )
    register_policy(
        RetentionPolicy(
            category="candidates",
            label="Candidates with no application left to keep",
            action="deleted",
            setting="RETENTION_UNSUCCESSFUL_MONTHS",
            unit="months",
            reason="Once every application of a person is anonymised (or they never applied), their details serve "
            "no purpose.",
            due=candidates_due,
            apply=candidates_delete,
        )
    )
    register_policy(
        RetentionPolicy(
            category="dbs_details",
            label="DBS certificate details",
            action="reduced",
            setting="RETENTION_DBS_DETAILS_MONTHS",
            unit="months",
            reason="The DBS code of practice (Police Act 1997 s.122) and its guidance on handling certificate "
            "information: no longer than needed after the recruitment decision, normally 6 months; after that "
            "only issue date, name, type of check, position, certificate number and decision.",
            due=dbs_details_due,
            apply=dbs_checks_reduce,
        )
    )
    register_policy(
        RetentionPolicy(
            category="idempotency_records",
            label="Partner API idempotency records",
            action="deleted",
            setting="RETENTION_IDEMPOTENCY_HOURS",
            unit="hours",
            reason="They replay the first answer (which names a candidate) to a partner's retried POST; partners "
            "retry within minutes, and 24 hours is the usual window of idempotency keys.",
            due=lambda cutoff: IdempotencyRecord.objects.filter(created_at__lt=cutoff),
            apply=rows_delete(IdempotencyRecord),
        )
    )
    register_policy(
        RetentionPolicy(
            category="api_tokens",
            label="Expired or revoked partner API tokens",
            action="deleted",
            setting="RETENTION_API_TOKENS_DAYS",
            unit="days",
            reason="Refused from the moment they expire or are revoked (every token expires an hour after issue, "
            "revoked ones included); kept this long to trace which partner acted as whom.",
            due=lambda cutoff: ApiToken.objects.filter(expires_at__lt=cutoff),
            apply=rows_delete(ApiToken),
        )
    )


def register_recruitment() -> None:
    """Register the recruitment app's models and policies (once, when the app is ready)."""
    _declare()
    _register_entries()
    _register_policies()
