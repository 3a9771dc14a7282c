"""Shared fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Keep uploaded documents of each test in its own temporary folder.

    A FileField resolves a callable storage once, when its model class is made, so the document field is pointed at
    the test's storage too (and back afterwards).
    """
    from django.core.files.storage import storages

    from recruitment.models import ApplicationDocument

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    field = ApplicationDocument._meta.get_field("file")
    original, field.storage = field.storage, storages["private"]
    yield
    field.storage = original


# Fixtures through which a test reaches the database (pytest-django's, and the live server, which implies one).
_DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


@pytest.fixture(autouse=True)
def _fast_hashing_and_fresh_cache(request, settings):
    """Fast password hashing in tests, and an empty cache so throttles (and cached board tokens) start afresh in every
    test. The cache is a database table (settings.CACHES), so it is cleared only in tests that use the database: the
    others cannot reach it, and so cannot see what another test left there."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not (request.node.get_closest_marker("django_db") or _DATABASE_FIXTURES & set(request.fixturenames)):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # the test database first (what the django_db marker does)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _webhook_accounts_forgotten():
    """The webhook receiver keeps the accounts it read in memory (`boards.webhook_accounts`); a test's rolled-back
    accounts must not outlive it."""
    from boards.webhook_accounts import webhook_accounts_forget

    webhook_accounts_forget()
    yield
    webhook_accounts_forget()


@pytest.fixture
def board_sessions_closed():
    """Close the board clients' keep-alive connections after the test: each one holds a live-server thread, and
    that thread a database connection, which would outlive the test database otherwise."""
    from boards.http import close_sessions

    yield
    close_sessions()
