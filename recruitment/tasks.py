"""Background tasks of the domain (django-q2): thin entry points that call one service."""

from recruitment.services.vacancies import vacancies_close_past_closing_date


def close_vacancies_past_closing_date() -> int:
    """Close the vacancies whose closing day has ended (run daily just after midnight, Europe/London, by the schedule
    `recruitment.services.schedules.schedules_ensure` keeps); returns how many it closed."""
    return len(vacancies_close_past_closing_date())
