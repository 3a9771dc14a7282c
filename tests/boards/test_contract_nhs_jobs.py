"""NHS Jobs against the adapter contract (tests/boards/contract.py)."""

from tests.boards.contract import AdapterContract, PerJobContract


class TestNhsJobsContract(AdapterContract, PerJobContract):
    board = "nhs-jobs"
    error_field = ("salary", "salary_type")
    live_word = "published"
