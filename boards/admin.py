"""Board models in the admin. An account's form is built from its board's declared settings (secret ones are
write-only: the form takes new values, the pages only say "set"); inbound events are read-only, with "process again".
"""

import json

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from boards.base import BoardAdapter, Capability
from boards.models import BoardAccount, BulkImport, InboundEvent, InboundStatus, Posting, PublishAttempt
from boards.registry import get_adapter, is_registered
from boards.services.accounts import board_account_clear_attention, board_account_save, board_account_settings_errors
from boards.services.inbound import inbound_event_reprocess
from boards.types import board_choices
from recruitment.admin.scoping import ScopedAdminMixin
from recruitment.selectors.scope import vacancies_visible_to

SETTING_PREFIX = "setting_"


class BoardAccountFormBase(forms.ModelForm):
    """The account's own fields; subclasses add one field per setting the board declares (`account_form_for`)."""

    adapter: BoardAdapter

    class Meta:
        model = BoardAccount
        fields = ["name", "base_url", "enabled"]
        labels = {"base_url": "Base URL"}
        widgets = {"base_url": forms.URLInput(attrs={"size": 60})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.board = self.adapter.code

    def settings_given(self) -> dict[str, str]:
        return {
            setting.name: self.cleaned_data.get(f"{SETTING_PREFIX}{setting.name}", "")
            for setting in self.adapter.settings
        }

    def clean(self):
        cleaned = super().clean()
        stored = self.instance.secrets() if self.instance.pk else {}
        errors = board_account_settings_errors(
            board=self.adapter.code, settings=self.settings_given(), stored_secrets=stored
        )
        for name, message in errors.items():
            self.add_error(f"{SETTING_PREFIX}{name}", message)
        return cleaned

    def save(self, commit=True):
        """Save through `board_account_save` (encrypts the secrets, clears "needs attention" when reconfigured)."""
        data = self.cleaned_data
        self.save_m2m = lambda: None  # no many-to-many fields; the admin calls this after saving
        return board_account_save(
            account=self.instance if self.instance.pk else None,
            board=self.adapter.code,
            name=data["name"],
            base_url=data["base_url"],
            enabled=data["enabled"],
            settings=self.settings_given(),
        )


def account_form_for(board: str, instance: BoardAccount | None) -> type[BoardAccountFormBase]:
    """The account form of one board: its own settings, labelled as it labels them (no other board's fields)."""
    adapter = get_adapter(board)
    stored_secrets = instance.secrets() if instance is not None and instance.pk else {}
    fields: dict[str, forms.Field] = {}
    for setting in adapter.settings:
        if setting.secret:
            state = "Set: blank keeps it." if stored_secrets.get(setting.name) else "Not set yet."
            fields[f"{SETTING_PREFIX}{setting.name}"] = forms.CharField(
                label=setting.label,
                required=False,
                widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                help_text=f"{setting.help_text} Secret: never shown again once saved. {state}".strip(),
            )
        else:
            fields[f"{SETTING_PREFIX}{setting.name}"] = forms.CharField(
                label=setting.label,
                required=False,
                initial=(instance.public_settings.get(setting.name, "") if instance is not None else ""),
                help_text=setting.help_text,
            )
    return type(f"{type(adapter).__name__}AccountForm", (BoardAccountFormBase,), {**fields, "adapter": adapter})


@admin.register(BoardAccount)
class BoardAccountAdmin(admin.ModelAdmin):
    """One account per board; "Add" first asks which board, then shows that board's settings only."""

    list_display = ["name", "board", "enabled", "needs_attention", "settings_set"]
    list_filter = ["board", "enabled", "needs_attention"]
    search_fields = ["name", "base_url"]
    readonly_fields = ["board", "webhook_url", "settings_set", "attention_reason", "attention_since", "poll_watermark"]
    actions = ["clear_attention"]

    def _board(self, request, obj) -> str:
        return obj.board if obj is not None else request.GET.get("board", "")

    def get_form(self, request, obj=None, change=False, **kwargs):
        board = self._board(request, obj)
        return account_form_for(board, obj)

    def get_fieldsets(self, request, obj=None):
        adapter = get_adapter(self._board(request, obj))
        settings_fields = [f"{SETTING_PREFIX}{setting.name}" for setting in adapter.settings]
        top = ["board", "name", "base_url", "enabled"]
        if Capability.WEBHOOKS in adapter.capabilities:
            top.append("webhook_url")
        attention = ["attention_reason", "attention_since"]
        if Capability.POLLING in adapter.capabilities:
            attention.append("poll_watermark")  # only boards we poll have one
        return [
            (None, {"fields": top}),
            (f"{adapter.name} settings", {"fields": ["settings_set", *settings_fields]}),
            ("Attention", {"fields": attention}),
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def add_view(self, request, form_url="", extra_context=None):
        """Without a (registered, not yet set up) `?board=`, the page to choose the board comes first."""
        board = request.GET.get("board", "")
        if not is_registered(board) or BoardAccount.objects.filter(board=board).exists():
            taken = set(BoardAccount.objects.values_list("board", flat=True))
            context = {
                **self.admin_site.each_context(request),
                "title": "Add a board account: which board?",
                "opts": self.model._meta,
                "boards": [(code, name, code in taken) for code, name in board_choices()],
                "add_url": reverse("admin:boards_boardaccount_add"),
            }
            return TemplateResponse(request, "admin/boards/boardaccount/choose_board.html", context)
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Nothing left to do: the admin's `save_form` already saved through the form's service call."""

    @admin.display(description="Board")
    def board(self, obj: BoardAccount) -> str:
        return obj.get_board_display()

    @admin.display(description="Webhook URL (give it to the board)")
    def webhook_url(self, obj: BoardAccount) -> str:
        code = obj.board if obj.pk else ""
        return f"{settings.SITE_URL.rstrip('/')}{reverse('boards:webhook', args=[code])}" if code else "-"

    @admin.display(description="Settings")
    def settings_set(self, obj: BoardAccount) -> str:
        secrets = obj.secrets()
        names = [
            setting.label for setting in obj.adapter.settings if obj.setting(setting.name) or secrets.get(setting.name)
        ]
        return f"set: {', '.join(names)}" if names else "not set"

    @admin.action(description="Mark as fixed (allow sending again)")
    def clear_attention(self, request, queryset):
        for account in queryset:
            board_account_clear_attention(account=account)


class PublishAttemptInline(admin.TabularInline):
    """The posting's calls to the board, newest first (read-only)."""

    model = PublishAttempt
    fk_name = "posting"
    extra = 0
    can_delete = False
    fields = ["created_at", "operation", "status_code", "outcome", "duration_ms", "error"]
    readonly_fields = fields
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Posting)
class PostingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Postings of the vacancies in the user's data scope (read-only here)."""

    scope = staticmethod(lambda user, qs: qs.filter(vacancy__in=vacancies_visible_to(user)))
    list_display = ["vacancy", "account", "status", "board_id", "board_status", "in_feed", "updated_at"]
    list_filter = ["status", "account__board", "board_status", "in_feed"]
    search_fields = ["vacancy__reference", "vacancy__title", "board_id"]
    list_select_related = ["vacancy", "account"]
    readonly_fields = [field.name for field in Posting._meta.fields]
    inlines = [PublishAttemptInline]

    def has_add_permission(self, request):
        return False


@admin.register(PublishAttempt)
class PublishAttemptAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Calls to the boards: those about a posting in the user's data scope, and those about no posting."""

    scope = staticmethod(
        lambda user, qs: qs.filter(Q(posting__isnull=True) | Q(posting__vacancy__in=vacancies_visible_to(user)))
    )
    list_display = ["created_at", "account", "posting", "operation", "status_code", "outcome", "duration_ms"]
    list_filter = ["outcome", "operation", "account__board", "status_code"]
    search_fields = ["posting__vacancy__reference", "url", "error"]
    list_select_related = ["account", "posting__vacancy"]
    readonly_fields = [field.name for field in PublishAttempt._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InboundEvent)
class InboundEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Events boards sent us (or we found by polling), stored raw: read-only, with "process again". A user limited
    to some divisions sees the events about vacancies in them, and those tied to no vacancy (an unknown job)."""

    scope = staticmethod(
        lambda user, qs: qs.filter(
            Q(posting__isnull=True, application__isnull=True)
            | Q(posting__vacancy__in=vacancies_visible_to(user))
            | Q(application__vacancy__in=vacancies_visible_to(user))
        )
    )
    list_display = ["received_at", "board", "kind", "raw_type", "status", "attempts", "short_error", "application"]
    list_filter = ["board", "status", "kind", "source"]
    search_fields = ["event_id", "board_job_id", "board_application_id", "reference"]
    list_select_related = ["application__candidate", "application__vacancy"]
    date_hierarchy = "received_at"
    actions = ["process_again"]
    exclude = ["body", "data", "headers"]
    readonly_fields = [
        *(field.name for field in InboundEvent._meta.fields if field.name not in ("body", "data", "headers")),
        "raw_body",
        "normalised_data",
        "kept_headers",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        """No editing (the form is read-only); the list keeps the change permission for "process again"."""
        return obj is None and super().has_change_permission(request)

    @admin.display(description="Error")
    def short_error(self, obj: InboundEvent) -> str:
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.display(description="Raw body (exactly as received)")
    def raw_body(self, obj: InboundEvent) -> str:
        # A read-only text box: the body as it came (one long line, often), wrapped to the page and scrollable.
        return format_html('<textarea class="vLargeTextField app-raw-body" rows="12" readonly>{}</textarea>', obj.body)

    @admin.display(description="Normalised data")
    def normalised_data(self, obj: InboundEvent) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.data, indent=2, ensure_ascii=False))

    @admin.display(description="Headers kept")
    def kept_headers(self, obj: InboundEvent) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.headers, indent=2, ensure_ascii=False))

    @admin.action(description="Process again", permissions=["change"])
    def process_again(self, request, queryset):
        count = 0
        for event in queryset.exclude(status=InboundStatus.PROCESSING):
            inbound_event_reprocess(event=event)
            count += 1
        self.message_user(
            request, f"{count} {ngettext('event', 'events', count)} will be processed again.", messages.SUCCESS
        )


class ImportCallInline(PublishAttemptInline):
    """The calls made for an import (sending it, polling it), newest first (read-only)."""

    fk_name = "bulk_import"


@admin.register(BulkImport)
class BulkImportAdmin(admin.ModelAdmin):
    """Syncs of bulk boards' feeds: read-only (the services make them; recruiters press "Sync now"). The callback
    token is never shown: it is the credential of the callback address."""

    list_display = [
        "pk",
        "account",
        "status",
        "trigger",
        "created_at",
        "completed_at",
        "job_count",
        "added",
        "updated",
        "unchanged",
        "deleted",
        "failed",
        "callback_received_at",
    ]
    list_filter = ["status", "trigger", "account__board", ("callback_received_at", admin.EmptyFieldListFilter)]
    search_fields = ["board_import_id", "last_error"]
    list_select_related = ["account"]
    date_hierarchy = "created_at"
    exclude = ["token", "items", "results"]
    readonly_fields = [
        *(field.name for field in BulkImport._meta.fields if field.name not in ("token", "items", "results")),
        "carried",
        "raw_results",
    ]
    inlines = [ImportCallInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Jobs carried ([posting id, reference], in order)")
    def carried(self, obj: BulkImport) -> str:
        shown = obj.items[:200]
        more = f"\n… and {len(obj.items) - len(shown)} more" if len(obj.items) > len(shown) else ""
        return format_html("<pre>{}{}</pre>", json.dumps(shown), more)

    @admin.display(description="Results (as the board sent them)")
    def raw_results(self, obj: BulkImport) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.results, indent=2, ensure_ascii=False))
