"""`manage.py partner_client_create NAME`: register a partner client and print its client ID and API key once."""

from django.core.management.base import BaseCommand, CommandError

from recruitment.models import PartnerClient
from recruitment.services.partners import partner_client_create


class Command(BaseCommand):
    help = "Register a partner API client; prints its client ID and API key (shown this once, stored hashed)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The partner system's name, e.g. 'Payroll'.")

    def handle(self, *args, name: str, **options):
        if PartnerClient.objects.filter(name=name).exists():
            raise CommandError(f"A partner client named {name!r} already exists: rotate its key in the admin.")
        client, key = partner_client_create(name=name)
        self.stdout.write(f"CLIENT_ID={client.client_id}\nAPI_KEY={key}")
