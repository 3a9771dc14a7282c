"""One sign-in lockout for every way in: the back-office, the admin and the API token endpoint (django-axes).

Policy: SIGN_IN_FAILURE_LIMIT (5) failures for one username from one address lock that pair for
SIGN_IN_LOCKOUT_MINUTES (15); other usernames at that address and the same username elsewhere are unaffected.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from recruitment.lockout import locked_message
from tests.api.conftest import make_partner
from tests.factories import PASSWORD, StaffUserFactory, SuperUserFactory, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 5
OFFICE = "198.51.100.10"  # the organisation's one outgoing address
ELSEWHERE = "203.0.113.99"
TOKEN_URL = "/api/v1/auth/token"


def test_the_documented_policy_is_the_configured_one():
    assert settings.SIGN_IN_FAILURE_LIMIT == LIMIT
    assert settings.SIGN_IN_LOCKOUT_MINUTES * 60 == settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert "Wait 15 minutes and try again, or ask an administrator to unlock" in locked_message()


def back_office(username: str, password: str, address: str = OFFICE, client: Client | None = None):
    client = client or Client(REMOTE_ADDR=address)
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def admin_login(username: str, password: str, address: str = OFFICE, client: Client | None = None):
    client = client or Client(REMOTE_ADDR=address)
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def token(partner, *, api_password: str, address: str = OFFICE, username: str | None = None):
    body = {
        "client_id": partner.partner_client.client_id,
        "api_key": partner.api_key,
        "username": username or partner.user.username,
        "api_password": api_password,
    }
    return APIClient().post(TOKEN_URL, body, format="json", REMOTE_ADDR=address)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# The back-office sign-in page.


def test_back_office_locks_the_username_at_that_address_after_the_limit():
    UserFactory(username="nurse")
    answers = [back_office("nurse", "wrong") for _ in range(LIMIT)]
    assert [a.status_code for a in answers[:-1]] == [200] * (LIMIT - 1)
    assert "Enter a correct username and password." in answers[0].text
    assert answers[-1].status_code == 429
    assert locked_message() in answers[-1].text
    assert 'class="nhsuk-error-summary' in answers[-1].text  # the sign-in page, with the message in its summary
    client = Client(REMOTE_ADDR=OFFICE)
    refused = back_office("nurse", PASSWORD, client=client)  # even the right password, while locked
    assert refused.status_code == 429
    assert locked_message() in refused.text
    assert not signed_in(client)
    # Locked attempts do not extend the lock: one record of LIMIT failures.
    assert AccessAttempt.objects.get(username="nurse").failures_since_start == LIMIT


def test_colleagues_behind_the_same_address_still_sign_in():
    UserFactory(username="nurse")
    UserFactory(username="porter")
    for _ in range(LIMIT):
        back_office("nurse", "wrong")
    client = Client(REMOTE_ADDR=OFFICE)
    assert back_office("porter", PASSWORD, client=client).status_code == 302
    assert signed_in(client)


def test_a_stranger_elsewhere_cannot_lock_the_user_out():
    UserFactory(username="nurse")
    for _ in range(LIMIT):
        back_office("nurse", "wrong", address=ELSEWHERE)
    client = Client(REMOTE_ADDR=OFFICE)
    assert back_office("nurse", PASSWORD, client=client).status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_forgets_earlier_failures():
    UserFactory(username="nurse")
    for _ in range(LIMIT - 1):
        back_office("nurse", "wrong")
    assert back_office("nurse", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="nurse").exists()
    for _ in range(LIMIT - 1):
        assert back_office("nurse", "wrong").status_code == 200


def test_the_lock_ends_after_the_lockout_time():
    UserFactory(username="nurse")
    for _ in range(LIMIT):
        back_office("nurse", "wrong")
    assert back_office("nurse", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    client = Client(REMOTE_ADDR=OFFICE)
    assert back_office("nurse", PASSWORD, client=client).status_code == 302
    assert signed_in(client)


# The admin's sign-in page.


def test_admin_login_locks_after_the_limit_with_the_same_message():
    StaffUserFactory(username="matron")
    answers = [admin_login("matron", "wrong") for _ in range(LIMIT)]
    assert answers[0].status_code == 200
    assert "Please enter the correct username and password" in answers[0].text
    assert answers[-1].status_code == 429
    assert locked_message() in answers[-1].text
    client = Client(REMOTE_ADDR=OFFICE)
    refused = admin_login("matron", PASSWORD, client=client)
    assert refused.status_code == 429
    assert locked_message() in refused.text
    assert not signed_in(client)


def test_one_lockout_counts_failures_on_every_path():
    """Failures on the back-office, the admin and the token endpoint add up; the lock then holds everywhere."""
    partner = make_partner()
    username = partner.user.username
    partner.user.is_staff = True
    partner.user.save()
    back_office(username, "wrong")
    back_office(username, "wrong")
    admin_login(username, "wrong")
    assert token(partner, api_password="wrong").status_code == 401
    assert token(partner, api_password="wrong").status_code == 429  # the fifth failure
    assert back_office(username, PASSWORD).status_code == 429
    assert admin_login(username, PASSWORD).status_code == 429
    assert token(partner, api_password=partner.api_password).status_code == 429


# The API token endpoint.


def test_token_endpoint_locks_with_a_problem_saying_what_to_do():
    partner = make_partner()
    codes = [token(partner, api_password="wrong").status_code for _ in range(LIMIT)]
    assert codes == [401] * (LIMIT - 1) + [429]
    locked = token(partner, api_password=partner.api_password)  # the right credentials, while locked
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/problem+json"
    assert locked.json() == {
        "type": "about:blank",
        "title": "Too many requests",
        "status": 429,
        "detail": locked_message(),
    }
    assert 0 < int(locked["Retry-After"]) <= 15 * 60
    assert token(partner, api_password=partner.api_password, address=ELSEWHERE).status_code == 200


def test_a_good_token_request_forgets_earlier_failures():
    partner = make_partner()
    for _ in range(LIMIT - 1):
        token(partner, api_password="wrong")
    assert token(partner, api_password=partner.api_password).status_code == 200
    assert not AccessAttempt.objects.filter(username=partner.user.username).exists()


def test_no_secret_of_a_failed_token_request_is_kept():
    partner = make_partner()
    body = {
        "client_id": partner.partner_client.client_id,
        "api_key": partner.api_key,
        "username": partner.user.username,
        "api_password": "a-wrong-but-secret-password",
    }
    assert APIClient().post(TOKEN_URL, body, REMOTE_ADDR=OFFICE).status_code == 401  # form-encoded
    attempt = AccessAttempt.objects.get(username=partner.user.username)
    assert attempt.failures_since_start == 1
    assert partner.api_key not in attempt.post_data
    assert "a-wrong-but-secret-password" not in attempt.post_data


# Unlocking.


def test_an_administrator_unlocks_from_the_admin():
    UserFactory(username="nurse")
    for _ in range(LIMIT - 2):
        back_office("nurse", "wrong")
    for _ in range(2):  # the same pair from another browser: one lock, made of two records
        Client(REMOTE_ADDR=OFFICE, HTTP_USER_AGENT="Other browser").post(
            reverse("login"), {"username": "nurse", "password": "wrong"}
        )
    assert AccessAttempt.objects.filter(username="nurse").count() == 2
    assert back_office("nurse", PASSWORD).status_code == 429
    admin = Client()
    admin.force_login(SuperUserFactory())
    changelist = reverse("admin:axes_accessattempt_changelist")
    listing = admin.get(changelist)
    assert listing.status_code == 200
    assert "Unlock selected" in listing.text
    first = AccessAttempt.objects.filter(username="nurse").first()
    response = admin.post(changelist, {"action": "unlock", "_selected_action": [first.pk]}, follow=True)
    assert "1 sign-in unlocked." in response.text
    assert not AccessAttempt.objects.filter(username="nurse").exists()
    client = Client(REMOTE_ADDR=OFFICE)
    assert back_office("nurse", PASSWORD, client=client).status_code == 302
    assert signed_in(client)
