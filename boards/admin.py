"""Board models in the admin. Credentials are write-only: the form takes new values, the pages only say "set"."""

from django import forms
from django.contrib import admin
from django.db.models import Q

from boards import services
from boards.models import BoardAccount, Posting, PublishAttempt
from boards.registry import ADAPTERS
from boards.sandbox.models import SandboxFault, SandboxJob
from recruitment.admin.scoping import ScopedAdminMixin
from recruitment.selectors.scope import vacancies_visible_to

# Every secret setting any registered board declares (a field shows for each; only the board's own are used).
SECRET_SETTINGS = {
    setting.name: setting for adapter in ADAPTERS.values() for setting in adapter.settings if setting.secret
}


class _BoardAccountFormBase(forms.ModelForm):
    """The account, plus write-only secret fields: blank keeps what is stored."""

    webhook_secret = forms.CharField(
        required=False, widget=forms.PasswordInput(render_value=False), help_text="Blank keeps the stored secret."
    )

    class Meta:
        model = BoardAccount
        fields = ["board", "name", "base_url", "org_id", "account_id", "enabled"]

    def save(self, commit=True):
        """Save through `board_account_save` (encrypts the secrets, clears "needs attention" when reconfigured)."""
        data = self.cleaned_data
        self.save_m2m = lambda: None  # no many-to-many fields; the admin calls this after saving
        return services.board_account_save(
            account=self.instance if self.instance.pk else None,
            board=data["board"],
            name=data["name"],
            base_url=data["base_url"],
            org_id=data["org_id"],
            account_id=data["account_id"],
            enabled=data["enabled"],
            credentials={name: data.get(f"secret_{name}", "") for name in SECRET_SETTINGS},
            webhook_secret=data["webhook_secret"] or None,
        )


# One write-only field per secret setting, declared on the class so the admin knows them.
BoardAccountForm = type(
    "BoardAccountForm",
    (_BoardAccountFormBase,),
    {
        f"secret_{name}": forms.CharField(
            label=setting.label,
            required=False,
            widget=forms.PasswordInput(render_value=False),
            help_text=f"{setting.help_text} Never shown again once saved; blank keeps the stored value.",
        )
        for name, setting in SECRET_SETTINGS.items()
    },
)


@admin.register(BoardAccount)
class BoardAccountAdmin(admin.ModelAdmin):
    form = BoardAccountForm
    list_display = ["name", "board", "base_url", "enabled", "needs_attention", "credentials_set"]
    list_filter = ["board", "enabled", "needs_attention"]
    search_fields = ["name", "base_url", "org_id", "account_id"]
    readonly_fields = ["credentials_set", "webhook_secret_set", "attention_reason", "attention_since"]
    actions = ["clear_attention"]

    def get_fieldsets(self, request, obj=None):
        secret_fields = [f"secret_{name}" for name in SECRET_SETTINGS]
        return [
            (None, {"fields": ["board", "name", "base_url", "org_id", "account_id", "enabled"]}),
            ("Credentials", {"fields": ["credentials_set", *secret_fields, "webhook_secret_set", "webhook_secret"]}),
            ("Attention", {"fields": ["attention_reason", "attention_since"]}),
        ]

    def save_model(self, request, obj, form, change):
        """Nothing left to do: the admin's `save_form` already saved through the form's service call."""

    @admin.display(description="Credentials")
    def credentials_set(self, obj: BoardAccount) -> str:
        names = sorted(obj.credentials())
        return f"set: {', '.join(names)}" if names else "not set"

    @admin.display(description="Webhook secret")
    def webhook_secret_set(self, obj: BoardAccount) -> str:
        return "set" if obj.webhook_secret_encrypted else "not set"

    @admin.action(description="Mark as fixed (allow sending again)")
    def clear_attention(self, request, queryset):
        for account in queryset:
            services.board_account_clear_attention(account=account)


class PublishAttemptInline(admin.TabularInline):
    model = PublishAttempt
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
    list_display = ["vacancy", "account", "status", "board_id", "board_status", "updated_at"]
    list_filter = ["status", "account__board", "board_status"]
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


@admin.register(SandboxJob)
class SandboxJobAdmin(admin.ModelAdmin):
    """Jobs the fake boards received (development and tests only)."""

    list_display = ["pk", "board", "reference", "status", "update_count", "created_at"]
    list_filter = ["board", "status"]
    search_fields = ["reference", "idempotency_key"]


@admin.register(SandboxFault)
class SandboxFaultAdmin(admin.ModelAdmin):
    """Faults the fake boards will produce on their next calls."""

    list_display = ["board", "kind", "remaining", "created_at"]
    list_filter = ["board", "kind"]
    search_fields = ["board", "field", "message"]
