"""What each kind of inbound event does, whatever board it came from.

`handle_event` reads a claimed `InboundEvent` and returns how it was handled, or raises `EventFailed` (it cannot
succeed: an unknown job, a closed vacancy, a refused CV; the reason is kept for people) or `EventNotReady` (it may
succeed later: a status change for an application we have not received yet). Board calls (fetching an application
or its CV) raise the `boards.errors` classes; the caller (`boards.services.inbound`) turns those into retries.

An application ends in `recruitment.services.applications.application_apply`, the service the careers site and the
partner API use: one candidate per email whatever its case, one application per candidate and vacancy, the board's
application id unique per source (BOARDS.md, "Inbound, for every board").
"""

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from boards.base import JOB_EVENT_KINDS, BoardAdapter, BoardEvent, BoardEventKind, Capability, Recorder
from boards.errors import PermanentBoardError
from boards.http import BoardHttpClient
from boards.models import BoardAccount, BulkImport, InboundEvent, InboundStatus, Posting
from boards.types import BoardStatus
from recruitment.errors import DomainError
from recruitment.models import Application, ApplicationStage, DocumentKind
from recruitment.services.applications import application_apply, application_history_note, application_move
from recruitment.uploads import MAX_DOCUMENT_BYTES, CheckedDocument, check_document

_FINAL_STAGES = (ApplicationStage.HIRED, ApplicationStage.REJECTED, ApplicationStage.WITHDRAWN)


class EventFailed(Exception):
    """The event cannot succeed as it is; `reason` says why, for the admin and the dashboard. `posting` is the
    posting it is about, when known (so the people who see that vacancy see the failure too)."""

    def __init__(self, reason: str, *, posting: Posting | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.posting = posting


class EventNotReady(Exception):
    """The event may succeed later (something it needs has not arrived yet); retried with backoff."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Handled:
    """How an event was handled: processed or ignored, with a note and what it touched."""

    status: str
    note: str = ""
    posting: Posting | None = None
    application: Application | None = None


def handle_event(*, event: InboundEvent, account: BoardAccount, recorder: Recorder) -> Handled:
    """Do what the event says (see the module). The account is the one the event came to."""
    adapter = account.adapter
    board_event = as_board_event(event)
    if event.kind == BoardEventKind.APPLICATION_RECEIVED:
        return _application_received(board_event, account, adapter, recorder)
    if event.kind == BoardEventKind.APPLICATION_STATUS_CHANGED:
        return _application_status_changed(board_event, account, adapter, recorder)
    if event.kind in JOB_EVENT_KINDS:
        return _job_changed(board_event, account, adapter, recorder)
    if event.kind == BoardEventKind.IMPORT_COMPLETED:
        return _import_completed(board_event, account, adapter)
    return Handled(
        InboundStatus.IGNORED, f"{adapter.name} event {event.raw_type or event.kind!r} is not one we act on."
    )


def as_board_event(event: InboundEvent) -> BoardEvent:
    """The stored event in the adapter's normalised shape again."""
    return BoardEvent(
        event_id=event.event_id,
        kind=BoardEventKind(event.kind),
        raw_type=event.raw_type,
        occurred_at=event.occurred_at,
        board_job_id=event.board_job_id,
        board_application_id=event.board_application_id,
        reference=event.reference,
        status=event.status_word,
        data=event.data,
    )


def posting_for_board_job(*, account: BoardAccount, board_job_id: str, reference: str = "") -> Posting | None:
    """Our posting of a board's job: by the board's id, or else by our vacancy reference (events may arrive before
    our create call has recorded the board's id)."""
    match = Q(board_id=board_job_id) if board_job_id else Q(pk__in=[])
    if reference:
        match |= Q(vacancy__reference=reference)
    return Posting.objects.filter(match, account=account).select_related("vacancy").first()


def _existing_application(source: str, board_application_id: str) -> Application | None:
    if not board_application_id:
        return None
    return Application.objects.filter(source=source, source_reference=board_application_id).first()


def _application_received(
    event: BoardEvent, account: BoardAccount, adapter: BoardAdapter, recorder: Recorder
) -> Handled:
    source = account.board
    if existing := _existing_application(source, event.board_application_id):
        return Handled(InboundStatus.PROCESSED, "Already received.", application=existing)
    inbound = adapter.inbound_application(account=account, event=event, recorder=recorder)
    if existing := _existing_application(source, inbound.board_application_id):
        return Handled(InboundStatus.PROCESSED, "Already received.", application=existing)
    posting = posting_for_board_job(account=account, board_job_id=inbound.board_job_id, reference=event.reference)
    if posting is None:
        raise EventFailed(f"No vacancy of ours is posted as {adapter.name} job {inbound.board_job_id or '(none)'}.")
    documents: list[tuple[str, CheckedDocument]] = []
    if inbound.resume_url:
        try:
            documents.append((DocumentKind.CV, fetch_cv(account=account, url=inbound.resume_url, recorder=recorder)))
        except EventFailed as exc:
            exc.posting = posting
            raise
    try:
        application = application_apply(
            vacancy=posting.vacancy,
            email=inbound.email,
            first_name=inbound.first_name,
            last_name=inbound.last_name,
            candidate_details={"phone": inbound.phone} if inbound.phone else None,
            source=source,
            source_name=adapter.name,
            source_reference=inbound.board_application_id,
            cover_letter=inbound.cover_letter,
            documents=documents,
            privacy_notice_accepted=False,  # they applied on the board, under its terms, not on our careers site
        )
    except DomainError as exc:
        # Another event for the same application may have won the race for the unique keys.
        if existing := _existing_application(source, inbound.board_application_id):
            return Handled(InboundStatus.PROCESSED, "Already received.", posting=posting, application=existing)
        raise EventFailed(f"{posting.vacancy.reference}: {exc.message}", posting=posting) from exc
    except ValidationError as exc:
        raise EventFailed(f"The application was refused: {_messages(exc)}", posting=posting) from exc
    return Handled(InboundStatus.PROCESSED, "Application received.", posting=posting, application=application)


def fetch_cv(*, account: BoardAccount, url: str, recorder: Recorder) -> CheckedDocument:
    """Download a CV the board serves, with the account's credentials, and check it like any upload.

    Only a URL on the account's own host (scheme, host and port of its base URL) is fetched: anything else is
    refused before any request is made (it could point inside our network). Raises EventFailed for a refused URL,
    a file over 5 MB, a 4xx, or content that fails the upload checks (`recruitment.uploads.check_document`).
    """
    adapter = account.adapter
    if _origin(url) != _origin(account.base_url):
        raise EventFailed(
            f"The CV address is on {urlsplit(url).hostname or 'no host'}, not on {adapter.name}'s own host "
            f"({urlsplit(account.base_url).hostname}): it was not fetched."
        )
    client = BoardHttpClient(account_pk=account.pk, base_url=account.base_url, recorder=recorder)
    try:
        content = client.download(
            url=url, max_bytes=MAX_DOCUMENT_BYTES, headers=adapter.document_headers(account=account, recorder=recorder)
        )
    except PermanentBoardError as exc:
        raise EventFailed(f"The CV could not be fetched from {adapter.name}: {exc.message}") from exc
    name = PurePosixPath(urlsplit(url).path).name or "cv"
    try:
        return check_document(SimpleUploadedFile(name, content), field="cv")
    except ValidationError as exc:
        raise EventFailed(f"The CV was refused: {_messages(exc)}") from exc


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = -1
    return scheme, (parts.hostname or "").lower(), port


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


def _application_status_changed(
    event: BoardEvent, account: BoardAccount, adapter: BoardAdapter, recorder: Recorder
) -> Handled:
    """`withdrawn` (in the board's words) withdraws our application; any other status goes into its history."""
    application = _existing_application(account.board, event.board_application_id)
    if application is None:
        raise EventNotReady(
            f"No application of ours for {adapter.name} application {event.board_application_id} (yet)."
        )
    status = event.status or adapter.inbound_application(account=account, event=event, recorder=recorder).status
    if not adapter.is_withdrawal(status):
        application_history_note(application=application, note=f"{adapter.name} status: {status}")
        return Handled(InboundStatus.PROCESSED, f"Recorded {adapter.name} status {status!r}.", application=application)
    if application.stage in _FINAL_STAGES:
        note = f"Withdrawn on {adapter.name}; the application was already {application.get_stage_display().lower()}."
        application_history_note(application=application, note=note)
        return Handled(InboundStatus.PROCESSED, note, application=application)
    application_move(
        application=application,
        to_stage=ApplicationStage.WITHDRAWN,
        actor=None,
        note=f"The candidate withdrew on {adapter.name}.",
    )
    return Handled(InboundStatus.PROCESSED, "Application withdrawn.", application=application)


def _job_changed(event: BoardEvent, account: BoardAccount, adapter: BoardAdapter, recorder: Recorder) -> Handled:
    """Refresh the posting's board status: from the event when it says, else by asking the board."""
    posting = posting_for_board_job(account=account, board_job_id=event.board_job_id, reference=event.reference)
    if posting is None:
        return Handled(InboundStatus.IGNORED, f"{adapter.name} job {event.board_job_id} is not one we posted.")
    raw = event.status
    if not raw and event.kind == BoardEventKind.JOB_CLOSED:
        raw = "closed"
    if raw:
        status = adapter.normalise_status(raw)
    elif Capability.STATUS in adapter.capabilities and posting.board_id:
        result = adapter.fetch_status(account=account, board_id=posting.board_id, recorder=recorder)
        status, raw = result.status or BoardStatus.UNKNOWN, result.raw_status
    else:
        return Handled(InboundStatus.IGNORED, "The event says no status.", posting=posting)
    Posting.objects.filter(pk=posting.pk).update(
        board_status=status, board_status_raw=raw[:40], updated_at=timezone.now()
    )
    return Handled(InboundStatus.PROCESSED, f"Board status now {status.label.lower()}.", posting=posting)


def _import_completed(event: BoardEvent, account: BoardAccount, adapter: BoardAdapter) -> Handled:
    """A bulk import's callback: record its results and map them onto the postings it carried, once."""
    # Imported here: the imports service stores callbacks through the inbound service, which imports this module.
    from boards.services.imports import ImportMismatch, bulk_import_complete

    row = BulkImport.objects.filter(pk=event.data.get("bulk_import"), account=account).first()
    if row is None:
        raise EventFailed(f"No {adapter.name} import of ours matches this callback.")
    try:
        state = adapter.parse_import(event.data.get("import"))
        row = bulk_import_complete(import_id=row.pk, state=state)
    except ImportMismatch as exc:
        raise EventFailed(f"{adapter.name} import {row.board_import_id or row.pk}: {exc}") from exc
    except ValueError as exc:
        raise EventFailed(f"The {adapter.name} callback could not be read: {exc}") from exc
    return Handled(
        InboundStatus.PROCESSED,
        f"Import {row.board_import_id} complete: {row.added} added, {row.updated} updated, {row.unchanged} "
        f"unchanged, {row.deleted} deleted, {row.failed} failed.",
    )
