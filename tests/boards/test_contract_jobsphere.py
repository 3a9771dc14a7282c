"""JobSphere against the adapter contract (tests/boards/contract.py), webhooks included."""

from tests.boards.contract import AdapterContract, PerJobContract, WebhookContract


class TestJobSphereContract(AdapterContract, PerJobContract, WebhookContract):
    board = "jobsphere"
    error_field = ("salary_range.min", "salary_min")
    live_word = "open"
