"""`manage.py privacy_retention [--dry-run]`: apply the retention policies now (or report what they would do)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from recruitment.privacy.retention import retention_apply
from recruitment.privacy.selectors import active_legal_hold_count, retention_report


class Command(BaseCommand):
    help = (
        "Apply the personal data retention policies now, in batches (the daily task does the same). With --dry-run, "
        "list per category what the next run would remove, and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report only; change nothing.")

    def handle(self, *args, dry_run: bool, **options):
        if dry_run:
            for line in retention_report():
                self.stdout.write(
                    f"{line.category}: {line.due} to be {line.action} "
                    f"(older than {line.period}, before {timezone.localtime(line.cutoff):%Y-%m-%d %H:%M %Z})"
                )
            self.stdout.write(f"Active legal holds (their data is left alone): {active_legal_hold_count()}")
            return
        result = retention_apply()
        for category, count in result.counts.items():
            self.stdout.write(f"{category}: {count}")
        self.stdout.write(f"Run {result.run}: done.")
