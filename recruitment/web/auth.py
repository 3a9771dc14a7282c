"""Sign in and out: Django's auth views with NHS.UK templates and the sign-in throttle."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from recruitment.web import throttle
from recruitment.web.forms.base import NhsFormMixin


class ThrottledAuthenticationForm(NhsFormMixin, AuthenticationForm):
    """Django's sign-in form, refusing to check passwords once the username or address is throttled."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "throttled": throttle.THROTTLED_MESSAGE,
    }

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        if throttle.is_throttled(self.request, username):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(self.request, username)
            raise
        throttle.clear_failures(self.request, username)
        return cleaned


class SignInView(auth_views.LoginView):
    """The back-office sign-in page."""

    form_class = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires), then back to the sign-in page."""
