"""Django admin for every model: one module per area, registered on import."""

from recruitment.admin import access, applications, dbs, partners, privacy, reference, vacancies

__all__ = ["access", "applications", "dbs", "partners", "privacy", "reference", "vacancies"]
