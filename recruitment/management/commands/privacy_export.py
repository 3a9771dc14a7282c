"""`manage.py privacy_export --email ADDRESS | --candidate ID [--output FILE]`: a subject access ZIP."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recruitment.errors import DomainError
from recruitment.privacy.people import person_from
from recruitment.privacy.subject_access import subject_access_export


class Command(BaseCommand):
    help = "Export everything held about a person (subject access) as one ZIP: a JSON file per category and the files."

    def add_arguments(self, parser):
        parser.add_argument("--email", help="The person's email address (matched whatever its case).")
        parser.add_argument("--candidate", type=int, help="Or the candidate's id.")
        parser.add_argument("--output", help="Where to write the ZIP (default: subject-access-<date>.zip here).")

    def handle(self, *args, email, candidate, output, **options):
        try:
            person = person_from(email=email, candidate_id=candidate)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        path = Path(output or f"subject-access-{timezone.localdate():%Y-%m-%d}.zip")
        with path.open("wb") as out:
            counts = subject_access_export(person=person, out=out)
        for category, count in counts.items():
            self.stdout.write(f"{category}: {count}")
        self.stdout.write(f"Written to {path}")
