"""Partner credentials in the admin: keys and API passwords shown once, stored only as hashes."""

import re

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from recruitment.keyhash import key_matches
from recruitment.models import ApiPassword, PartnerClient
from tests.factories import SuperUserFactory

pytestmark = pytest.mark.django_db


def shown_secrets(response) -> list[str]:
    return re.findall(r"<code data-secret>([^<]+)</code>", response.content.decode())


def test_adding_a_partner_client_shows_its_key_once_and_stores_a_hash(client):
    client.force_login(SuperUserFactory())
    response = client.post(reverse("admin:recruitment_partnerclient_add"), {"name": "Payroll"})
    assert response.status_code == 200
    client_id, key = shown_secrets(response)
    partner = PartnerClient.objects.get(name="Payroll")
    assert partner.client_id == client_id
    assert key not in partner.api_key_hash
    assert key_matches(key, partner.api_key_hash) == (True, False)
    assert "no-store" in response["Cache-Control"]
    change_page = client.get(reverse("admin:recruitment_partnerclient_change", args=[partner.pk])).content.decode()
    assert key not in change_page
    assert partner.api_key_hash not in change_page


def test_rotating_a_key_shows_the_new_one_and_stops_the_old(client):
    client.force_login(SuperUserFactory())
    client.post(reverse("admin:recruitment_partnerclient_add"), {"name": "HR"})
    partner = PartnerClient.objects.get()
    old_hash = partner.api_key_hash
    response = client.post(
        reverse("admin:recruitment_partnerclient_changelist"),
        {"action": "rotate_key", "_selected_action": [partner.pk]},
    )
    [_, new_key] = shown_secrets(response)
    partner.refresh_from_db()
    assert partner.api_key_hash != old_hash
    assert key_matches(new_key, partner.api_key_hash) == (True, False)
    assert partner.key_version == 2


def test_a_user_generates_their_own_api_password_in_the_admin(client):
    user = SuperUserFactory()
    client.force_login(user)
    assert client.get(reverse("admin:recruitment_apipassword_generate")).status_code == 200
    response = client.post(reverse("admin:recruitment_apipassword_generate"))
    [username, password] = shown_secrets(response)
    assert username == user.username
    stored = ApiPassword.objects.get(user=user, revoked_at__isnull=True)
    assert check_password(password, stored.password_hash)
    again = client.post(reverse("admin:recruitment_apipassword_generate"))
    assert shown_secrets(again)[1] != password
    assert ApiPassword.objects.filter(user=user, revoked_at__isnull=True).count() == 1
    assert ApiPassword.objects.filter(user=user).count() == 2


def test_revoking_api_passwords_from_the_list(client):
    user = SuperUserFactory()
    client.force_login(user)
    client.post(reverse("admin:recruitment_apipassword_generate"))
    stored = ApiPassword.objects.get()
    client.post(
        reverse("admin:recruitment_apipassword_changelist"), {"action": "revoke", "_selected_action": [stored.pk]}
    )
    stored.refresh_from_db()
    assert stored.revoked_at is not None
