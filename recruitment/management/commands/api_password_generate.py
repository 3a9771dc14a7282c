"""`manage.py api_password_generate USERNAME`: give a user a new API password and print it once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from recruitment.services.partners import api_password_generate


class Command(BaseCommand):
    help = "Generate a user's API password (revoking any previous one); prints it this once, stores only a hash."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        self.stdout.write(f"API_PASSWORD={api_password_generate(user=user)}")
