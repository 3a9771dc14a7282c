"""Factories for the board models (the recruitment factories live in tests/factories.py), and a fixture."""

import json

import factory
import pytest

from boards import crypto
from boards.http import close_sessions
from boards.models import BoardAccount, Posting
from boards.services import DEMO_NHS_JOBS_ACCOUNT_ID, DEMO_NHS_JOBS_API_KEY, DEMO_NHS_JOBS_ORG_ID
from tests.factories import AdvertisedVacancyFactory, SalaryBandFactory


class BoardAccountFactory(factory.django.DjangoModelFactory):
    """The NHS Jobs account with the sandbox's credentials; pass `base_url` (e.g. the live server's sandbox)."""

    class Meta:
        model = BoardAccount
        django_get_or_create = ["board"]

    board = "nhs-jobs"
    name = "NHS Jobs (sandbox)"
    base_url = "http://127.0.0.1:9/sandbox/nhs-jobs"
    org_id = DEMO_NHS_JOBS_ORG_ID
    account_id = DEMO_NHS_JOBS_ACCOUNT_ID
    credentials_encrypted = factory.LazyFunction(lambda: crypto.encrypt(json.dumps({"api_key": DEMO_NHS_JOBS_API_KEY})))


class PostingFactory(factory.django.DjangoModelFactory):
    """A posting saved but not sent."""

    class Meta:
        model = Posting

    vacancy = factory.SubFactory(AdvertisedVacancyFactory)
    account = factory.SubFactory(BoardAccountFactory)


OVERVIEW = (
    "Join our friendly acute medical ward as a registered nurse. You will care for adults with a wide range of "
    "conditions, supported by an experienced team and a structured preceptorship."
)
ABOUT = (
    "We are one of the largest teaching trusts in Europe, caring for people across Yorkshire and beyond, with "
    "research, education and compassionate care at the heart of everything we do."
)


class PostableVacancyFactory(AdvertisedVacancyFactory):
    """An externally advertised vacancy whose auto-filled values pass the NHS Jobs spec as they are."""

    attention_grabber = OVERVIEW
    about_organisation = ABOUT
    salary_band = factory.SubFactory(
        SalaryBandFactory, band=factory.Iterator(["5", "6", "7", "4", "3", "8a", "8b", "8c", "8d", "9", "2", "1"])
    )


@pytest.fixture
def board_sessions_closed():
    """Close the board clients' keep-alive connections after the test: each one holds a live-server thread, and
    that thread a database connection, which would outlive the test database otherwise."""
    yield
    close_sessions()
