"""Admin for the sign-in lockout: failed attempts (unlock from here), successful sign-ins, and the admin's own
sign-in form, which tells a locked-out person what to do."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.admin import AccessLogAdmin as AxesAccessLogAdmin
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import ngettext

from recruitment.lockout import LockoutMessageMixin
from recruitment.services.signin import signin_unlock


class AdminSignInForm(LockoutMessageMixin, AdminAuthenticationForm):
    """The admin's sign-in form; a locked-out attempt says so and what to do."""


admin.site.login_form = AdminSignInForm


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """Failed sign-ins per username and client address (on the back-office, the admin and the API token endpoint).

    "Locked Out" means the pair has reached the failure limit; "Unlock" lets it sign in again at once.
    """

    actions = ("unlock", "cleanup_expired_attempts")

    @admin.action(description="Unlock selected (forget their failed sign-in attempts)", permissions=["delete"])
    def unlock(self, request, queryset):
        pairs = set(queryset.values_list("username", "ip_address"))
        for username, ip_address in pairs:
            signin_unlock(username=username, ip_address=ip_address)
        self.message_user(
            request, f"{len(pairs)} {ngettext('sign-in', 'sign-ins', len(pairs))} unlocked.", messages.SUCCESS
        )


@admin.register(AccessLog)
class AccessLogAdmin(AxesAccessLogAdmin):
    """Successful sign-ins to the back-office and the admin (read-only)."""

    def has_change_permission(self, request, obj=None):
        return False
