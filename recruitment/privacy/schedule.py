"""The daily schedule of the retention run. Retention is the law in every environment, so the schedule exists after
`migrate` alone (`recruitment.apps` makes it on post_migrate), as the boards' upkeep does."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

RETENTION_SCHEDULE_NAME = "Personal data retention"
RETENTION_TASK = "recruitment.privacy.tasks.retention_daily"


def _next_run(now: datetime.datetime) -> datetime.datetime:
    """The next RETENTION_HOUR o'clock, local time (a quiet hour)."""
    local = timezone.localtime(now)
    at = local.replace(hour=settings.RETENTION_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + datetime.timedelta(days=1)


@transaction.atomic
def retention_schedule_ensure() -> Schedule:
    """The daily schedule of `recruitment.privacy.tasks.retention_daily` (made once, at the next RETENTION_HOUR;
    safe to call again: an existing schedule keeps its next run)."""
    scheduled, created = Schedule.objects.get_or_create(
        name=RETENTION_SCHEDULE_NAME,
        defaults={
            "func": RETENTION_TASK,
            "schedule_type": Schedule.DAILY,
            "repeats": -1,
            "next_run": _next_run(timezone.now()),
        },
    )
    if not created and (scheduled.func, scheduled.schedule_type) != (RETENTION_TASK, Schedule.DAILY):
        scheduled.func, scheduled.schedule_type, scheduled.repeats = RETENTION_TASK, Schedule.DAILY, -1
        scheduled.save(update_fields=["func", "schedule_type", "repeats"])
    return scheduled
