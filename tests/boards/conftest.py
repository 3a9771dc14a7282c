"""Fixtures of the board tests: tasks recorded instead of queued (each test runs them as the worker would), and
fast retries."""

import pytest

# Every module that queues a task by name (django_q.tasks.async_task, imported into it).
_QUEUEING_MODULES = (
    "boards.services.delivery",
    "boards.services.inbound",
    "boards.services.imports",
    "boards.queueing",
    "boards.sandbox.deliveries",
    "boards.sandbox.locumjobsonline",
)


class TaskRecorder(list):
    """The tasks queued during a test, as (function path, args)."""

    def funcs(self) -> list[str]:
        return [func for func, _ in self]

    def run(self, func: str) -> int:
        """Run (in this process, as the worker would) and forget every recorded task of one function; how many."""
        from django.utils.module_loading import import_string

        todo = [(name, args) for name, args in self if name == func]
        self[:] = [(name, args) for name, args in self if name != func]
        for name, args in todo:
            import_string(name)(*args)
        return len(todo)

    def drain(self, limit: int = 50) -> list[str]:
        """Run every recorded task, oldest first, and those they queue, until none is left (as the worker
        would, one after another); returns the functions run, in order."""
        from django.utils.module_loading import import_string

        done = []
        while self:
            assert len(done) < limit, f"still queueing after {limit} tasks: {done}"
            name, args = self.pop(0)
            import_string(name)(*args)
            done.append(name)
        return done


@pytest.fixture
def queued_tasks(monkeypatch) -> TaskRecorder:
    """Record queued tasks instead of queueing them."""
    recorded = TaskRecorder()

    def record(func, *args, **kwargs):
        recorded.append((func, args))

    for module in _QUEUEING_MODULES:
        monkeypatch.setattr(f"{module}.async_task", record)
    return recorded


@pytest.fixture
def fast_retries(settings):
    """Retries a few hundredths of a second apart, and short read timeouts."""
    settings.BOARD_RETRY_BASE_SECONDS = 0.02
    settings.BOARD_READ_TIMEOUT_SECONDS = 2
