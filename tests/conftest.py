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
