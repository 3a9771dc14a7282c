"""Erasure on request (UK GDPR Article 17): every registry entry's eraser, for everything found for one person.

Refused, with the reasons, while a legal hold is on the person or one of their applications, while an offer is in
progress (an application at offer or pre-employment checks), and for someone hired: a hire's application and checks
start their employment record, which the employer's HR retention schedule governs, not this system; ask again once
HR has dealt with it. Applications still open are withdrawn first (recorded in their history), so the pipeline and
the statistics stay true. Everything is found before anything is changed (board events are matched by the
person's board application ids, which anonymisation removes), then erased dependants first, in one transaction;
files leave storage once it commits. One `RemovalAudit` row per category records how many rows, never whose.
"""

import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from recruitment.errors import DomainError
from recruitment.models import ApplicationStage, Candidate, RemovalAudit, RemovalTrigger
from recruitment.privacy.holds import active_holds_for
from recruitment.privacy.registry import Person, entries
from recruitment.privacy.selectors import personal_data_found
from recruitment.services.applications import application_move

OFFER_STAGES = (ApplicationStage.OFFER, ApplicationStage.PRE_EMPLOYMENT_CHECKS)
OPEN_STAGES = (
    ApplicationStage.NEW,
    ApplicationStage.SCREENING,
    ApplicationStage.SHORTLISTED,
    ApplicationStage.INTERVIEW,
)
WITHDRAWN_NOTE = "Withdrawn: the candidate asked for their personal data to be erased."


class ErasureRefused(DomainError):
    """Erasure cannot go ahead; `reasons` says why, one sentence each."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("Erasure refused: " + " ".join(reasons))
        self.reasons = reasons


def erasure_refusals(person: Person) -> list[str]:
    """Why the person's data cannot be erased now (an empty list when it can)."""
    candidate = person.candidate
    if candidate is None:
        return []
    reasons = []
    for hold in active_holds_for(candidate=candidate):
        on = f"their application for {hold.application.vacancy.reference}" if hold.application_id else "them"
        when = f"{timezone.localtime(hold.set_at):%d %B %Y}"
        reasons.append(f"A legal hold is on {on} (set by {hold.set_by.get_username()} on {when}): {hold.reason}")
    for application in candidate.applications.select_related("vacancy").order_by("pk"):
        reference = application.vacancy.reference
        if application.stage in OFFER_STAGES:
            reasons.append(f"An offer is in progress for {reference} ({application.get_stage_display()}).")
        elif application.stage == ApplicationStage.HIRED:
            reasons.append(
                f"They were hired for {reference}: that application and its checks belong to their employment "
                "record, which HR's retention schedule governs."
            )
    return reasons


@transaction.atomic
def personal_data_erase(*, person: Person, actor: AbstractBaseUser | None) -> dict[str, int]:
    """Erase everything the registry finds for `person`; returns how many rows each category's eraser changed.

    Raises ErasureRefused (see the module) or DomainError when nothing is held for the person.
    """
    if person.candidate is not None:
        person = Person(email=person.email, candidate=Candidate.objects.select_for_update().get(pk=person.candidate.pk))
    reasons = erasure_refusals(person)
    if reasons:
        raise ErasureRefused(reasons)
    if person.candidate is not None:
        for application in person.candidate.applications.filter(stage__in=OPEN_STAGES):
            application_move(
                application=application, to_stage=ApplicationStage.WITHDRAWN, actor=actor, note=WITHDRAWN_NOTE
            )
    found = personal_data_found(person)
    if not any(found.values()):
        raise DomainError(f"No personal data is held for {person.email}.")
    now = timezone.now()
    run = uuid.uuid4()
    counts: dict[str, int] = {}
    for entry in reversed(entries()):
        if entry.erase is None:
            continue
        counts[entry.category] = entry.erase(found[entry.category], now) if found[entry.category] else 0
        RemovalAudit.objects.create(
            run=run,
            trigger=RemovalTrigger.ERASURE,
            category=entry.category,
            action="erased",
            removed=counts[entry.category],
            started_at=now,
            finished_at=now,
            actor=actor,
        )
    return counts
