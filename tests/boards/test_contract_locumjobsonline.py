"""LocumJobsOnline against the adapter contract (tests/boards/contract.py), bulk imports included."""

from tests.boards.contract import AdapterContract, BulkImportContract


class TestLocumJobsOnlineContract(AdapterContract, BulkImportContract):
    board = "locumjobsonline"
    error_field = ("postalCode", "postalCode")
    live_word = "added"
