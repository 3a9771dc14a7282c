"""NHSJob against the adapter contract (tests/boards/contract.py), webhooks included."""

from tests.boards.contract import AdapterContract, PerJobContract, WebhookContract


class TestNhsJobContract(AdapterContract, PerJobContract, WebhookContract):
    board = "nhsjob"
    error_field = ("salary_min", "salary_min")
    live_word = "open"
    # Writes go through the OAuth client: a wrong secret or client id is refused at the token endpoint. (The API key
    # is for reads: tests/boards/test_nhsjob.py.)
    refused_settings = ("client_secret", "client_id")
