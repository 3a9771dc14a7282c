from django.apps import AppConfig


class BoardsConfig(AppConfig):
    """Job-board integrations: adapters, postings, publish attempts and inbound events."""

    name = "boards"
    verbose_name = "Job boards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from boards.receivers import take_adverts_down
        from recruitment.signals import vacancy_ended

        vacancy_ended.connect(take_adverts_down, dispatch_uid="boards-take-adverts-down")
