"""DJANGO_ENV=production refuses to start without its own SECRET_KEY and ALLOWED_HOSTS, saying what to set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 60


def manage_check(**environment: str) -> subprocess.CompletedProcess:
    """`manage.py check` in a fresh process with production settings and these variables ("" = unset)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    # Set, even when empty: a developer's .env then cannot fill them in.
    env.update({"DJANGO_ENV": "production", "DATABASE_URL": "sqlite://:memory:", **environment})
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"SECRET_KEY": "", "ALLOWED_HOSTS": "jobs.example.nhs.uk"}, "DJANGO_ENV=production needs SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": ""}, "DJANGO_ENV=production needs ALLOWED_HOSTS"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "jobs.example.nhs.uk"}, "at least 50 random characters"),
    ],
    ids=["no-secret-key", "no-allowed-hosts", "short-secret-key"],
)
def test_production_refuses_to_start_without_its_settings(environment, message):
    result = manage_check(**environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_starts_with_both():
    """The control: the same command passes once both are set."""
    result = manage_check(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="jobs.example.nhs.uk")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
