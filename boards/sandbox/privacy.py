"""The fake boards' personal data for `recruitment.privacy` (registered by `boards.sandbox.apps`).

The sandbox is off in production, but its tables exist everywhere and hold what people typed on a fake board
(candidates' details, CVs, the webhooks it sent), so subject access and erasure find them too.
"""

import io

from django.db.models import QuerySet

from boards.sandbox.models import SandboxApplication, SandboxDelivery
from recruitment.privacy.anonymise import rows_delete
from recruitment.privacy.registry import Person, PersonalData, no_personal_data, register


def _applications(person: Person) -> QuerySet[SandboxApplication]:
    return SandboxApplication.objects.filter(candidate__email__iexact=person.email)


def _cv(application: SandboxApplication):
    if not application.cv:
        return []
    data = bytes(application.cv)
    return [(f"sandbox/{application.public_id}-{application.cv_name or 'cv'}", lambda: io.BytesIO(data))]


def register_sandbox() -> None:
    """Register the sandbox's models (once, when the app is ready)."""
    no_personal_data("sandbox.SandboxJob", reason="Jobs a fake board received from us (adverts, no applicants).")
    no_personal_data("sandbox.SandboxBoardSettings", reason="A fake board's switches.")
    no_personal_data("sandbox.SandboxFault", reason="Faults a fake board is told to produce.")
    no_personal_data("sandbox.SandboxToken", reason="Hashes of the access tokens a fake board issued to us.")
    no_personal_data("sandbox.SandboxImport", reason="Bulk imports of our jobs a fake board received (adverts only).")
    register(
        PersonalData(
            model="sandbox.SandboxApplication",
            category="sandbox_applications",
            description="Applications made on a fake (sandbox) job board, with the CV given there.",
            find=_applications,
            erase=rows_delete(SandboxApplication),
            erasure="deleted",
            export_exclude=("cv",),
            files=_cv,
        )
    )
    register(
        PersonalData(
            model="sandbox.SandboxDelivery",
            category="sandbox_webhooks",
            description="Webhooks a fake job board sent us about you.",
            find=lambda person: SandboxDelivery.objects.filter(body__icontains=person.email),
            erase=rows_delete(SandboxDelivery),
            erasure="deleted",
        )
    )
