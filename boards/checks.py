"""System checks of the task set-up the boards rely on (`manage.py check`; the database one with `--database`).

- boards.E001: django-q2 redelivers a task `retry` seconds after a worker took it; a task may run for `timeout`
  seconds. With `timeout >= retry` a slow task is delivered a second time while it still runs.
- boards.E002: a send claimed longer ago than BOARD_SENDING_LEASE_SECONDS is taken to have died with its worker; the
  lease must outlast a task (`timeout`) and end before django-q's redelivery (`retry`).
- boards.W001: the Redis broker keeps no delivery receipts (a task taken by a worker that crashes is lost); only the
  upkeep schedule finds the work such a task left undone, so Redis without it loses work.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register()
def task_timeouts(app_configs, **kwargs) -> list:
    """boards.E001 and boards.E002 (see the module)."""
    timeout, retry = settings.Q_CLUSTER["timeout"], settings.Q_CLUSTER["retry"]
    errors = []
    if timeout >= retry:
        errors.append(
            Error(
                f"Q_CLUSTER timeout ({timeout} s) must be below retry ({retry} s), or tasks still running are "
                "delivered again.",
                hint="Set Q_TIMEOUT below Q_RETRY.",
                id="boards.E001",
            )
        )
    lease = settings.BOARD_SENDING_LEASE_SECONDS
    if not timeout < lease < retry:
        errors.append(
            Error(
                f"BOARD_SENDING_LEASE_SECONDS ({lease:g}) must be between the task timeout ({timeout} s) and "
                f"django-q's retry ({retry} s).",
                hint="Leave BOARD_SENDING_LEASE_SECONDS unset (it follows Q_TIMEOUT) or choose a value in between.",
                id="boards.E002",
            )
        )
    return errors


@register(Tags.database)
def redis_needs_the_upkeep(app_configs, databases=None, **kwargs) -> list:
    """boards.W001 (see the module); looks at the schedule only when the check is run against a database."""
    if "redis" not in settings.Q_CLUSTER or not databases:
        return []
    from django_q.models import Schedule

    from boards.services.upkeep import UPKEEP_TASK

    if Schedule.objects.filter(func=UPKEEP_TASK).exists():
        return []
    return [
        Warning(
            "django-q2 runs on Redis but the boards upkeep schedule is missing: a task lost in a worker crash is "
            "never done.",
            hint="Run `manage.py migrate` (it creates the schedule), and run the qcluster that serves schedules.",
            id="boards.W001",
        )
    ]
