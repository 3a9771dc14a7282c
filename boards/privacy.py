"""The boards' personal data for `recruitment.privacy`: registry entries, declarations and retention policies.

`boards.apps` calls `register_boards` when the app is ready. Inbound events carry applicants' details as the board
sent them (`body`, `data`); the calls made while processing them (fetching a CV) are logged in `PublishAttempt`,
which cascades with its event. A new board model is one line here: `no_personal_data("boards.Model", reason=...)`
or a `register(PersonalData(...))`.
"""

from django.db.models import Q, QuerySet

from boards.models import INBOUND_OPEN_STATUSES, InboundEvent, PublishAttempt
from recruitment.privacy.anonymise import rows_delete
from recruitment.privacy.holds import without_held
from recruitment.privacy.registry import Person, PersonalData, no_personal_data, register
from recruitment.privacy.retention import RetentionPolicy, register_policy


def inbound_events_of(person: Person) -> QuerySet[InboundEvent]:
    """Events that carry the person: their email anywhere in the raw body (a poll's body is its data), or one of
    their applications (the one an event made, or a board's application id of theirs on the same board)."""
    matches = Q(body__icontains=person.email)
    if person.candidate is not None:
        applications = list(person.candidate.applications.values_list("pk", "source", "source_reference"))
        matches |= Q(application_id__in=[pk for pk, _, _ in applications])
        for _, source, reference in applications:
            if reference:
                matches |= Q(board=source, board_application_id=reference)
    return InboundEvent.objects.filter(matches)


def inbound_events_due(cutoff) -> QuerySet[InboundEvent]:
    """Events received before `cutoff` whose processing is over, unless their application is held."""
    settled = InboundEvent.objects.filter(received_at__lt=cutoff).exclude(status__in=INBOUND_OPEN_STATUSES)
    return without_held(settled, application="application")


def register_boards() -> None:
    """Register the boards' models and policies (once, when the app is ready)."""
    no_personal_data("boards.BoardAccount", reason="Our account settings on a board (secrets encrypted).")
    no_personal_data("boards.Posting", reason="A vacancy's advert on a board and how sending it went.")
    no_personal_data(
        "boards.BulkImport", reason="A bulk board's import: the vacancies it carried and the board's per-job results."
    )
    register(
        PersonalData(
            model="boards.InboundEvent",
            category="board_events",
            description="Events job boards sent us about your applications, as they sent them.",
            find=inbound_events_of,
            erase=rows_delete(InboundEvent),
            erasure="deleted (with the calls made while processing them)",
        )
    )
    register(
        PersonalData(
            model="boards.PublishAttempt",
            category="board_calls",
            description="Our calls to job boards while processing those events (e.g. fetching your CV); never the "
            "file itself.",
            find=lambda person: PublishAttempt.objects.filter(inbound_event__in=inbound_events_of(person)),
            erase=rows_delete(PublishAttempt),
            erasure="deleted",
        )
    )
    register_policy(
        RetentionPolicy(
            category="inbound_events",
            label="Raw inbound board events",
            action="deleted",
            setting="RETENTION_INBOUND_EVENTS_DAYS",
            unit="days",
            reason="They carry applicants' details as the board sent them; once processed, what we keep is in the "
            "application. Long enough to investigate and process failures again; events still being processed "
            "are never removed.",
            due=inbound_events_due,
            apply=rows_delete(InboundEvent),
        )
    )
    register_policy(
        RetentionPolicy(
            category="board_attempts",
            label="Board call logs (publish attempts)",
            action="deleted",
            setting="RETENTION_BOARD_ATTEMPTS_DAYS",
            unit="days",
            reason="Redacted call logs for support with a board; their addresses can carry a board's application "
            "id. Three months covers a board's support questions.",
            due=lambda cutoff: PublishAttempt.objects.filter(created_at__lt=cutoff),
            apply=rows_delete(PublishAttempt),
        )
    )
