"""What every board adapter declares and implements, and the values that cross the adapter boundary.

A board is one package under `boards/adapters/<board>/` whose adapter subclasses `BoardAdapter`. The adapter declares
its field spec (which drives the recruiter's form, the live validation, the server-side validation, the sandbox's
validation and the mapping of the board's 400 errors back to fields) and its settings (which are secret), and
implements the operations the board supports. Operations a board does not offer raise `NotSupported`; the
`capabilities` set says which are offered, so the framework never has to try.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from boards.http import CallRecord
    from boards.models import BoardAccount, Posting
    from recruitment.models import Vacancy

Recorder = Callable[["CallRecord"], None]
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

    Templates may use {label}, {min}, {max} and {limits} (e.g. "Character minLength: 100, maxLength: 1500").
    """

    required: str = "Enter {label}"
    length: str = "{label} must be {limits}"
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
    """A setting a board account needs (an API key, a client id ...); secret ones are stored encrypted."""

    name: str
    label: str
    secret: bool = False
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


@dataclass(frozen=True)
class PublishResult:
    """What the board said about a job after a create, update, close or status call."""

    board_id: str
    status: str
    reference: str = ""


class BoardEventKind(StrEnum):
    """The kinds of normalised inbound event, whatever the board calls them."""

    JOB_CREATED = "job.created"
    JOB_UPDATED = "job.updated"
    JOB_STATUS_CHANGED = "job.status_changed"
    JOB_CLOSED = "job.closed"
    APPLICATION_RECEIVED = "application.received"
    APPLICATION_STATUS_CHANGED = "application.status_changed"
    IMPORT_COMPLETED = "import.completed"


@dataclass(frozen=True)
class BoardEvent:
    """An inbound event (from a webhook, a poll or an import callback) in one shape for every board.

    `event_id` is the board's id for the event (unique per board: the same delivery twice is one event);
    `board_job_id` the board's id for the job; `data` whatever else the event carries, already normalised.
    """

    board: str
    event_id: str
    kind: BoardEventKind
    occurred_at: datetime.datetime | None = None
    board_job_id: str = ""
    board_application_id: str = ""
    status: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    """A bulk import's outcome, per job, mapped back by our reference."""

    import_id: str
    status: str
    failures: Mapping[str, list[str]] = field(default_factory=dict)


class NotSupported(Exception):
    """The board does not offer this operation (see `BoardAdapter.capabilities`)."""


class BoardAdapter:
    """The contract between the framework and one board. Subclasses are registered in `boards.registry`.

    Operations take the account (base URL, credentials) and a `recorder` that is called once per HTTP call; they
    return `PublishResult`s or raise the errors in `boards.errors` (temporary, permanent with field errors, auth).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    spec: ClassVar[BoardSpec]
    settings: ClassVar[tuple[BoardSetting, ...]] = ()
    capabilities: ClassVar[frozenset[Capability]] = frozenset()

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

    # --- Outbound operations --------------------------------------------------------------------------------------

    def publish(
        self, *, account: BoardAccount, values: Mapping[str, Any], client_reference: str, recorder: Recorder
    ) -> PublishResult:
        """Create the job on the board; `client_reference` is stable across retries so the board can dedupe."""
        raise NotSupported(f"{self.name} does not take jobs one by one.")

    def update(
        self, *, account: BoardAccount, board_id: str, values: Mapping[str, Any], recorder: Recorder
    ) -> PublishResult:
        raise NotSupported(f"{self.name} does not take updates.")

    def close(self, *, account: BoardAccount, board_id: str, recorder: Recorder) -> PublishResult:
        raise NotSupported(f"{self.name} does not close jobs through its API.")

    def fetch_status(self, *, account: BoardAccount, board_id: str, recorder: Recorder) -> PublishResult:
        raise NotSupported(f"{self.name} does not report a job's status.")

    # --- Inbound: webhooks, polling, bulk imports -----------------------------------------------------------------

    def verify_webhook(self, *, account: BoardAccount, headers: Mapping[str, str], body: bytes) -> None:
        """Raise `boards.webhooks.WebhookRejected` unless the raw body is signed with the account's secret."""
        raise NotSupported(f"{self.name} sends no webhooks.")

    def parse_webhook(self, *, headers: Mapping[str, str], body: bytes) -> list[BoardEvent]:
        """The normalised events in a verified webhook body."""
        raise NotSupported(f"{self.name} sends no webhooks.")

    def poll(
        self, *, account: BoardAccount, postings: Sequence[Posting], since: datetime.datetime | None, recorder: Recorder
    ) -> list[BoardEvent]:
        """Events the board has for these postings since a time: the fallback when webhooks are missing."""
        raise NotSupported(f"{self.name} cannot be polled.")

    def bulk_import(
        self, *, account: BoardAccount, postings: Sequence[Posting], callback_url: str, recorder: Recorder
    ) -> ImportResult:
        """Send every job that should be live in one request (boards that import in bulk)."""
        raise NotSupported(f"{self.name} does not import in bulk.")
