"""Fill Candidate.email_normalised for the candidates already stored.

The key is computed here as `recruitment.validators.normalise_email` computed it when this migration was written
(NFC, case-folded local part, IDNA UTS #46 domain in its ASCII form), without refusing anything: an address stored
before the stricter checks still gets a key (its whole text, NFC and case-folded, when IDNA cannot read its domain).
Two candidates whose addresses turn out to be the same stop the migration with their ids: merge them (move the
applications to one of them) and migrate again; choosing for the people involved is not the migration's job.
"""

import unicodedata

import idna
from django.db import migrations


def _key(email: str) -> str:
    text = unicodedata.normalize("NFC", (email or "").strip())
    local, _, domain = text.rpartition("@")
    try:
        domain = idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        return unicodedata.normalize("NFC", text.casefold())
    return f"{unicodedata.normalize('NFC', local.casefold())}@{domain}"


def fill(apps, schema_editor):
    Candidate = apps.get_model("recruitment", "Candidate")
    owners: dict[str, int] = {}
    clashes: list[str] = []
    for candidate in Candidate.objects.order_by("pk").only("pk", "email").iterator():
        key = _key(candidate.email)
        if key in owners:
            clashes.append(f"{owners[key]} and {candidate.pk} ({key})")
            continue
        owners[key] = candidate.pk
        Candidate.objects.filter(pk=candidate.pk).update(email_normalised=key)
    if clashes:
        raise RuntimeError(
            "These candidates have the same email address once normalised; merge each pair, then migrate again: "
            + "; ".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("recruitment", "0007_candidate_email_normalised"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
