"""django-q2 task: the daily retention run, a thin entry point to `retention_apply`.

A run with much to do works for at most RETENTION_TASK_SECONDS (well inside the worker's timeout, and before the
ORM broker would deliver the task again), then queues its own continuation with the same run id and starting
moment, so the run's audit rows keep adding up. A duplicate delivery is harmless: batches lock their rows and skip
those another worker holds, and what was done is no longer due.
"""

import datetime
import uuid

from django.conf import settings
from django_q.tasks import async_task

from recruitment.held_uploads import held_uploads_sweep
from recruitment.privacy.retention import retention_apply

TASK = "recruitment.privacy.tasks.retention_daily"


def retention_daily(run: str | None = None, now: str | None = None) -> dict[str, int]:
    """Apply the retention policies (or carry on the run `run` that started at `now`, an ISO 8601 time); a new run
    first deletes the careers form's held CVs past their hour (`held_uploads_sweep`), for sites with few visitors."""
    if run is None:
        held_uploads_sweep()
    result = retention_apply(
        run=uuid.UUID(run) if run else None,
        now=datetime.datetime.fromisoformat(now) if now else None,
        time_budget=settings.RETENTION_TASK_SECONDS,
    )
    if not result.finished:
        async_task(TASK, str(result.run), result.now.isoformat(), task_name=f"retention-{result.run}-more")
    return result.counts
