"""The fake boards' data in the admin (development and tests only: the sandbox is never mounted in production)."""

from django.contrib import admin

from boards.sandbox.models import (
    SandboxApplication,
    SandboxBoardSettings,
    SandboxDelivery,
    SandboxFault,
    SandboxImport,
    SandboxJob,
    SandboxToken,
)


@admin.register(SandboxJob)
class SandboxJobAdmin(admin.ModelAdmin):
    """Jobs the fake boards received."""

    list_display = ["pk", "board", "public_id", "reference", "status", "update_count", "created_at"]
    list_filter = ["board", "status"]
    search_fields = ["reference", "public_id", "idempotency_key"]


@admin.register(SandboxApplication)
class SandboxApplicationAdmin(admin.ModelAdmin):
    """Applications candidates made on the fake boards."""

    list_display = ["public_id", "board", "job", "status", "created_at"]
    list_filter = ["board", "status"]
    search_fields = ["public_id", "job__reference"]
    exclude = ["cv"]


@admin.register(SandboxDelivery)
class SandboxDeliveryAdmin(admin.ModelAdmin):
    """Webhooks the fake boards sent (or tried to)."""

    list_display = ["event_id", "board", "event_type", "status_code", "attempts", "delivered_at", "created_at"]
    list_filter = ["board", "event_type", "status_code"]
    search_fields = ["event_id"]


@admin.register(SandboxBoardSettings)
class SandboxBoardSettingsAdmin(admin.ModelAdmin):
    """Switches of each fake board (webhooks on or off, token lifetime, callbacks)."""

    list_display = ["board", "webhooks_enabled", "token_lifetime_seconds", "skip_callback"]
    list_filter = ["webhooks_enabled", "skip_callback"]
    search_fields = ["board"]


@admin.register(SandboxFault)
class SandboxFaultAdmin(admin.ModelAdmin):
    """Faults the fake boards will produce on their next calls."""

    list_display = ["board", "kind", "remaining", "created_at"]
    list_filter = ["board", "kind"]
    search_fields = ["board", "field", "message"]


@admin.register(SandboxToken)
class SandboxTokenAdmin(admin.ModelAdmin):
    """Access tokens the fake boards issued (only their hashes are kept)."""

    list_display = ["board", "client_id", "expires_at", "created_at"]
    list_filter = ["board"]
    search_fields = ["client_id"]
    readonly_fields = ["token_hash"]


@admin.register(SandboxImport)
class SandboxImportAdmin(admin.ModelAdmin):
    """Bulk imports the fake boards accepted (the request body is left out: it can be megabytes)."""

    list_display = ["public_id", "board", "status", "job_count", "delete_jobs", "requested_at", "completed_at"]
    list_filter = ["board", "status", "delete_jobs"]
    search_fields = ["public_id", "idempotency_key"]
    exclude = ["body"]
