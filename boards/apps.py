from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_upkeep_schedule(sender, *, using: str = "default", **kwargs) -> None:
    """After every `migrate` (and test database set-up): the upkeep schedule exists, whatever the environment."""
    from boards.services.upkeep import upkeep_schedule_ensure

    upkeep_schedule_ensure()


class BoardsConfig(AppConfig):
    """Job-board integrations: adapters, postings, publish attempts and inbound events."""

    name = "boards"
    verbose_name = "Job boards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from boards.privacy import register_boards
        from boards.receivers import take_adverts_down
        from boards.types import BOARDS
        from recruitment.signals import vacancy_ended
        from recruitment.sources import register_source

        vacancy_ended.connect(take_adverts_down, dispatch_uid="boards-take-adverts-down")
        # Applications from a board record its code as their source (the careers site's `?source=` too).
        for code, entry in BOARDS.items():
            register_source(code, entry.name)
        register_boards()
        post_migrate.connect(_ensure_upkeep_schedule, sender=self, dispatch_uid="boards-upkeep-schedule")
