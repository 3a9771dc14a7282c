"""The fake boards: one module per board (`boards/sandbox/<board>.py`), listed here by board code.

Each module has `NAME`, `API_PATH` (the path under `/sandbox/<code>/` that is the board's API base URL),
`DEMO_SETTINGS` (the public demo credentials of BOARDS.md, which it accepts and `seed_demo` configures), `SWITCHES`
(which of `SandboxBoardSettings`' switches apply to it) and `urlpatterns` (mounted at `/sandbox/<code>/`, the page's
URL named by the code). A module whose board sends webhooks also has `signed_headers(delivery)`.
"""

from importlib import import_module
from types import ModuleType

SANDBOXES: dict[str, str] = {
    "nhs-jobs": "boards.sandbox.nhs_jobs",
    "jobsphere": "boards.sandbox.jobsphere",
    "nhsjob": "boards.sandbox.nhsjob",
    "locumjobsonline": "boards.sandbox.locumjobsonline",
}


def sandbox_module(code: str) -> ModuleType:
    """The fake board's module; KeyError for a board without one."""
    return import_module(SANDBOXES[code])


def sandbox_modules() -> list[tuple[str, ModuleType]]:
    """(code, module) of every fake board, in the registry's order."""
    return [(code, sandbox_module(code)) for code in SANDBOXES]
