"""Access rules shared by the back-office views: sign-in, permissions and the data scope."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def staff_view(permission: str) -> Callable:
    """Require a signed-in user (else the sign-in page) holding `permission` (else 403).

    Objects outside the user's data scope are looked up through the scoped selectors and answer 404.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorate


def require_perm(request: HttpRequest, permission: str) -> None:
    """Refuse (403) a user without `permission`; for views whose actions need different permissions."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


def posted(request: HttpRequest):
    """The submitted data of a POST (even an empty one, which must show every "Enter ..." message), else None for
    an unbound form. `request.POST or None` would show an empty submission as a fresh form."""
    return request.POST if request.method == "POST" else None
