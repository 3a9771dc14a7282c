"""Where applications come from: our own channels, and the job boards, which register themselves at start-up.

The domain knows its own channels (the careers site, partner systems); each job board registers its code and name
here from its app's `ready()` (`boards.apps`), so the core never lists boards and a new board touches nothing in
`recruitment/`. The codes are stored on `Application.source` and accepted as the careers site's `?source=`.
"""

from django.db import models


class ApplicationSource(models.TextChoices):
    """Our own channels; job boards add their codes at start-up (`register_source`)."""

    DIRECT = "direct", "Direct (our careers site)"
    PARTNER = "partner", "Partner API client"


_boards: dict[str, str] = {}


def register_source(code: str, label: str) -> None:
    """Record a job board as a source of applications (called once per board at start-up)."""
    if code in ApplicationSource.values:
        raise ValueError(f"{code!r} is one of our own channels, not a board.")
    _boards[code] = label


def source_choices() -> list[tuple[str, str]]:
    """(code, label) of every source: our channels, then the registered boards."""
    return [*ApplicationSource.choices, *_boards.items()]


def board_sources() -> list[str]:
    """The codes of the registered job boards."""
    return list(_boards)


def is_source(code: str) -> bool:
    """Whether a code names a known source of applications."""
    return code in ApplicationSource.values or code in _boards


def source_label(code: str) -> str:
    """The name of a source for people (the code itself for one no longer registered)."""
    return dict(source_choices()).get(code, code)
