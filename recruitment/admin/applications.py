"""Admin for candidates, applications, their documents and stage history (EO answers: equal_opportunities.py)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from recruitment.admin.actions import error_text, person_column, service_action
from recruitment.admin.scoping import ScopedAdminMixin
from recruitment.admin.subject_rights import PersonalDataActionsMixin
from recruitment.errors import DomainError
from recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationStage,
    ApplicationStageChange,
    Candidate,
    DbsCheck,
)
from recruitment.selectors.scope import applications_visible_to, candidates_visible_to
from recruitment.services.applications import (
    application_document_attach,
    application_move,
    application_reject,
    application_submit,
)
from recruitment.services.candidates import (
    CANDIDATE_FIELDS,
    REGISTRATION_BOTH_OR_NEITHER,
    candidate_get_or_create,
    candidate_update,
)
from recruitment.uploads import check_document
from recruitment.workflows import APPLICATION_TRANSITIONS


class ReadOnlyAdminMixin:
    """For records written only by services (history, logs): viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def document_link(document: ApplicationDocument) -> str:
    """A link to the permission-checked download view (never a public file URL)."""
    url = reverse("document-download", args=[document.pk])
    return format_html('<a href="{}">{}</a>', url, document.original_name)


class CandidateAdminForm(forms.ModelForm):
    """The candidate form; the database's rules on candidates read as sentences, never as constraint names."""

    DUPLICATE_EMAIL = "A candidate with this email address already exists."

    class Meta:
        model = Candidate
        fields = CANDIDATE_FIELDS

    def validate_constraints(self) -> None:
        """Check each constraint as Django would, wording a violation for people: a candidate's one unique key is
        their email address (however it is normalised), and the registration rule is the services' own."""
        # The model's clean() has set the normalised address the unique key is on; the form does not hold that
        # field, so Django would skip the key: check it too.
        exclude = self._get_validation_exclusions() - {"email_normalised"}
        if "email" in self.errors:
            exclude |= {"email_normalised"}
        for constraint in Candidate._meta.constraints:
            try:
                constraint.validate(Candidate, self.instance, exclude=exclude)
            except ValidationError as exc:
                if isinstance(constraint, UniqueConstraint):
                    self.add_error("email", self.DUPLICATE_EMAIL)
                elif constraint.name == "candidate_registration_body_and_number":
                    self.add_error("registration_number", REGISTRATION_BOTH_OR_NEITHER)
                else:
                    self._update_errors(exc)


@admin.register(Candidate)
class CandidateAdmin(PersonalDataActionsMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Candidates, found by name, email, phone or postcode; saved through the candidate services. Actions export a
    person's data (subject access) or erase it on request.

    A user limited to some divisions sees the candidates with an application in them (`candidates_visible_to`).
    """

    scope = staticmethod(candidates_visible_to)
    form = CandidateAdminForm
    list_display = ("last_name", "first_name", "email", "phone", "postcode", "registration_body", "created_at")
    list_filter = ("registration_body", "created_at")
    search_fields = ("first_name", "last_name", "email", "phone", "postcode", "registration_number")
    date_hierarchy = "created_at"
    readonly_fields = ("privacy_notice_accepted_at", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name not in self.readonly_fields}
        if change:
            saved = candidate_update(candidate=obj, **fields)
        else:
            saved, _ = candidate_get_or_create(**{name: form.cleaned_data[name] for name in form.fields})
        vars(obj).update(vars(saved))


class StageChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The application's stage history (read-only)."""

    model = ApplicationStageChange
    fields = ("changed_at", "from_stage", "to_stage", "by", "note")
    readonly_fields = fields
    extra = 0
    by = person_column("changed_by", default="Candidate or system")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class DocumentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The application's documents, each opened through the permission-checked view."""

    model = ApplicationDocument
    fields = ("kind", "download", "content_type", "size", "uploaded_at")
    readonly_fields = fields
    extra = 0

    @admin.display(description="File")
    def download(self, obj: ApplicationDocument) -> str:
        return document_link(obj)


class DbsCheckInline(ReadOnlyAdminMixin, admin.StackedInline):
    """The application's DBS check, if any (work on it from the DBS check page)."""

    model = DbsCheck
    fields = ("level", "workforce", "stage", "stage_changed_at", "decision")
    readonly_fields = fields
    show_change_link = True
    extra = 0


class ApplicationAdminForm(forms.ModelForm):
    """The application form: on change, a move to another stage with a note instead of editing the stage."""

    move_to = forms.ChoiceField(required=False, label="Move to stage", choices=())
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Required when rejecting: the reason."
    )

    class Meta:
        model = Application
        fields = ("candidate", "vacancy", "source", "source_name", "source_reference", "cover_letter")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.stage if self.instance.pk else ApplicationStage.NEW
        labels = dict(ApplicationStage.choices)
        self.fields["move_to"].choices = [("", "Stay where it is")] + [
            (stage, labels[stage]) for stage in ApplicationStage.values if stage in APPLICATION_TRANSITIONS[current]
        ]

    def clean(self):
        data = super().clean()
        if data.get("move_to") == ApplicationStage.REJECTED and not data.get("note", "").strip():
            self.add_error("note", "Enter the reason for rejecting this application.")
        vacancy = data.get("vacancy")
        if not self.instance.pk and vacancy is not None and not vacancy.is_open_for_applications:
            self.add_error("vacancy", "This job is not open for applications.")
        return data


@admin.register(Application)
class ApplicationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Applications with their history, documents and DBS check.

    Never their equal-opportunities answers: those are kept from the people deciding, and shown only on their own
    admin pages and in the aggregate report (`EqualOpportunitiesAdmin`).
    """

    scope = staticmethod(applications_visible_to)
    form = ApplicationAdminForm
    list_display = ("__str__", "vacancy", "stage", "source", "submitted_at", "stage_changed_at")
    list_filter = ("stage", "source", ("vacancy__division", admin.RelatedOnlyFieldListFilter), "submitted_at")
    search_fields = (
        "candidate__first_name",
        "candidate__last_name",
        "candidate__email",
        "vacancy__reference",
        "vacancy__title",
        "source_reference",
    )
    autocomplete_fields = ("candidate", "vacancy")
    list_select_related = ("candidate", "vacancy")
    date_hierarchy = "submitted_at"
    readonly_fields = ("stage", "rejection_reason", "submitted_at", "stage_changed_at", "updated_at")
    inlines = (StageChangeInline, DocumentInline, DbsCheckInline)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (
                (
                    None,
                    {"fields": ("candidate", "vacancy", "source", "source_name", "source_reference", "cover_letter")},
                ),
            )
        return (
            (
                None,
                {"fields": ("candidate", "vacancy", "stage", "rejection_reason", "submitted_at", "stage_changed_at")},
            ),
            ("Move", {"fields": ("move_to", "note")}),
            ("Source", {"fields": ("source", "source_name", "source_reference")}),
            ("Cover letter", {"fields": ("cover_letter",)}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            *self.readonly_fields,
            "candidate",
            "vacancy",
            "source",
            "source_name",
            "source_reference",
            "cover_letter",
        )

    def save_model(self, request, obj, form, change):
        """Add through application_submit; on change, move stage through application_move/application_reject."""
        if not change:
            data = form.cleaned_data
            saved = application_submit(
                candidate=data["candidate"],
                vacancy=data["vacancy"],
                source=data["source"],
                source_name=data["source_name"],
                source_reference=data["source_reference"],
                cover_letter=data["cover_letter"],
            )
        else:
            target, note = form.cleaned_data.get("move_to"), form.cleaned_data.get("note", "")
            saved = obj
            if target == ApplicationStage.REJECTED:
                saved = application_reject(application=obj, actor=request.user, reason=note)
            elif target:
                saved = application_move(application=obj, to_stage=target, actor=request.user, note=note)
        vars(obj).update(vars(saved))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Show a refusal the form could not foresee (a race with another user) as a message, not an error page."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (DomainError, ValidationError) as exc:
            self.message_user(request, error_text(exc), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


# Rejecting needs a reason, so it is done on the application's page, not as a list action.
ApplicationAdmin.actions = tuple(
    service_action(
        f"move_to_{stage}",
        f"Move selected to {ApplicationStage(stage).label}",
        "change",
        lambda application, request, stage=stage: application_move(
            application=application, to_stage=stage, actor=request.user, note="Moved in the admin"
        ),
        done=f"moved to {ApplicationStage(stage).label}",
    )
    for stage in ApplicationStage.values
    if stage != ApplicationStage.REJECTED
)


class DocumentAdminForm(forms.ModelForm):
    """Attach a CV or cover letter: checked by size and by content, like every upload."""

    class Meta:
        model = ApplicationDocument
        fields = ("application", "kind", "file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_document(upload, field="file")
        return upload


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Candidate documents; files open only through the permission-checked download view."""

    scope = staticmethod(lambda user, qs: qs.filter(application__in=applications_visible_to(user)))
    form = DocumentAdminForm
    list_display = ("original_name", "kind", "application", "content_type", "size", "uploaded_at")
    list_filter = ("kind", "content_type", "uploaded_at")
    search_fields = ("original_name", "application__candidate__email", "application__vacancy__reference")
    autocomplete_fields = ("application",)
    list_select_related = ("application__candidate", "application__vacancy")
    date_hierarchy = "uploaded_at"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("application", "kind", "file")
        return ("application", "kind", "download", "original_name", "content_type", "size", "uploaded_at")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("application", "kind", "download", "original_name", "content_type", "size", "uploaded_at")

    @admin.display(description="File")
    def download(self, obj: ApplicationDocument) -> str:
        return document_link(obj)

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = application_document_attach(
            application=form.cleaned_data["application"], kind=form.cleaned_data["kind"], document=form.checked
        )
        vars(obj).update(vars(saved))


@admin.register(ApplicationStageChange)
class ApplicationStageChangeAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Every stage move of every application (read-only)."""

    scope = staticmethod(lambda user, qs: qs.filter(application__in=applications_visible_to(user)))
    list_display = ("application", "from_stage", "to_stage", "by", "changed_at")
    by = person_column("changed_by", default="Candidate or system")
    list_filter = ("to_stage", "from_stage", "changed_at")
    search_fields = ("application__candidate__email", "application__vacancy__reference", "note")
    list_select_related = ("application__candidate", "application__vacancy", "changed_by")
    date_hierarchy = "changed_at"
