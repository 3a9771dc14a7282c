"""Sign in and out: Django's auth views with NHS.UK templates; locked-out sign-ins are refused (recruitment/lockout)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from recruitment.lockout import LockoutMessageMixin
from recruitment.web.forms.base import NhsFormMixin


class SignInForm(LockoutMessageMixin, NhsFormMixin, AuthenticationForm):
    """Django's sign-in form in NHS.UK style; a locked-out attempt says so and what to do."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }


class SignInView(auth_views.LoginView):
    """The back-office sign-in page."""

    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign out (POST only, as Django requires), then back to the sign-in page."""
