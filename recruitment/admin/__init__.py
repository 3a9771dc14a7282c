"""Django admin for every model: one module per area, registered on import."""

from recruitment.admin import (
    access,
    applications,
    dbs,
    equal_opportunities,
    partners,
    privacy,
    reference,
    signin,
    vacancies,
)

__all__ = [
    "access",
    "applications",
    "dbs",
    "equal_opportunities",
    "partners",
    "privacy",
    "reference",
    "signin",
    "vacancies",
]
