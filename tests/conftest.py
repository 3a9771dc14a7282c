"""Shared fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Keep uploaded documents of each test in its own temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _fast_hashing_and_fresh_cache(settings):
    """Fast password hashing in tests, and an empty cache so throttles start at zero in every test."""
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def board_sessions_closed():
    """Close the board clients' keep-alive connections after the test: each one holds a live-server thread, and
    that thread a database connection, which would outlive the test database otherwise."""
    from boards.http import close_sessions

    yield
    close_sessions()
