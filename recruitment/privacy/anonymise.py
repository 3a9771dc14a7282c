"""The row-level operations retention and erasure share. Each takes primary keys, runs inside the caller's
transaction (retention's batch, or the erasure), and returns how many rows it changed or deleted.

Anonymising an application keeps what statistics count (its vacancy, stage, source and source name, its dates, its
stage moves and the equal-opportunities answers) and removes what identifies the person: it is moved onto a stand-in
candidate of its own (no name, no contact details: `Candidate.anonymised_at` is set), its cover letter, rejection
reason, the board's application id and every note in its history are blanked, its documents are deleted with their
files, and its DBS check loses the certificate number, issue date and Update Service details. The person's own
candidate row is then deleted by the candidates policy once no application of theirs is kept.
"""

import datetime
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Model

from recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationStageChange,
    Candidate,
    DbsCheck,
    DbsCheckEvent,
    LegalHold,
)

STAND_IN_FIRST_NAME = "Anonymised"
STAND_IN_LAST_NAME = "applicant"
STAND_IN_EMAIL_DOMAIN = "anonymised.invalid"  # RFC 2606: can never be a real address


def rows_delete(model: type[Model]):
    """An eraser that deletes the given rows of `model` (and what cascades from them)."""

    def delete(pks: Sequence[int], now: datetime.datetime) -> int:
        return model.objects.filter(pk__in=pks).delete()[1].get(model._meta.label, 0)

    return delete


def documents_delete(pks: Sequence[int], now: datetime.datetime | None = None) -> int:
    """Delete documents; their files leave storage once the transaction commits (a rollback keeps both)."""
    documents = list(ApplicationDocument.objects.filter(pk__in=pks).only("pk", "file"))
    for document in documents:
        storage, name = document.file.storage, document.file.name
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return ApplicationDocument.objects.filter(pk__in=[document.pk for document in documents]).delete()[0]


def stage_notes_clear(pks: Sequence[int], now: datetime.datetime | None = None) -> int:
    """Blank the free-text notes of stage moves (who moved it, when, from and to stay)."""
    return ApplicationStageChange.objects.filter(pk__in=pks).exclude(note="").update(note="")


def dbs_events_clear_notes(pks: Sequence[int], now: datetime.datetime | None = None) -> int:
    """Blank the notes of DBS check log entries (stage moves, who and when stay)."""
    return DbsCheckEvent.objects.filter(pk__in=pks).exclude(note="").update(note="")


_UPDATE_SERVICE_CLEARED = {
    "update_service_subscriber": False,
    "update_service_result": "",
    "update_service_checked_at": None,
}


def dbs_checks_reduce(pks: Sequence[int], now: datetime.datetime) -> int:
    """Reduce DBS checks to the record the DBS code of practice lets an employer keep after the recruitment decision.

    Kept: the certificate's issue date and number, the type of check (level, workforce, barred lists), the position
    and the subject's name (through the application, its vacancy and candidate), and the decision (with when and
    by whom), plus the stage history's who/when. Removed: the Update Service status (subscription, result, when
    checked: information drawn from the certificate's currency) and every free-text note in the check's log.
    """
    checks = DbsCheck.objects.filter(pk__in=pks)
    dbs_events_clear_notes(DbsCheckEvent.objects.filter(dbs_check__in=checks).values_list("pk", flat=True))
    return checks.update(**_UPDATE_SERVICE_CLEARED, details_purged_at=now)


def dbs_checks_strip(pks: Sequence[int], now: datetime.datetime) -> int:
    """Anonymise DBS checks: reduce them, and remove the certificate's number and issue date too (the number
    identifies the person at the DBS). The level, workforce, stage and decision stay for statistics."""
    dbs_checks_reduce(pks, now)
    return DbsCheck.objects.filter(pk__in=pks).update(certificate_number="", certificate_issue_date=None)


def applications_anonymise(pks: Sequence[int], now: datetime.datetime) -> int:
    """Anonymise applications (see the module docstring); returns how many. Lifted legal holds on them go too
    (their reasons are about the person); the caller has left out applications under an active hold."""
    applications = list(Application.objects.filter(pk__in=pks, anonymised_at__isnull=True).only("pk", "candidate_id"))
    if not applications:
        return 0
    ids = [application.pk for application in applications]
    documents_delete(ApplicationDocument.objects.filter(application_id__in=ids).values_list("pk", flat=True))
    stage_notes_clear(ApplicationStageChange.objects.filter(application_id__in=ids).values_list("pk", flat=True))
    dbs_checks_strip(DbsCheck.objects.filter(application_id__in=ids).values_list("pk", flat=True), now)
    LegalHold.objects.filter(application_id__in=ids, lifted_at__isnull=False).delete()
    emails = [f"{uuid.uuid4().hex}@{STAND_IN_EMAIL_DOMAIN}" for _ in applications]
    stand_ins = Candidate.objects.bulk_create(
        [
            # bulk_create skips save(), which fills the normalised address: these are already in normal form.
            Candidate(
                first_name=STAND_IN_FIRST_NAME,
                last_name=STAND_IN_LAST_NAME,
                email=email,
                email_normalised=email,
                anonymised_at=now,
            )
            for email in emails
        ]
    )
    for application, stand_in in zip(applications, stand_ins, strict=True):
        application.candidate_id = stand_in.pk
    Application.objects.bulk_update(applications, ["candidate"])
    Application.objects.filter(pk__in=ids).update(
        cover_letter="", rejection_reason="", source_reference="", anonymised_at=now
    )
    return len(ids)


def candidates_delete(pks: Sequence[int], now: datetime.datetime | None = None) -> int:
    """Delete candidates left with no application (their lifted legal holds go with them)."""
    return Candidate.objects.filter(pk__in=pks, applications__isnull=True).delete()[1].get(Candidate._meta.label, 0)
