from django.apps import AppConfig


class BoardsConfig(AppConfig):
    """Job-board integrations: adapters, postings, publish attempts and inbound events."""

    name = "boards"
    verbose_name = "Job boards"
    default_auto_field = "django.db.models.BigAutoField"
