"""The closed registry of boards: code -> adapter class. A board exists here or nowhere.

Adding a board means adding its package under `boards/adapters/` and one line below; nothing is discovered at run
time, so settings, URLs and data can never name a board we have no code for.
"""

from boards.adapters.nhs_jobs.adapter import NhsJobsAdapter
from boards.base import BoardAdapter

ADAPTERS: dict[str, type[BoardAdapter]] = {
    NhsJobsAdapter.code: NhsJobsAdapter,
}


def get_adapter(code: str) -> BoardAdapter:
    """The adapter for a board code; KeyError for a code that is not registered."""
    return ADAPTERS[code]()


def board_choices() -> list[tuple[str, str]]:
    """(code, name) of every registered board, for model and form choices."""
    return [(code, adapter.name) for code, adapter in ADAPTERS.items()]
