"""The closed registry of boards: code -> adapter class. A board exists here or nowhere.

The list itself is `boards.types.BOARDS` (code, name, dotted path): explicit, so settings, URLs and data can never
name a board we have no code for, and lazy, so importing the registry (models do, for their choices) imports no
adapter; an adapter's package is imported the first time the board is used.
"""

import functools

from django.utils.module_loading import import_string

from boards.base import BoardAdapter
from boards.types import BOARDS, board_choices

__all__ = ["adapter_class", "board_choices", "board_codes", "get_adapter", "is_registered"]


def is_registered(code: str) -> bool:
    """Whether a board code is in the registry."""
    return code in BOARDS


def board_codes() -> list[str]:
    """Every registered board's code, in registry order."""
    return list(BOARDS)


@functools.cache
def adapter_class(code: str) -> type[BoardAdapter]:
    """The adapter class of a board, imported on first use; KeyError for a code that is not registered.

    Raises TypeError when the class does not declare the code it is registered under, so a copy-pasted adapter can
    never answer for another board.
    """
    cls = import_string(BOARDS[code].adapter_path)
    if not (isinstance(cls, type) and issubclass(cls, BoardAdapter)) or cls.code != code:
        raise TypeError(f"{BOARDS[code].adapter_path} is not the BoardAdapter of {code!r}.")
    return cls


def get_adapter(code: str) -> BoardAdapter:
    """An adapter instance for a board code; KeyError for a code that is not registered."""
    return adapter_class(code)()
