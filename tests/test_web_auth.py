"""Signing in and out, and the API password page (the sign-in lockout: test_signin_lockout.py)."""

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from recruitment.models import ApiPassword, Application
from tests.factories import PASSWORD, AdvertisedVacancyFactory, ApiPasswordFactory, UserFactory
from tests.test_web_support import make_user, signed_in

pytestmark = pytest.mark.django_db


def test_sign_in_page_renders_nhs_form(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'class="nhsuk-input' in response.text
    assert "csrfmiddlewaretoken" in response.text


def test_sign_in_and_out(client):
    user = make_user(username="nurse")
    response = client.post(reverse("login"), {"username": "nurse", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("dashboard")).status_code == 302
    assert user.pk


def test_wrong_password_shows_error_summary(client):
    UserFactory(username="nurse")
    response = client.post(reverse("login"), {"username": "nurse", "password": "wrong"})
    assert response.status_code == 200
    assert "nhsuk-error-summary" in response.text
    assert "Enter a correct username and password." in response.text
    assert 'value="nurse"' in response.text


def test_logout_needs_post(client):
    signed = signed_in(make_user())
    assert signed.get(reverse("logout")).status_code == 405


def test_api_password_needs_sign_in(client):
    assert client.get(reverse("api-password")).status_code == 302


def test_generate_api_password_shown_once_stored_hashed():
    user = make_user()
    client = signed_in(user)
    response = client.post(reverse("api-password"), {"action": "generate"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["new_password"]
    assert raw in response.text
    stored = ApiPassword.objects.get(user=user, revoked_at__isnull=True)
    assert stored.password_hash != raw
    assert check_password(raw, stored.password_hash)
    assert raw not in str(dict(client.session))
    again = client.get(reverse("api-password"))
    assert raw not in again.text
    assert "Active since" in again.text


def test_generating_again_revokes_the_old_one():
    user = make_user()
    old = ApiPasswordFactory(user=user)
    signed_in(user).post(reverse("api-password"), {"action": "generate"})
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert ApiPassword.objects.filter(user=user, revoked_at__isnull=True).count() == 1


def test_revoke_api_password():
    user = make_user()
    ApiPasswordFactory(user=user)
    response = signed_in(user).post(reverse("api-password"), {"action": "revoke"}, follow=True)
    assert "Your API password was revoked." in response.text
    assert "No API password" in response.text
    assert not ApiPassword.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_posts_without_a_csrf_token_are_refused():
    user = make_user()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("api-password"), {"action": "generate"}).status_code == 403
    assert not ApiPassword.objects.filter(user=user).exists()
    vacancy = AdvertisedVacancyFactory()
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(reverse("careers-apply", args=[vacancy.reference]), {}).status_code == 403
    assert not Application.objects.exists()
    assert anonymous.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403
    assert "_auth_user_id" not in anonymous.session


def test_the_api_password_page_is_in_the_navigation_and_the_header_shows_the_name():
    user = make_user(username="pshah", first_name="Priya", last_name="Shah")
    text = signed_in(user).get(reverse("dashboard")).text
    navigation = text.split('aria-label="Menu"')[1].split("</nav>")[0]
    assert f'href="{reverse("api-password")}">API password</a>' in navigation
    account = text.split('aria-label="Account"')[1].split("</nav>")[0]
    assert "Priya Shah" in account
    assert "pshah" not in account


def test_the_new_api_password_is_not_styled_as_an_error():
    response = signed_in(make_user()).post(reverse("api-password"), {"action": "generate"})
    shown = response.text.split('id="new-api-password"')[1].split("</form>")[0]
    assert "error" not in shown
    assert "warning" not in shown
    assert 'readonly value="' in shown
