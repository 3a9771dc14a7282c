"""Client addresses: REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies of ours write X-Forwarded-For; one rule for the
API throttles, the sign-in lockout and the logs."""

import logging

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from recruitment.client_ip import ClientIpLogFilter, client_ip
from tests.api.conftest import make_partner
from tests.factories import PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token"
PROXY = "10.0.0.2"


def request_from(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.7", PROXY),  # nobody vouches for the header
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # what the client wrote comes first; our proxy appended last
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # came past fewer proxies than configured: the header cannot be believed
        (1, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_rule(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    assert client_ip(request_from(PROXY, forwarded)) == expected


def exchange(partner, forwarded: str, api_password: str | None = None):
    body = {
        "client_id": partner.partner_client.client_id,
        "api_key": partner.api_key,
        "username": partner.user.username,
        "api_password": api_password or partner.api_password,
    }
    return APIClient().post(TOKEN_URL, body, format="json", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


@pytest.fixture
def two_per_minute(monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"token": "2/min", "partner": "600/min"})


def test_a_forged_header_does_not_dodge_the_token_throttle(db, settings, two_per_minute):
    settings.TRUSTED_PROXY_COUNT = 0
    partner = make_partner()
    codes = [exchange(partner, f"198.51.100.{n}").status_code for n in range(3)]
    assert codes == [200, 200, 429]


def test_behind_one_trusted_proxy_each_client_has_its_own_budget(db, settings, two_per_minute):
    settings.TRUSTED_PROXY_COUNT = 1
    partner = make_partner()
    codes = [exchange(partner, f"198.51.100.{n}").status_code for n in range(3)]
    assert codes == [200, 200, 200]
    # One client forging what comes before its real address still shares one budget.
    same_client = [exchange(partner, f"6.6.6.{n}, 198.51.100.50").status_code for n in range(3)]
    assert same_client == [200, 200, 429]


def test_a_forged_header_does_not_dodge_the_sign_in_lockout(db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="nurse")
    for n in range(5):
        Client().post(
            reverse("login"),
            {"username": "nurse", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = Client().post(
        reverse("login"), {"username": "nurse", "password": PASSWORD}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert response.status_code == 429


def test_behind_one_trusted_proxy_the_lockout_is_per_client(db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="nurse")
    for _ in range(5):
        Client().post(
            reverse("login"),
            {"username": "nurse", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    response = Client().post(
        reverse("login"),
        {"username": "nurse", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert response.status_code == 302


def test_log_records_carry_the_client_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: /x", None, None)
    record.request = request_from(PROXY, "6.6.6.6, 203.0.113.7")
    assert ClientIpLogFilter().filter(record) is True
    assert record.client_ip == "203.0.113.7"
    bare = logging.LogRecord("boards", logging.INFO, __file__, 1, "no request", None, None)
    ClientIpLogFilter().filter(bare)
    assert bare.client_ip == "-"
