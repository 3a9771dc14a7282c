"""Helpers shared by the back-office tests: users with permissions and a data scope, and a signed-in client."""

from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories import DataScopeFactory, UserFactory

RECRUITER_PERMISSIONS = (
    "view_vacancy",
    "add_vacancy",
    "change_vacancy",
    "approve_vacancy",
    "view_application",
    "change_application",
    "view_applicationdocument",
    "view_candidate",
    "view_dbscheck",
    "change_dbscheck",
)


def grant(user, *codenames: str) -> None:
    """Give the user these permissions, `recruitment` ones by codename, others as "app_label.codename" (and forget
    the cached ones)."""
    for name in codenames:
        app_label, _, codename = name.rpartition(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label or "recruitment", codename=codename)
        )
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)


def make_user(*, divisions=(), permissions=RECRUITER_PERMISSIONS, all_divisions: bool = False, **fields):
    """A user scoped to `divisions` (or all) holding `permissions`."""
    user = UserFactory(**fields)
    DataScopeFactory(user=user, divisions=list(divisions), all_divisions=all_divisions)
    grant(user, *permissions)
    return user


def signed_in(user) -> Client:
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def htmx(client: Client, url: str, method: str = "get", **data):
    """Send the request as htmx would (the HX-Request header)."""
    return getattr(client, method)(url, data or None, headers={"HX-Request": "true"})


def date_parts(name: str, date) -> dict[str, str]:
    """What the NHS.UK date input sends for `date`: `<name>_day`, `<name>_month`, `<name>_year`."""
    return {f"{name}_day": str(date.day), f"{name}_month": str(date.month), f"{name}_year": str(date.year)}
