"""The board framework's leaf module: the list of boards, the normalised vocabularies and the call record.

Everything here is plain data with no imports from the rest of `boards/`, so `base`, `models`, `http`, the registry
and the adapters can all import it without forming a cycle. Adding a board adds one line to `BOARDS` (and its
package under `boards/adapters/`); see `boards/ADDING_A_BOARD.md`.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple


class BoardEntry(NamedTuple):
    """A registered board: its name for people and the dotted path of its adapter class (imported on first use)."""

    name: str
    adapter_path: str


# The closed registry, in the order boards are listed on pages. Codes appear in URLs (`/boards/<code>/webhook/`,
# `/sandbox/<code>/`), in `?source=` links and as the application source, so they never change.
BOARDS: dict[str, BoardEntry] = {
    "nhs-jobs": BoardEntry("NHS Jobs", "boards.adapters.nhs_jobs.adapter.NhsJobsAdapter"),
    "jobsphere": BoardEntry("JobSphere", "boards.adapters.jobsphere.adapter.JobSphereAdapter"),
    "nhsjob": BoardEntry("NHSJob", "boards.adapters.nhsjob.adapter.NhsJobAdapter"),
    "locumjobsonline": BoardEntry("LocumJobsOnline", "boards.adapters.locumjobsonline.adapter.LocumJobsOnlineAdapter"),
}


def board_choices() -> list[tuple[str, str]]:
    """(code, name) of every registered board, for model and form choices."""
    return [(code, entry.name) for code, entry in BOARDS.items()]


class BoardStatus(StrEnum):
    """Where a job stands on its board, whatever words the board uses; each adapter maps its own onto these.

    `draft`: the board holds it unpublished; `live`: candidates can see it; `closed`: taken down or archived;
    `failed`: the board refused it; `unknown`: the board said something we have no mapping for (kept as said).
    """

    DRAFT = "draft"
    LIVE = "live"
    CLOSED = "closed"
    FAILED = "failed"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Operation(StrEnum):
    """What we asked a board to do in one HTTP call (a `PublishAttempt` row each)."""

    PUBLISH = "publish"
    UPDATE = "update"
    CLOSE = "close"
    STATUS = "status"
    FETCH_APPLICATION = "fetch_application"
    FETCH_DOCUMENT = "fetch_document"
    POLL = "poll"
    TOKEN = "token"
    IMPORT = "import"


OPERATION_LABELS: dict[str, str] = {
    Operation.PUBLISH: "Create",
    Operation.UPDATE: "Update",
    Operation.CLOSE: "Close",
    Operation.STATUS: "Read status",
    Operation.FETCH_APPLICATION: "Read an application",
    Operation.FETCH_DOCUMENT: "Download a CV",
    Operation.POLL: "Poll for changes",
    Operation.TOKEN: "Get an access token",
    Operation.IMPORT: "Bulk import",
}


class CallOutcome(StrEnum):
    """How one call ended, by what we do next (see `boards.errors`)."""

    SUCCESS = "success"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"
    AUTH = "auth"


@dataclass(frozen=True)
class CallRecord:
    """One HTTP call as the attempt log keeps it: nothing secret, nothing large. `duration_ms` in milliseconds."""

    operation: str
    method: str
    url: str
    request_summary: dict[str, Any]
    status_code: int | None
    duration_ms: int
    outcome: str
    error: str = ""
    response_summary: dict[str, Any] = field(default_factory=dict)
