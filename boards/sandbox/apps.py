from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """The fake boards' own data: what they received and the faults they are told to produce."""

    name = "boards.sandbox"
    label = "sandbox"
    verbose_name = "Job board sandbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from boards.sandbox.privacy import register_sandbox

        register_sandbox()
