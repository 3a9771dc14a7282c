"""`manage.py privacy_erase --email ADDRESS | --candidate ID [--actor USERNAME] [--confirm]`: erasure on request."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from recruitment.errors import DomainError
from recruitment.privacy.erasure import ErasureRefused, erasure_refusals, personal_data_erase
from recruitment.privacy.people import person_from
from recruitment.privacy.registry import entries
from recruitment.privacy.selectors import personal_data_found


class Command(BaseCommand):
    help = (
        "Erase a person's personal data on request. Without --confirm, show what would be erased (or why it is "
        "refused) and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", help="The person's email address (matched whatever its case).")
        parser.add_argument("--candidate", type=int, help="Or the candidate's id.")
        parser.add_argument("--actor", help="The username of the member of staff handling the request (audited).")
        parser.add_argument("--confirm", action="store_true", help="Erase (without it: report only).")

    def handle(self, *args, email, candidate, actor, confirm, **options):
        user = None
        if actor:
            user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: actor}).first()
            if user is None:
                raise CommandError(f"There is no user {actor!r}.")
        try:
            person = person_from(email=email, candidate_id=candidate)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not confirm:
            found = personal_data_found(person)
            for entry in entries():
                self.stdout.write(f"{entry.category}: {len(found[entry.category])} ({entry.erasure})")
            for reason in erasure_refusals(person):
                self.stdout.write(f"Refused: {reason}")
            self.stdout.write("Nothing changed: add --confirm to erase.")
            return
        try:
            counts = personal_data_erase(person=person, actor=user)
        except ErasureRefused as exc:
            raise CommandError("\n".join(["Erasure refused:", *exc.reasons])) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for category, count in counts.items():
            self.stdout.write(f"{category}: {count}")
        self.stdout.write(f"Erased the personal data of {person.email}.")
