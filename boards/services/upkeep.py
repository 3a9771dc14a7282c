"""The repeating schedule that keeps the boards honest: it resumes sends and event processing whose task was lost
(a worker killed mid-call, a cluster stopped, a Redis broker that lost its queue), retries what is due, and polls
the boards that can be polled. Production needs it as much as the demo, so it exists after `migrate` alone
(`boards.apps` creates it on post_migrate), in every environment.
"""

from django.conf import settings
from django.db import transaction
from django_q.models import Schedule

UPKEEP_SCHEDULE_NAME = "Job boards upkeep"
UPKEEP_TASK = "boards.tasks.board_upkeep"


@transaction.atomic
def upkeep_schedule_ensure() -> Schedule:
    """The repeating schedule of `boards.tasks.board_upkeep`, every BOARD_UPKEEP_MINUTES (created once, its
    interval kept in step with the setting; safe to call again)."""
    scheduled, _ = Schedule.objects.update_or_create(
        name=UPKEEP_SCHEDULE_NAME,
        defaults={
            "func": UPKEEP_TASK,
            "schedule_type": Schedule.MINUTES,
            "minutes": settings.BOARD_UPKEEP_MINUTES,
            "repeats": -1,
        },
    )
    return scheduled
