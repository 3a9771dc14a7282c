from django.db import migrations, models


class Migration(migrations.Migration):
    """One candidate per normalised email address, on SQLite and PostgreSQL alike (replaces lower(email))."""

    dependencies = [
        ("recruitment", "0008_fill_candidate_email_normalised"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="candidate",
            name="candidate_email_unique_ci",
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.UniqueConstraint(fields=("email_normalised",), name="candidate_email_normalised_unique"),
        ),
    ]
