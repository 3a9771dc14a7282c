"""The token flow: exchange, expiry, revocation, rotation and the same answer for every wrong part."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from recruitment.models import ApiToken
from recruitment.services.partners import (
    api_password_generate,
    api_password_revoke,
    partner_client_revoke,
    partner_client_rotate_key,
)
from tests.api.conftest import make_partner

TOKEN_URL = "/api/v1/auth/token"
JOBS_URL = "/api/v1/jobs/"


def exchange(partner, **overrides):
    body = {
        "client_id": partner.partner_client.client_id,
        "api_key": partner.api_key,
        "username": partner.user.username,
        "api_password": partner.api_password,
        **overrides,
    }
    return APIClient().post(TOKEN_URL, body, format="json")


def test_good_credentials_give_a_bearer_token_for_an_hour(partner):
    response = exchange(partner)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert response["Cache-Control"] == "no-store"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert client.get(JOBS_URL).status_code == 200


def test_tokens_are_stored_only_as_digests_and_live_an_hour(partner):
    stored = ApiToken.objects.get(user=partner.user)
    assert stored.digest == hashlib.sha256(partner.token.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest=partner.token).exists()
    lifetime = stored.expires_at - stored.created_at
    assert timedelta(minutes=59) < lifetime <= timedelta(hours=1)


@pytest.mark.parametrize("wrong", ["client_id", "api_key", "username", "api_password"])
def test_any_wrong_part_gets_the_same_401(partner, wrong):
    right = exchange(partner)
    assert right.status_code == 200
    response = exchange(partner, **{wrong: "not-the-right-value"})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not authenticated",
        "status": 401,
        "detail": "The client ID, API key, username or API password is not valid.",
    }


def test_missing_fields_are_a_400_with_field_errors(db):
    response = APIClient().post(TOKEN_URL, {"client_id": "x"}, format="json")
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"api_key", "username", "api_password"}


def test_no_token_is_401_problem(db):
    response = APIClient().get(JOBS_URL)
    assert response.status_code == 401
    assert response.json()["status"] == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_refused(partner):
    ApiToken.objects.filter(user=partner.user).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert partner.client.get(JOBS_URL).status_code == 401


def test_unknown_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert client.get(JOBS_URL).status_code == 401


def test_revoked_client_stops_its_tokens_and_exchanges(partner):
    partner_client_revoke(client=partner.partner_client)
    assert partner.client.get(JOBS_URL).status_code == 401
    assert exchange(partner).status_code == 401


def test_rotated_key_stops_old_tokens_and_old_key(partner):
    new_key = partner_client_rotate_key(client=partner.partner_client)
    assert partner.client.get(JOBS_URL).status_code == 401
    assert exchange(partner).status_code == 401
    assert exchange(partner, api_key=new_key).status_code == 200


def test_revoked_api_password_stops_tokens_and_exchanges(partner):
    api_password_revoke(user=partner.user)
    assert partner.client.get(JOBS_URL).status_code == 401
    assert exchange(partner).status_code == 401


def test_new_api_password_replaces_the_old_one(partner):
    new_password = api_password_generate(user=partner.user)
    assert partner.client.get(JOBS_URL).status_code == 401
    assert exchange(partner).status_code == 401
    assert exchange(partner, api_password=new_password).status_code == 200


def test_deactivated_user_loses_access(partner):
    partner.user.is_active = False
    partner.user.save()
    assert partner.client.get(JOBS_URL).status_code == 401
    assert exchange(partner).status_code == 401


def test_token_acts_as_the_user_permissions(db):
    no_rights = make_partner(permissions=())
    response = no_rights.client.get(JOBS_URL)
    assert response.status_code == 403
    assert response.json()["status"] == 403


def test_token_endpoint_is_throttled_with_retry_after(partner, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "2/min", "partner": "600/min"})
    codes = [exchange(partner).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = exchange(partner)
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429


def test_api_calls_are_throttled_per_client(partner, monkeypatch):
    from recruitment.api.throttling import PartnerClientThrottle

    monkeypatch.setattr(PartnerClientThrottle, "THROTTLE_RATES", {"partner": "3/min", "token": "30/min"})
    codes = [partner.client.get(JOBS_URL).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = make_partner(name="Payroll")
    assert other.client.get(JOBS_URL).status_code == 200
