"""What every board adapter declares and implements, and the values that cross the adapter boundary.

A board is one package under `boards/adapters/<board>/` whose adapter subclasses `BoardAdapter`. The adapter declares
its field spec (which drives the recruiter's form, the live validation, the server-side validation, the sandbox's
validation and the mapping of the board's 400 errors back to fields), its settings (and which are secret), its
wording and its status vocabulary, and implements the operations the board supports. Operations a board does not
offer raise `NotSupported`; the `capabilities` set says which are offered, so the framework never has to try.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

from boards.types import BoardStatus, CallRecord

if TYPE_CHECKING:
    from boards.http import BoardHttpClient
    from boards.models import BoardAccount, Posting
    from recruitment.models import Vacancy

Recorder = Callable[[CallRecord], None]
"""Called once per HTTP call with what happened; the services store it as a PublishAttempt row."""


class FieldType(StrEnum):
    """How a field is entered and parsed."""

    TEXT = "text"
    TEXTAREA = "textarea"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    EMAIL = "email"
    POSTCODE = "postcode"
    URL = "url"


@dataclass(frozen=True)
class ShownWhen:
    """A field is shown (and only then validated) when another field's value matches.

    `equals`: the other field's value is one of these; `not_equals`: it is set and none of these;
    `contains`: the other (multi-choice) field includes this value.
    """

    field: str
    equals: tuple[str, ...] = ()
    not_equals: tuple[str, ...] = ()
    contains: str = ""

    def matches(self, values: Mapping[str, Any]) -> bool:
        value = values.get(self.field)
        if self.contains:
            return isinstance(value, list | tuple) and self.contains in value
        if self.equals:
            return value in self.equals
        if self.not_equals:
            return bool(value) and value not in self.not_equals
        return bool(value)


@dataclass(frozen=True)
class FieldSpec:
    """One field a board takes: how it is entered, its limits, when it applies and where its value comes from.

    `auto_fill` names the vacancy data the initial value comes from (shown to the recruiter as a hint);
    `editable=False` fields are filled by us and never taken from the form; `group` ties fields that one board error
    names together (e.g. every part of the salary); `invalid`, when set, replaces every format error's wording.
    """

    name: str
    label: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    min_chars: int | None = None
    max_chars: int | None = None
    max_words: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    shown_when: ShownWhen | None = None
    auto_fill: str = ""
    hint: str = ""
    editable: bool = True
    group: str = ""
    invalid: str = ""

    def is_shown(self, values: Mapping[str, Any]) -> bool:
        return self.shown_when is None or self.shown_when.matches(values)


@dataclass(frozen=True)
class SpecMessages:
    """The wording of validation errors, so each board can speak as its own documentation does.

    Templates may use {label}, {min}, {max}, {limits} (the NHS Jobs guide's "Character minLength: 100, maxLength:
    1500") and {range} (in words: "between 50 and 20,000 characters", "120 characters or fewer").
    """

    required: str = "Enter {label}"
    length: str = "{label} must be {range}"
    words: str = "{label} must be {max} words or fewer"
    choice: str = "Select a valid option for {label}"
    integer: str = "Enter a whole number for {label}"
    decimal: str = "Enter a number for {label}"
    positive: str = "{label} must be greater than zero"
    date: str = "Enter a real date for {label}"
    future_date: str = "{label} must be in the future"
    email: str = "Enter an email address in the correct format, like name@example.com"
    postcode: str = "Enter a real UK postcode, like SW1A 1AA"
    url: str = "Enter a full web address for {label}"


CrossFieldRule = Callable[[Mapping[str, Any]], dict[str, list[str]]]
"""Takes the parsed values of the shown fields; returns errors by field name (empty when the rule holds)."""


def range_rule(low: str, high: str, message: str) -> CrossFieldRule:
    """A rule that the `low` field's value is at most the `high` field's (both given); the error sits on both, as
    either may be the wrong one."""

    def rule(values: Mapping[str, Any]) -> dict[str, list[str]]:
        lowest, highest = values.get(low), values.get(high)
        if lowest is not None and highest is not None and lowest > highest:
            return {low: [message], high: [message]}
        return {}

    rule.__doc__ = f"{low} is at most {high}; the error sits on both."
    return rule


@dataclass(frozen=True)
class BoardSpec:
    """A board's whole field spec: the fields in form order, the error wording and the rules spanning fields."""

    fields: tuple[FieldSpec, ...]
    messages: SpecMessages = SpecMessages()
    rules: tuple[CrossFieldRule, ...] = ()

    def field(self, name: str) -> FieldSpec:
        return self.by_name[name]

    @property
    def by_name(self) -> dict[str, FieldSpec]:
        return {spec.name: spec for spec in self.fields}

    def groups(self) -> dict[str, list[str]]:
        """Field names by group, for fields that belong to one."""
        result: dict[str, list[str]] = {}
        for spec in self.fields:
            if spec.group:
                result.setdefault(spec.group, []).append(spec.name)
        return result


@dataclass(frozen=True)
class BoardSetting:
    """A setting a board account needs (an API key, an Org ID, a webhook secret ...), as the adapter declares it.

    Secret settings are stored encrypted and never shown back (the admin says only whether each is set); the others
    are stored as plain data. The admin's account form is built from these declarations, per board.
    """

    name: str
    label: str
    secret: bool = False
    required: bool = True
    help_text: str = ""


class Capability(StrEnum):
    """Operations beyond validation that a board may offer."""

    PUBLISH = "publish"
    UPDATE = "update"
    CLOSE = "close"
    STATUS = "status"
    WEBHOOKS = "webhooks"
    POLLING = "polling"
    BULK_IMPORT = "bulk_import"
    LISTING_CHECK = "listing_check"


@dataclass(frozen=True)
class PublishResult:
    """What the board said about a job after a create, update, close or status call.

    `status` is normalised by the adapter; `raw_status` is the board's own word for it, kept for people to read.
    """

    board_id: str
    status: BoardStatus | None = None
    raw_status: str = ""
    reference: str = ""


@dataclass(frozen=True)
class ListingCheck:
    """Whether the board lists a job where candidates search for it (`BoardAdapter.check_listing`), and `detail`:
    what was searched and what was found, in words for the recruiter."""

    listed: bool
    detail: str


class BoardEventKind(StrEnum):
    """The kinds of normalised inbound event, whatever the board calls them. `unknown` is stored and acknowledged
    but not processed (a board may send event types we have no use for)."""

    JOB_CREATED = "job.created"
    JOB_UPDATED = "job.updated"
    JOB_STATUS_CHANGED = "job.status_changed"
    JOB_CLOSED = "job.closed"
    APPLICATION_RECEIVED = "application.received"
    APPLICATION_STATUS_CHANGED = "application.status_changed"
    IMPORT_COMPLETED = "import.completed"
    UNKNOWN = "unknown"


JOB_EVENT_KINDS = frozenset(
    {
        BoardEventKind.JOB_CREATED,
        BoardEventKind.JOB_UPDATED,
        BoardEventKind.JOB_STATUS_CHANGED,
        BoardEventKind.JOB_CLOSED,
    }
)


@dataclass(frozen=True)
class BoardEvent:
    """An inbound event (from a webhook, a poll or an import callback) in one shape for every board.

    `event_id` is the board's id for the event (unique per board: the same delivery twice is one event); `raw_type`
    the board's own name for the event; `board_job_id` and `board_application_id` the board's ids; `status` the
    board's own word (the adapter normalises it where it is a job status); `data` whatever else the event carries.
    """

    event_id: str
    kind: BoardEventKind
    raw_type: str = ""
    occurred_at: datetime.datetime | None = None
    board_job_id: str = ""
    board_application_id: str = ""
    reference: str = ""
    status: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InboundApplication:
    """An application a board sent us, normalised: who applied, to which job, with what.

    `resume_url` is where the board serves the CV (fetched with the account's credentials, only from the account's
    own host); `status` the board's own word for the application's status.
    """

    board_application_id: str
    board_job_id: str
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    cover_letter: str = ""
    resume_url: str = ""
    status: str = ""


class ImportStatus(StrEnum):
    """Where a bulk import stands on the board (the words of seed 003, which the framework uses for every bulk
    board): queued there, being processed, or done (its results known)."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETE = "complete"


@dataclass(frozen=True)
class ImportJobError:
    """One job a bulk import refused: its position in the import's `jobs` list (None when the board gave none), the
    reference the job carried ("" when it was missing) and the board's messages, as it words them."""

    index: int | None
    reference: str
    messages: tuple[str, ...]


@dataclass(frozen=True)
class ImportResults:
    """A completed import's results: how many jobs were added, updated, unchanged, deleted (jobs the board had that
    the import did not carry, when it was told to delete them), failed and processed, and the refused jobs."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0
    processed: int = 0
    errors: tuple[ImportJobError, ...] = ()


@dataclass(frozen=True)
class ImportState:
    """What a bulk board says about one import (its answer to the create, a read, or its callback): the board's id
    for it, its status, when it was requested and completed, its results once complete, and the import object as
    the board sent it (`raw`, kept as the record)."""

    board_import_id: str
    status: ImportStatus
    requested_at: datetime.datetime | None = None
    completed_at: datetime.datetime | None = None
    results: ImportResults | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


class NotSupported(Exception):
    """The board does not offer this operation (see `BoardAdapter.capabilities`)."""


class BoardAdapter:
    """The contract between the framework and one board. Subclasses are registered in `boards.types.BOARDS`.

    Operations take the account (base URL, settings, secrets) and a `recorder` that is called once per HTTP call;
    they return `PublishResult`s or raise the errors in `boards.errors` (temporary, permanent with field errors,
    auth). Everything a page or a service says about the board comes from here, in the board's own words.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    spec: ClassVar[BoardSpec]
    settings: ClassVar[tuple[BoardSetting, ...]] = ()
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    # The board's HTTP client (its auth headers and error body format).
    client_class: ClassVar[type[BoardHttpClient]]
    # The board's own status words, mapped onto the normalised set; a word not listed is UNKNOWN.
    statuses: ClassVar[Mapping[str, BoardStatus]] = {}
    # The normalised statuses in which the board accepts an update of a job it has.
    updatable_statuses: ClassVar[frozenset[BoardStatus]] = frozenset({BoardStatus.DRAFT, BoardStatus.LIVE})
    # What the recruiter is told to check when the board refuses our credentials (401/403).
    check_credentials: ClassVar[str] = "check the account's API key"
    # Headers kept with a stored webhook besides Content-Type and User-Agent (its event id, its signature).
    webhook_headers: ClassVar[tuple[str, ...]] = ()
    # The board's words for an application the candidate withdrew.
    withdrawn_statuses: ClassVar[frozenset[str]] = frozenset({"withdrawn"})

    # --- Wording --------------------------------------------------------------------------------------------------

    @property
    def not_advertised_message(self) -> str:
        """Why a vacancy not advertised externally may not be posted (boards carry external adverts only)."""
        return f"Please advertise the job externally before posting to {self.name}"

    def vacancy_ended_message(self, *, cancelled: bool) -> str:
        """Why a closed or cancelled vacancy may not be posted: said instead of `not_advertised_message`, whose
        advice (advertise it externally) no longer applies."""
        if cancelled:
            return f"This vacancy was cancelled, so it cannot be posted to {self.name}."
        return f"This vacancy is closed, so it can no longer be posted to {self.name}."

    @property
    def posted_heading(self) -> str:
        """The heading shown once the board has the job."""
        return f"Posted to {self.name}"

    def posted_note(self, posting: Posting) -> str:
        """What happens next once the board has the job (e.g. someone publishes a draft there)."""
        if posting.board_status == BoardStatus.LIVE:
            return f"The job is live on {self.name}."
        return ""

    def update_refusal(self, posting: Posting) -> str:
        """Why the job can no longer be updated from here, and what to do instead."""
        return (
            f"{self.name} has {posting.board_status_label.lower()} this job, so it can no longer be updated from here."
        )

    # --- Status -----------------------------------------------------------------------------------------------------

    def normalise_status(self, raw: str) -> BoardStatus:
        """The normalised status for the board's own word (UNKNOWN for a word we have no mapping for)."""
        return self.statuses.get((raw or "").strip().lower(), BoardStatus.UNKNOWN)

    def can_update(self, posting: Posting) -> bool:
        """Whether the board takes an update of this posting's job now."""
        return (
            Capability.UPDATE in self.capabilities
            and bool(posting.board_id)
            and posting.board_status in self.updatable_statuses
        )

    def can_close(self, posting: Posting) -> bool:
        """Whether the job can be taken down from here now."""
        return (
            Capability.CLOSE in self.capabilities
            and bool(posting.board_id)
            and posting.board_status != BoardStatus.CLOSED
        )

    def is_withdrawal(self, status: str) -> bool:
        """Whether an application status, in the board's words, means the candidate withdrew."""
        return (status or "").strip().lower() in self.withdrawn_statuses

    # --- The form -------------------------------------------------------------------------------------------------

    def initial_values(self, vacancy: Vacancy) -> dict[str, Any]:
        """The form's starting values, auto-filled from the vacancy (as each field's `auto_fill` says)."""
        raise NotImplementedError

    def fixed_values(self, vacancy: Vacancy) -> dict[str, Any]:
        """Values we fill and the recruiter cannot edit (e.g. our apply URL); merged over the form's values."""
        return {}

    def build_payload(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The request body for the board, from validated values. Pure: no I/O, no database."""
        raise NotImplementedError

    def form_field_for(self, board_field: str) -> str | None:
        """The spec field a board error names (payload names may differ from ours), or None for the whole form."""
        return board_field if board_field in self.spec.by_name else None

    def form_errors(self, board_errors: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
        """A board's errors (keyed by its own field names) keyed by our form's fields ("" for the whole form)."""
        errors: dict[str, list[str]] = {}
        for board_field, messages in board_errors.items():
            errors.setdefault(self.form_field_for(board_field) or "", []).extend(messages)
        return errors

    def result_from(self, body: Any, fallback_id: str = "", status: str = "") -> PublishResult:
        """What a board's answer about a job says: its id (or `fallback_id`), its status normalised (`status` when
        the answer has none, e.g. a 204), and the board's own word for it."""
        body = body if isinstance(body, Mapping) else {}
        raw = str(body.get("status") or status or "")
        return PublishResult(
            board_id=str(body.get("id") or fallback_id),
            status=self.normalise_status(raw) if raw else None,
            raw_status=raw,
            reference=str(body.get("reference") or ""),
        )

    # --- Outbound operations --------------------------------------------------------------------------------------

    def publish(
        self, *, account: BoardAccount, values: Mapping[str, Any], client_reference: str, recorder: Recorder
    ) -> PublishResult:
        """Create the job on the board; `client_reference` is stable across retries so the board can dedupe."""
        raise NotSupported(f"{self.name} does not take jobs one by one.")

    def update(
        self, *, account: BoardAccount, board_id: str, values: Mapping[str, Any], recorder: Recorder
    ) -> PublishResult:
        """Replace the job's details on the board."""
        raise NotSupported(f"{self.name} does not take updates.")

    def close(self, *, account: BoardAccount, board_id: str, recorder: Recorder) -> PublishResult:
        """Take the job down (close, archive or delete: whatever the board calls it)."""
        raise NotSupported(f"{self.name} does not close jobs through its API.")

    def fetch_status(self, *, account: BoardAccount, board_id: str, recorder: Recorder) -> PublishResult:
        """The job's status as the board has it now."""
        raise NotSupported(f"{self.name} does not report a job's status.")

    def check_listing(self, *, account: BoardAccount, posting: Posting, recorder: Recorder) -> ListingCheck:
        """Search the board's job listing as candidates do (with the posting's values as filters) and say whether
        the job is among the results: the recruiter's check that it is listed (`Capability.LISTING_CHECK`)."""
        raise NotSupported(f"{self.name} has no job search to check.")

    # --- Inbound: webhooks, polling ---------------------------------------------------------------------------------

    def verify_webhook(self, *, account: BoardAccount, headers: Mapping[str, str], body: bytes) -> None:
        """Raise `boards.webhooks.WebhookRejected` unless the raw body is signed with the account's secret."""
        raise NotSupported(f"{self.name} sends no webhooks.")

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[BoardEvent]:
        """The normalised events in a verified webhook body; ValueError when the body is not the board's shape."""
        raise NotSupported(f"{self.name} sends no webhooks.")

    def inbound_application(
        self, *, account: BoardAccount, event: BoardEvent, recorder: Recorder
    ) -> InboundApplication:
        """The application an application event stands for: from the event itself, or fetched from the board
        (boards whose events carry only ids). Raises `boards.errors` classes like any call."""
        raise NotSupported(f"{self.name} sends no applications.")

    def document_headers(self, *, account: BoardAccount, recorder: Recorder) -> dict[str, str]:
        """The headers that authenticate a CV download from the board (the framework makes the request)."""
        return {}

    def poll(
        self, *, account: BoardAccount, postings: Sequence[Posting], since: datetime.datetime | None, recorder: Recorder
    ) -> list[BoardEvent]:
        """Events the board has for these postings since a time: the fallback when webhooks are missing. Each event
        goes through the same inbound path as a webhook's (stored, then processed by a task)."""
        raise NotSupported(f"{self.name} cannot be polled.")

    # --- Bulk imports (Capability.BULK_IMPORT): the account's whole feed in one request ---------------------------

    def feed_job(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """One job of an import, from a posting's saved (validated, JSON-ready) values merged with `fixed_values`.
        Pure: no I/O, no database (a sync of 10,000 jobs calls it 10,000 times)."""
        return self.build_payload(values)

    def send_import(
        self,
        *,
        account: BoardAccount,
        jobs: Sequence[Mapping[str, Any]],
        delete_missing: bool,
        callback_url: str,
        idempotency_key: str,
        recorder: Recorder,
    ) -> ImportState:
        """Ask the board to import these jobs (and, with `delete_missing`, to delete the account's jobs they do not
        include: a full sync); `callback_url` is where it tells us it has finished, `idempotency_key` is the same on
        every retry of one import."""
        raise NotSupported(f"{self.name} takes no bulk imports.")

    def fetch_import(self, *, account: BoardAccount, import_id: str, recorder: Recorder) -> ImportState:
        """The import as the board has it now (the polling fallback when no callback came)."""
        raise NotSupported(f"{self.name} takes no bulk imports.")

    def parse_import(self, body: Any) -> ImportState:
        """The import a callback body (or a read's answer) describes; ValueError when it is not the board's shape."""
        raise NotSupported(f"{self.name} takes no bulk imports.")

    def import_error_fields(self, messages: Sequence[str]) -> dict[str, list[str]]:
        """A refused job's messages keyed by our form's fields ("" for messages that name no field)."""
        return {"": list(messages)} if messages else {}
