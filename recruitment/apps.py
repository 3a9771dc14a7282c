from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    """The core domain: reference data, vacancies, candidates, applications and DBS checks."""

    name = "recruitment"
    verbose_name = "Recruitment"
    default_auto_field = "django.db.models.BigAutoField"
