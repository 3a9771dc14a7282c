"""Token requests check credentials before any write, with no transaction open, and API keys by a keyed hash.

The concurrency test runs on the real database (SQLite's file or PostgreSQL) with real threads: bad requests are
held inside the password check while a legitimate write goes through; none of them answers 500.
"""

import threading

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher, make_password
from django.db import connection
from rest_framework.test import APIClient

from recruitment.keyhash import PREFIX, key_hash, key_matches
from recruitment.models import Candidate, PartnerClient
from recruitment.services.candidates import candidate_get_or_create
from recruitment.services.partners import partner_client_create
from tests.api.conftest import make_partner

TOKEN_URL = "/api/v1/auth/token"
# Long enough for a stalled request to show; never reached when the code is right.
GUARD_SECONDS = 15


class GateHasher(MD5PasswordHasher):
    """MD5 (as every test uses) that counts its checks and, while `gate` is closed, holds each check there."""

    checks = 0
    lock = threading.Lock()
    arrived = threading.Semaphore(0)
    gate: threading.Event | None = None

    def verify(self, password, encoded):
        with GateHasher.lock:
            GateHasher.checks += 1
        if GateHasher.gate is not None:
            GateHasher.arrived.release()
            GateHasher.gate.wait(GUARD_SECONDS)
        return super().verify(password, encoded)


@pytest.fixture
def gate_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.GateHasher"]
    GateHasher.checks = 0
    GateHasher.gate = None
    GateHasher.arrived = threading.Semaphore(0)
    yield GateHasher
    if GateHasher.gate is not None:
        GateHasher.gate.set()
    GateHasher.gate = None


def exchange(partner, *, api_key=None, api_password=None):
    body = {
        "client_id": partner.partner_client.client_id,
        "api_key": api_key or partner.api_key,
        "username": partner.user.username,
        "api_password": api_password or partner.api_password,
    }
    return APIClient().post(TOKEN_URL, body, format="json")


def test_new_api_keys_are_stored_as_keyed_hashes(db):
    client, key = partner_client_create(name="Payroll")
    assert client.api_key_hash.startswith(PREFIX)
    assert key not in client.api_key_hash
    assert key_matches(key, client.api_key_hash) == (True, False)
    assert key_matches(key + "x", client.api_key_hash) == (False, False)


def test_the_api_key_is_never_run_through_the_password_hasher(db, gate_hasher):
    """Only the user's API password pays for a password hash; a wrong API key costs a keyed hash."""
    partner = make_partner()
    gate_hasher.checks = 0
    assert exchange(partner, api_key="rk_wrong").status_code == 401
    assert gate_hasher.checks == 1  # the API password's check, run whatever failed first
    assert exchange(partner).status_code == 200
    assert gate_hasher.checks == 2


def test_an_old_style_key_hash_still_works_and_is_upgraded_on_first_use(db):
    partner = make_partner()
    PartnerClient.objects.filter(pk=partner.partner_client.pk).update(api_key_hash=make_password(partner.api_key))
    assert exchange(partner, api_key="rk_wrong").status_code == 401
    partner.partner_client.refresh_from_db()
    assert not partner.partner_client.api_key_hash.startswith(PREFIX)  # a wrong key changes nothing
    assert exchange(partner).status_code == 200
    partner.partner_client.refresh_from_db()
    assert partner.partner_client.api_key_hash == key_hash(partner.api_key)
    assert exchange(partner).status_code == 200


def test_a_key_hashed_under_a_retired_secret_key_is_rehashed(db, settings):
    partner = make_partner()
    old_hash = partner.partner_client.api_key_hash
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    assert exchange(partner).status_code == 200
    partner.partner_client.refresh_from_db()
    assert partner.partner_client.api_key_hash not in (old_hash, "")
    assert partner.partner_client.api_key_hash == key_hash(partner.api_key)


@pytest.mark.django_db(transaction=True)
def test_concurrent_bad_requests_hold_no_lock_and_never_fail_with_500(gate_hasher):
    partner = make_partner()
    bad_requests = 4  # under the lockout limit, so each is a plain 401
    answers: list[tuple[int, dict]] = []

    def bad_request():
        try:
            response = exchange(partner, api_password="wrong")
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    gate_hasher.gate = threading.Event()
    threads = [threading.Thread(target=bad_request) for _ in range(bad_requests)]
    for thread in threads:
        thread.start()
    try:
        # Every bad request reaches its password check at once: none waits for another's transaction.
        arrived = sum(gate_hasher.arrived.acquire(timeout=GUARD_SECONDS) for _ in range(bad_requests))
        assert arrived == bad_requests
        # While they are all being checked, a real write goes straight through.
        candidate, created = candidate_get_or_create(
            email="new.starter@example.com", first_name="New", last_name="Starter"
        )
        assert created
    finally:
        gate_hasher.gate.set()
        for thread in threads:
            thread.join(GUARD_SECONDS)
    assert [status for status, _ in answers] == [401] * bad_requests
    assert all(
        body["detail"] == "The client ID, API key, username or API password is not valid." for _, body in answers
    )
    assert Candidate.objects.filter(pk=candidate.pk).exists()
