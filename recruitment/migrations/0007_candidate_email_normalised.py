import recruitment.models.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    """Add Candidate.email_normalised (filled by 0007, made unique by 0008); the email field checks IDNA domains."""

    dependencies = [
        ("recruitment", "0006_contract_kind_and_board_sources"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="email_normalised",
            field=models.CharField(default="", editable=False, max_length=320),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="candidate",
            name="email",
            field=recruitment.models.fields.EmailAddressField(max_length=254),
        ),
    ]
