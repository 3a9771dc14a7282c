"""Create (or re-point) the demo NHS Jobs board account at the sandbox, and the board polling schedule.

Safe to run again."""

from django.core.management.base import BaseCommand

from boards.services import demo_boards_ensure


class Command(BaseCommand):
    help = "Ensure the demo NHS Jobs board account points at the sandbox (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default=None, help="The sandbox's NHS Jobs base URL (default: SITE_URL + /sandbox/nhs-jobs)."
        )

    def handle(self, *args, **options):
        account = demo_boards_ensure(base_url=options["base_url"])
        self.stdout.write(f"{account.name}: {account.base_url}")
