"""The repeating background tasks the domain needs, kept as django-q2 schedules (rows in the database)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from recruitment.models import CLOSING_TIME_ZONE

CLOSING_SCHEDULE_NAME = "Close vacancies past their closing date"
# Just after midnight, London time: the closing day has ended everywhere the rule counts it.
CLOSING_RUN_TIME = datetime.time(0, 5)


def _next_closing_run(now: datetime.datetime) -> datetime.datetime:
    """The next 00:05 in Europe/London after `now`, as an aware datetime."""
    local = now.astimezone(CLOSING_TIME_ZONE)
    run = datetime.datetime.combine(local.date(), CLOSING_RUN_TIME, tzinfo=CLOSING_TIME_ZONE)
    return (
        run
        if run > local
        else datetime.datetime.combine(
            local.date() + datetime.timedelta(days=1), CLOSING_RUN_TIME, tzinfo=CLOSING_TIME_ZONE
        )
    )


@transaction.atomic
def schedules_ensure(*, using: str = "default") -> Schedule:
    """Create the daily closing schedule, or put back its task and frequency; safe to call again (the post_migrate
    handler in `recruitment.apps` calls it after every `migrate`, so every environment has it).

    django-q2 keeps a DAILY schedule at the same local time across clock changes (settings.TIME_ZONE is
    Europe/London). An existing schedule keeps its next run; the first one is the next 00:05 London time.
    """
    scheduled, _ = Schedule.objects.using(using).update_or_create(
        name=CLOSING_SCHEDULE_NAME,
        defaults={
            "func": "recruitment.tasks.close_vacancies_past_closing_date",
            "schedule_type": Schedule.DAILY,
            "repeats": -1,
        },
        create_defaults={
            "func": "recruitment.tasks.close_vacancies_past_closing_date",
            "schedule_type": Schedule.DAILY,
            "repeats": -1,
            "next_run": _next_closing_run(timezone.now()),
        },
    )
    return scheduled
