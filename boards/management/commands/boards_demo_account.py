"""Point the demo board accounts at this site's sandbox (e.g. when running on another host or port). Safe to run
again: accounts are re-pointed and re-keyed, never duplicated."""

from django.core.management.base import BaseCommand

from boards.services.demo import demo_accounts_ensure


class Command(BaseCommand):
    help = "Point every demo board account at the sandbox of this site (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url", default=None, help="The site whose /sandbox/ the accounts use (default: SITE_URL)."
        )

    def handle(self, *args, **options):
        for account in demo_accounts_ensure(site_url=options["site_url"], repoint=True):
            self.stdout.write(f"{account.name}: {account.base_url}")
