from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_schedules(sender, *, using: str = "default", **kwargs) -> None:
    """After `migrate`: the domain's repeating tasks exist in every environment, with nothing else to run."""
    from recruitment.services.schedules import schedules_ensure

    schedules_ensure(using=using)


def _ensure_retention_schedule(sender, *, using: str = "default", **kwargs) -> None:
    """After every `migrate` (and test database set-up): the daily retention schedule exists, in every environment."""
    from recruitment.privacy.schedule import retention_schedule_ensure

    retention_schedule_ensure()


class RecruitmentConfig(AppConfig):
    """The core domain: reference data, vacancies, candidates, applications and DBS checks."""

    name = "recruitment"
    verbose_name = "Recruitment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from recruitment.privacy.catalogue import register_recruitment

        register_recruitment()
        post_migrate.connect(_ensure_schedules, sender=self, dispatch_uid="recruitment-ensure-schedules")
        post_migrate.connect(_ensure_retention_schedule, sender=self, dispatch_uid="recruitment-retention-schedule")
