"""Enqueuing a task together with the row it is about, so neither exists without the other.

With django-q2's ORM broker (the default) the queue is a table in our database: a task enqueued inside a transaction
is written in that transaction, so it commits or rolls back with the rows it is about (an inbound event is never
stored without its processing task, and a failed write leaves no task behind). With the Redis broker the queue is
outside the transaction, so the task is enqueued once the transaction commits; a crash in between leaves the row
without its task, which the upkeep task (`boards.tasks.board_upkeep`) finds and queues again. In django-q2's sync
mode (`Q_CLUSTER["sync"]`, which some tests use) a task runs as soon as it is enqueued, so it is enqueued once the
transaction commits there too: run inside the transaction it would hold it open while it calls a board, and could
not see the rows it is about from another connection.
"""

from django.conf import settings
from django.db import transaction
from django_q.conf import Conf
from django_q.tasks import async_task


def uses_database_broker() -> bool:
    """Whether django-q2's queue lives in our database (the ORM broker)."""
    return "orm" in settings.Q_CLUSTER


def enqueue_with_transaction(func: str, *args, task_name: str) -> None:
    """Enqueue `func(*args)` so that it exists exactly when the current transaction commits (see the module)."""
    if uses_database_broker() and not Conf.SYNC:
        async_task(func, *args, task_name=task_name)
    else:
        transaction.on_commit(lambda: async_task(func, *args, task_name=task_name))
