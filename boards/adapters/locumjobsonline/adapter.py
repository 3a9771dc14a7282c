"""The LocumJobsOnline adapter: the account's whole feed in one asynchronous import (seed 003, BOARDS.md)."""

from collections.abc import Mapping, Sequence
from typing import Any

from boards.adapters.locumjobsonline import mapping
from boards.adapters.locumjobsonline.client import LocumJobsOnlineClient
from boards.adapters.locumjobsonline.spec import SPEC
from boards.adverts import advert_as_text
from boards.base import BoardAdapter, BoardSetting, Capability, ImportState
from boards.errors import TemporaryBoardError
from boards.types import BoardStatus
from recruitment.models import ContractKind, SalaryPeriod, SalaryType, StaffGroup, Vacancy, WorkingPattern

SOURCE = "locumjobsonline"

# Our contract kinds in the board's employment types (seed 003 spells them so); working patterns add Full-Time and
# Part-Time.
EMPLOYMENT_TYPE_FOR_CONTRACT = {
    ContractKind.LOCUM: "Locum Tenens",
    ContractKind.BANK: "Per Diem",
    ContractKind.PERMANENT: "Permanent",
    ContractKind.FIXED_TERM: "Temporary",
    ContractKind.SECONDMENT: "Temporary",
    ContractKind.APPRENTICESHIP: "Temporary",
    ContractKind.TRAINING: "Temporary",
}
EMPLOYMENT_TYPE_FOR_PATTERN = {WorkingPattern.FULL_TIME: "Full-Time", WorkingPattern.PART_TIME: "Part-Time"}
# Our salary periods in the board's pay frequencies (a session has none: the recruiter chooses).
PAY_FREQUENCY_FOR_PERIOD = {SalaryPeriod.HOUR: "Hourly", SalaryPeriod.ANNUM: "Annually"}
DURATION_UNIT_FOR_OURS = {"days": "day", "weeks": "week", "months": "month", "years": "year"}
# The register a staff group's locums are on, as the board's `license` says it.
LICENSE_FOR_STAFF_GROUP = {
    StaffGroup.MEDICAL_AND_DENTAL: "GMC",
    StaffGroup.NURSING_AND_MIDWIFERY_REGISTERED: "NMC",
    StaffGroup.ALLIED_HEALTH_PROFESSIONALS: "HCPC",
}


def _pay(vacancy: Vacancy) -> tuple[str, str, str]:
    """(lowest, highest, period): the vacancy's own amounts, or its band's range when the salary is negotiable."""
    band = vacancy.salary_band
    if vacancy.salary_type == SalaryType.NEGOTIABLE or vacancy.salary_min is None:
        return (str(band.min_amount), str(band.max_amount), band.period) if band else ("", "", "")
    high = vacancy.salary_max if vacancy.salary_type == SalaryType.RANGE else None
    return str(vacancy.salary_min), "" if high is None else str(high), vacancy.salary_period


def employment_types_for(vacancy: Vacancy) -> list[str]:
    """The board's employment types for the vacancy's contract kind and working patterns (in the spec's order)."""
    chosen = {EMPLOYMENT_TYPE_FOR_CONTRACT.get(vacancy.employment_type.contract_kind)}
    chosen |= {EMPLOYMENT_TYPE_FOR_PATTERN.get(pattern) for pattern in vacancy.working_patterns or []}
    return [value for value, _ in SPEC.field("employmentType").choices if value in chosen]


class LocumJobsOnlineAdapter(BoardAdapter):
    """LocumJobsOnline through its job imports API (BOARDS.md, seed 003): bulk, asynchronous, results per job."""

    code = SOURCE
    name = "LocumJobsOnline"
    spec = SPEC
    client_class = LocumJobsOnlineClient
    settings = (BoardSetting("token", "API token", secret=True, help_text="LocumJobsOnline's API v2.0 bearer token."),)
    capabilities = frozenset({Capability.BULK_IMPORT})
    # A job's fate in an import, in the board's words: taken (added, updated, unchanged), refused, or deleted
    # because a full import no longer carried it.
    statuses = {
        "added": BoardStatus.LIVE,
        "updated": BoardStatus.LIVE,
        "unchanged": BoardStatus.LIVE,
        "failed": BoardStatus.FAILED,
        "deleted": BoardStatus.CLOSED,
    }
    check_credentials = "check the LocumJobsOnline API token"

    def posted_note(self, posting) -> str:
        if posting.board_status == BoardStatus.LIVE:
            return (
                f"The job is live on {self.name}. Each sync of the feed sends it again while it is in the feed and "
                "the vacancy is advertised; after that, the next sync takes it down."
            )
        return ""

    def initial_values(self, vacancy: Vacancy) -> dict[str, Any]:
        low, high, period = _pay(vacancy)
        location = vacancy.location
        category = vacancy.job_category
        return {
            "title": vacancy.title_for_candidates,
            "specialty": category.name,
            "city": location.town,
            "postalCode": location.postcode,
            "payAmountMin": low,
            "payAmountMax": high,
            "payFrequency": PAY_FREQUENCY_FOR_PERIOD.get(period, ""),
            "employmentType": employment_types_for(vacancy),
            "durationLength": vacancy.contract_duration_length or "",
            "durationUnit": DURATION_UNIT_FOR_OURS.get(vacancy.contract_duration_unit, ""),
            "license": LICENSE_FOR_STAFF_GROUP.get(category.staff_group, ""),
            "description": advert_as_text(vacancy.advert_html),
            **self.fixed_values(vacancy),
        }

    def fixed_values(self, vacancy: Vacancy) -> dict[str, Any]:
        """The Job ID is our vacancy reference: the board matches jobs by it from one import to the next."""
        return {"referenceNumber": vacancy.reference}

    def build_payload(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return mapping.job_from_values(values)

    def feed_job(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return mapping.job_from_values(values)

    def _client(self, account, recorder) -> LocumJobsOnlineClient:
        return LocumJobsOnlineClient(
            account_pk=account.pk, base_url=account.base_url, token=account.setting("token"), recorder=recorder
        )

    def send_import(
        self,
        *,
        account,
        jobs: Sequence[Mapping[str, Any]],
        delete_missing: bool,
        callback_url: str,
        idempotency_key: str,
        recorder,
    ) -> ImportState:
        """POST /job-imports (202). An answer we cannot read is treated as lost: the retry, with the same
        idempotency key, gets the import the board made."""
        body = {"callbackUrl": callback_url, "deleteJobs": delete_missing, "jobs": jobs}
        answer = self._client(account, recorder).create_import(body, idempotency_key=idempotency_key)
        try:
            return mapping.import_state_from(answer)
        except ValueError as exc:
            raise TemporaryBoardError(f"{self.name}'s answer could not be read: {exc}") from exc

    def fetch_import(self, *, account, import_id: str, recorder) -> ImportState:
        answer = self._client(account, recorder).get_import(import_id)
        try:
            return mapping.import_state_from(answer)
        except ValueError as exc:
            raise TemporaryBoardError(f"{self.name}'s answer could not be read: {exc}") from exc

    def parse_import(self, body: Any) -> ImportState:
        return mapping.import_state_from(body)

    def import_error_fields(self, messages: Sequence[str]) -> dict[str, list[str]]:
        return mapping.form_errors_from_messages(messages)
