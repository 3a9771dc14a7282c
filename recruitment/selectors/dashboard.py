"""The back-office dashboard: the counts a recruiter starts the day with, each matching a filtered list."""

import datetime
from dataclasses import dataclass

from recruitment.models import ApplicationStage, DbsStage, Vacancy, VacancyStatus, closing_day_today
from recruitment.selectors.scope import applications_visible_to, dbs_checks_visible_to, vacancies_visible_to

# "Open" vacancies: not yet closed or cancelled.
OPEN_STATUSES = tuple(s for s in VacancyStatus.values if s not in (VacancyStatus.CLOSED, VacancyStatus.CANCELLED))
# Applications waiting for someone to decide what happens next (screen, shortlist, offer or reject).
AWAITING_DECISION_STAGES = (ApplicationStage.NEW, ApplicationStage.SCREENING, ApplicationStage.INTERVIEW)
# DBS checks still in progress: somebody (the candidate, the recruiter or the DBS) has to act.
WAITING_DBS_STAGES = tuple(s for s in DbsStage.values if s not in (DbsStage.DECISION_RECORDED, DbsStage.CANCELLED))
CLOSING_SOON_DAYS = 7


@dataclass(frozen=True)
class DashboardCounts:
    """The dashboard's counts, all within the user's data scope."""

    my_open_vacancies: int
    applications_awaiting_decision: int
    vacancies_closing_this_week: int
    dbs_checks_waiting: int


def closing_this_week() -> tuple[datetime.date, datetime.date]:
    """Today (Europe/London, as closing dates count) and the last day of the "closing this week" window (inclusive)."""
    today = closing_day_today()
    return today, today + datetime.timedelta(days=CLOSING_SOON_DAYS)


def dashboard_counts(*, user) -> DashboardCounts:
    """Count, in four queries whatever the volume, what the user's dashboard shows (the boards' count is added by
    the page, which composes both layers)."""
    start, end = closing_this_week()
    return DashboardCounts(
        my_open_vacancies=vacancies_visible_to(user).filter(recruiter=user, status__in=OPEN_STATUSES).count(),
        applications_awaiting_decision=applications_visible_to(user).filter(stage__in=AWAITING_DECISION_STAGES).count(),
        vacancies_closing_this_week=vacancies_visible_to(user, Vacancy.objects.open_for_applications(today=start))
        .filter(closing_date__lte=end)
        .count(),
        dbs_checks_waiting=dbs_checks_visible_to(user).filter(stage__in=WAITING_DBS_STAGES).count(),
    )
