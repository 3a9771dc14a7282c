from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_upkeep_schedule(sender, *, using: str = "default", **kwargs) -> None:
    """After every `migrate` (and test database set-up): the upkeep schedule and the nightly feed sync exist,
    whatever the environment."""
    from boards.services.imports import feed_sync_schedule_ensure
    from boards.services.upkeep import upkeep_schedule_ensure

    upkeep_schedule_ensure()
    feed_sync_schedule_ensure()


class BoardsConfig(AppConfig):
    """Job-board integrations: adapters, postings, publish attempts and inbound events."""

    name = "boards"
    verbose_name = "Job boards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from boards import (
            checks,  # noqa: F401 - registers the system checks
            webhook_accounts,  # noqa: F401 - connects the receivers that forget kept accounts
        )
        from boards.privacy import register_boards
        from boards.receivers import sync_feeds, take_adverts_down
        from boards.types import BOARDS
        from recruitment.signals import vacancy_changed, vacancy_ended
        from recruitment.sources import register_source

        vacancy_ended.connect(take_adverts_down, dispatch_uid="boards-take-adverts-down")
        # Bulk boards take jobs down by a sync of the whole feed, not one by one.
        vacancy_ended.connect(sync_feeds, dispatch_uid="boards-sync-feeds-ended")
        vacancy_changed.connect(sync_feeds, dispatch_uid="boards-sync-feeds-changed")
        # Applications from a board record its code as their source (the careers site's `?source=` too).
        for code, entry in BOARDS.items():
            register_source(code, entry.name)
        register_boards()
        post_migrate.connect(_ensure_upkeep_schedule, sender=self, dispatch_uid="boards-upkeep-schedule")
