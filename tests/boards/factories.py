"""Factories for the board models (the recruitment factories live in tests/factories.py), and a fixture."""

import json

import factory

from boards import crypto
from boards.models import BoardAccount, Posting
from boards.registry import get_adapter
from boards.sandbox.registry import sandbox_module
from tests.factories import AdvertisedVacancyFactory, SalaryBandFactory


def sandbox_base_url(server_url: str, board: str) -> str:
    """A fake board's API base URL on a server (the live server, in tests that make real calls)."""
    return f"{server_url}/sandbox/{board}{sandbox_module(board).API_PATH}"


def demo_settings(board: str, *, secret: bool) -> dict[str, str]:
    """The sandbox's demo settings of a board, the secret ones or the others."""
    declared = {setting.name: setting.secret for setting in get_adapter(board).settings}
    return {name: value for name, value in sandbox_module(board).DEMO_SETTINGS.items() if declared[name] == secret}


class BoardAccountFactory(factory.django.DjangoModelFactory):
    """A board's account with the sandbox's demo settings (NHS Jobs unless `board` says otherwise); pass
    `base_url` (e.g. `sandbox_base_url(live_server.url, board)`) for real calls."""

    class Meta:
        model = BoardAccount
        django_get_or_create = ["board"]

    board = "nhs-jobs"
    name = factory.LazyAttribute(lambda account: f"{sandbox_module(account.board).NAME} (sandbox)")
    base_url = factory.LazyAttribute(lambda account: sandbox_base_url("http://127.0.0.1:9", account.board))
    public_settings = factory.LazyAttribute(lambda account: demo_settings(account.board, secret=False))
    secrets_encrypted = factory.LazyAttribute(
        lambda account: crypto.encrypt(json.dumps(demo_settings(account.board, secret=True)))
    )


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
    """An externally advertised vacancy whose auto-filled values pass every board's spec as they are."""

    attention_grabber = OVERVIEW
    about_organisation = ABOUT
    advert_html = (
        "<h2>About the role</h2><p>A rewarding role in acute care on a busy adult medical ward.</p>"
        "<ul><li>A structured preceptorship</li><li>A flexible rota</li></ul>"
    )
    salary_band = factory.SubFactory(
        SalaryBandFactory, band=factory.Iterator(["5", "6", "7", "4", "3", "8a", "8b", "8c", "8d", "9", "2", "1"])
    )
