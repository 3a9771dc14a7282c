"""The user's own API password for partner access: generate (shown once) or revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from recruitment.models import ApiPassword
from recruitment.services.partners import api_password_generate, api_password_revoke


@never_cache
@login_required
def api_password(request: HttpRequest) -> HttpResponse:
    """Show whether the user has an API password; POST `generate` shows a new one in this response only.

    The new password is never stored in the clear, nor put in the session or a message: once this page is left,
    it cannot be seen again (only generated anew).
    """
    new_password = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "generate":
            new_password = api_password_generate(user=request.user)
        elif action == "revoke":
            revoked = api_password_revoke(user=request.user)
            messages.success(request, "Your API password was revoked." if revoked else "You had no API password.")
            return redirect("api-password")
    active = ApiPassword.objects.filter(user=request.user, revoked_at__isnull=True).first()
    return render(request, "web/api_password.html", {"active": active, "new_password": new_password})
