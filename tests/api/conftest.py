"""Fixtures for the partner API: a partner client, a scoped user with an API password, and a token client."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from recruitment.models import DataScope, Division
from recruitment.services.partners import api_password_generate, api_token_issue, partner_client_create
from tests.factories import DivisionFactory, UserFactory

# What a typical partner user may do (the demo "Recruiters" group grants much the same).
PARTNER_PERMISSIONS = (
    "view_vacancy",
    "view_application",
    "add_application",
    "add_candidate",
    "view_applicationdocument",
    "view_dbscheck",
    "change_dbscheck",
)


@dataclass
class Partner:
    """Everything a test needs to call the API as a partner acting as a user."""

    client: APIClient
    user: object
    partner_client: object
    api_key: str
    api_password: str
    division: Division
    token: str


def grant(user, *codenames: str) -> None:
    """Give a user model permissions by codename (recruitment app)."""
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="recruitment", codename__in=codenames))


def make_partner(
    *, division: Division | None = None, permissions=PARTNER_PERMISSIONS, name: str = "HR system"
) -> Partner:
    """A partner client, a user scoped to one division with an API password, and an authenticated API client."""
    division = division or DivisionFactory()
    user = UserFactory()
    grant(user, *permissions)
    scope = DataScope.objects.create(user=user)
    scope.divisions.add(division)
    partner_client, api_key = partner_client_create(name=name)
    api_password = api_password_generate(user=user)
    _, token = api_token_issue(
        client_id=partner_client.client_id, api_key=api_key, username=user.username, api_password=api_password
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return Partner(client, user, partner_client, api_key, api_password, division, token)


@pytest.fixture
def partner(db) -> Partner:
    return make_partner()
