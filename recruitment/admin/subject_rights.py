"""Candidate list actions for a person's rights: subject access (a ZIP of everything held) and erasure on request."""

import tempfile

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from recruitment.admin.actions import error_text
from recruitment.errors import DomainError
from recruitment.privacy.erasure import erasure_refusals, personal_data_erase
from recruitment.privacy.registry import Person, entries
from recruitment.privacy.selectors import personal_data_found
from recruitment.privacy.subject_access import subject_access_export

ERASE_TEMPLATE = "admin/recruitment/candidate/erase_personal_data.html"


class PersonalDataActionsMixin:
    """Candidate list actions: export a person's data (subject access) and erase it on request, each for one
    selected candidate and behind its own permission."""

    actions = ("export_personal_data", "erase_personal_data")

    def has_export_personal_data_permission(self, request) -> bool:
        return request.user.has_perm("recruitment.export_personal_data")

    def has_erase_personal_data_permission(self, request) -> bool:
        return request.user.has_perm("recruitment.erase_personal_data")

    def _one_person(self, request, queryset) -> Person | None:
        if queryset.count() != 1:
            self.message_user(request, "Choose one candidate.", level=messages.ERROR)
            return None
        candidate = queryset.get()
        if candidate.anonymised_at is not None:
            self.message_user(request, "This is an anonymised stand-in: it holds no one's data.", messages.ERROR)
            return None
        return Person.of(candidate)

    @admin.action(description="Export personal data (subject access ZIP)", permissions=["export_personal_data"])
    def export_personal_data(self, request, queryset):
        person = self._one_person(request, queryset)
        if person is None:
            return None
        # FileResponse closes the file once it is sent.
        out = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115
        subject_access_export(person=person, out=out)
        out.seek(0)
        filename = f"subject-access-candidate-{person.candidate.pk}-{timezone.localdate():%Y-%m-%d}.zip"
        response = FileResponse(out, as_attachment=True, filename=filename, content_type="application/zip")
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Erase personal data on request", permissions=["erase_personal_data"])
    def erase_personal_data(self, request, queryset):
        """First a page of what would be erased (or why it is refused); erased only when that page is confirmed."""
        person = self._one_person(request, queryset)
        if person is None:
            return None
        if request.POST.get("confirm") == "yes":
            try:
                counts = personal_data_erase(person=person, actor=request.user)
            except (DomainError, ValidationError) as exc:
                self.message_user(request, error_text(exc), level=messages.ERROR)
                return None
            changed = sum(counts.values())
            self.message_user(request, f"Erased: {changed} rows changed or deleted.", level=messages.SUCCESS)
            return None
        found = personal_data_found(person)
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase personal data on request",
            "opts": self.model._meta,
            "person": person,
            "rows": [(entry, len(found[entry.category])) for entry in entries()],
            "refusals": erasure_refusals(person),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, ERASE_TEMPLATE, context)
