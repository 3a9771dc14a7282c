"""Admin for partner API credentials: clients (key shown once), API passwords, tokens, idempotency records."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import ngettext

from recruitment.admin.applications import ReadOnlyAdminMixin
from recruitment.models import ApiPassword, ApiToken, IdempotencyRecord, PartnerClient
from recruitment.services.partners import (
    api_password_generate,
    api_password_revoke,
    partner_client_create,
    partner_client_revoke,
    partner_client_rotate_key,
)

SECRET_TEMPLATE = "admin/recruitment/secret_shown_once.html"


def show_secret(request, modeladmin, *, title: str, explanation: str, secrets: list[tuple[str, str]], back_url: str):
    """A page that shows a new secret once (never put in a message, a log or a cookie)."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "explanation": explanation,
        "secrets": secrets,
        "back_url": back_url,
        "opts": modeladmin.model._meta,
    }
    response = TemplateResponse(request, SECRET_TEMPLATE, context)
    response["Cache-Control"] = "no-store"
    return response


class PartnerClientForm(forms.ModelForm):
    """Only the name is entered: the client id and key are generated."""

    class Meta:
        model = PartnerClient
        fields = ("name",)


@admin.register(PartnerClient)
class PartnerClientAdmin(admin.ModelAdmin):
    """Partner systems allowed to call the API; the API key is shown once, on creation or rotation."""

    form = PartnerClientForm
    list_display = ("name", "client_id", "api_key_hint", "is_active", "key_issued_at", "last_used_at")
    list_filter = ("is_active",)
    search_fields = ("name", "client_id")
    readonly_fields = (
        "client_id",
        "api_key_hint",
        "key_version",
        "is_active",
        "key_issued_at",
        "revoked_at",
        "last_used_at",
    )
    actions = ("rotate_key", "revoke")

    def get_fields(self, request, obj=None):
        return ("name",) if obj is None else ("name", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = partner_client_create(name=form.cleaned_data["name"])
        request._new_api_key = key
        vars(obj).update(vars(client))

    def response_add(self, request, obj, post_url_continue=None):
        return show_secret(
            request,
            self,
            title=f"Partner client {obj.name} registered",
            explanation="Give the partner its client ID and API key.",
            secrets=[("Client ID", obj.client_id), ("API key", request._new_api_key)],
            back_url=reverse("admin:recruitment_partnerclient_change", args=[obj.pk]),
        )

    @admin.action(
        description="Rotate the API key of the selected client (shows the new key once)", permissions=["change"]
    )
    def rotate_key(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Rotate one client at a time: its new key is shown once.", level="ERROR")
            return None
        client = queryset.get()
        key = partner_client_rotate_key(client=client)
        return show_secret(
            request,
            self,
            title=f"New API key for {client.name}",
            explanation="The old key and every token issued with it have stopped working.",
            secrets=[("Client ID", client.client_id), ("API key", key)],
            back_url=reverse("admin:recruitment_partnerclient_changelist"),
        )

    @admin.action(description="Revoke selected clients (their keys and tokens stop working)", permissions=["change"])
    def revoke(self, request, queryset):
        for client in queryset:
            partner_client_revoke(client=client)
        self.message_user(request, f"{(count := queryset.count())} {ngettext('client', 'clients', count)} revoked.")


@admin.register(ApiPassword)
class ApiPasswordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Users' API passwords (hashes never shown); a user generates their own from the 'Generate' page."""

    list_display = ("user", "created_at", "revoked_at")
    list_filter = ("revoked_at", "created_at")
    search_fields = ("user__username", "user__email")
    fields = ("user", "created_at", "revoked_at")
    readonly_fields = fields
    list_select_related = ("user",)
    actions = ("revoke",)
    change_list_template = "admin/recruitment/apipassword/change_list.html"

    def has_change_permission(self, request, obj=None):
        # Needed for the revoke action; the form itself has only read-only fields.
        return obj is None and request.user.has_perm("recruitment.change_apipassword")

    def get_urls(self):
        return [
            path("generate/", self.admin_site.admin_view(self.generate_view), name="recruitment_apipassword_generate"),
            *super().get_urls(),
        ]

    def generate_view(self, request):
        """Generate the signed-in user's own API password (POST), shown once."""
        if request.method != "POST":
            context = {
                **self.admin_site.each_context(request),
                "title": "Generate my API password",
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/recruitment/apipassword/generate.html", context)
        raw = api_password_generate(user=request.user)
        return show_secret(
            request,
            self,
            title="Your new API password",
            explanation="Partner systems use it, with their client ID and API key, to act as you. Any previous API "
            "password and its tokens have stopped working.",
            secrets=[("Username", request.user.get_username()), ("API password", raw)],
            back_url=reverse("admin:recruitment_apipassword_changelist"),
        )

    @admin.action(description="Revoke selected API passwords", permissions=["change"])
    def revoke(self, request, queryset):
        users = {password.user for password in queryset.select_related("user") if password.revoked_at is None}
        for user in users:
            api_password_revoke(user=user)
        self.message_user(request, f"{len(users)} {ngettext('API password', 'API passwords', len(users))} revoked.")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Issued bearer tokens (digests only), to see who used the API and when."""

    list_display = ("client", "user", "created_at", "expires_at")
    list_filter = ("client", "created_at")
    search_fields = ("client__name", "user__username")
    exclude = ("digest",)
    list_select_related = ("client", "user")
    date_hierarchy = "created_at"


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Stored first answers to POSTs made with an Idempotency-Key."""

    list_display = ("client", "key", "response_status", "created_at")
    list_filter = ("client", "response_status")
    search_fields = ("key",)
    list_select_related = ("client",)
    date_hierarchy = "created_at"
