"""The NHS Jobs adapter: one-way drafts. We create and update a draft; a person publishes it on NHS Jobs.

NHS Jobs takes no applications: adverts link back to our careers apply page with `?source=nhs-jobs`. It sends no
webhooks, so a posting's board status (draft, published, closed) is learnt by polling `GET /vacancies/{id}`.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse

from boards.adapters.nhs_jobs import mapping
from boards.adapters.nhs_jobs.client import NhsJobsClient
from boards.adapters.nhs_jobs.spec import AFC_BANDS, CHECK_CONFIGURATION, NOT_ADVERTISED, SPEC
from boards.adverts import advert_as_text
from boards.base import (
    BoardAdapter,
    BoardEvent,
    BoardEventKind,
    BoardSetting,
    Capability,
    PublishResult,
    Recorder,
)
from boards.types import BoardStatus
from recruitment.models import ContractKind, DbsLevel, PayScheme, Vacancy
from recruitment.selectors.organisation import organisation_get

SOURCE = "nhs-jobs"
_DBS = {
    DbsLevel.NONE: "none",
    DbsLevel.BASIC: "basic",
    DbsLevel.STANDARD: "standard_or_enhanced",
    DbsLevel.ENHANCED: "standard_or_enhanced",
    DbsLevel.ENHANCED_BARRED: "standard_or_enhanced",
}
# Our contract kinds are NHS Jobs' own contract types (BOARDS.md), one for one.
CONTRACT_TYPE_FOR_KIND = {kind: kind.value for kind in ContractKind}
_PAY_SCHEMES = {
    PayScheme.AGENDA_FOR_CHANGE: "agenda_for_change",
    PayScheme.MEDICAL_AND_DENTAL: "medical_dental",
    PayScheme.LOCAL: "other",
}


def _amount(value) -> str:
    return "" if value is None else str(value)


class NhsJobsAdapter(BoardAdapter):
    """NHS Jobs through its vacancy API (BOARDS.md, seed 001)."""

    code = "nhs-jobs"
    name = "NHS Jobs"
    spec = SPEC
    client_class = NhsJobsClient
    settings = (
        BoardSetting("api_key", "API key", secret=True, help_text="Issued by NHS Jobs for our organisation."),
        BoardSetting("org_id", "Org ID", help_text="Our organisation's id on NHS Jobs."),
        BoardSetting("account_id", "Account ID", help_text="The NHS Jobs account drafts are created under."),
    )
    capabilities = frozenset(
        {Capability.PUBLISH, Capability.UPDATE, Capability.CLOSE, Capability.STATUS, Capability.POLLING}
    )
    statuses = {"draft": BoardStatus.DRAFT, "published": BoardStatus.LIVE, "closed": BoardStatus.CLOSED}
    # A person publishes the draft on NHS Jobs; after that, changes are made there (the guide, seed 001).
    updatable_statuses = frozenset({BoardStatus.DRAFT})
    check_credentials = CHECK_CONFIGURATION

    @property
    def not_advertised_message(self) -> str:
        return NOT_ADVERTISED

    @property
    def posted_heading(self) -> str:
        return "Job Successfully Posted"

    def posted_note(self, posting) -> str:
        if posting.board_status == BoardStatus.DRAFT:
            return (
                "NHS Jobs has it as a draft, waiting to be published: someone with an NHS Jobs login publishes it "
                "there. This page checks NHS Jobs by itself and says when it is published."
            )
        if posting.board_status == BoardStatus.LIVE:
            return "It is published on NHS Jobs."
        return ""

    def update_refusal(self, posting) -> str:
        if posting.board_status == BoardStatus.LIVE:
            return (
                "NHS Jobs has published this job, so it can no longer be updated from here: edit it on NHS Jobs, "
                "or copy the vacancy and post the copy again."
            )
        return f"NHS Jobs has {posting.board_status_label.lower()} this job, so it can no longer be updated from here."

    def initial_values(self, vacancy: Vacancy) -> dict[str, Any]:
        """The guide's auto-fill table: title, reference, contract type (when the employment type maps), address,
        overview from the attention grabber, about organisation, description from the advert text, reply-to email;
        and what else the vacancy already says (pattern, salary, staff group, closing date, DBS level)."""
        band = vacancy.salary_band
        pay_scheme = _PAY_SCHEMES.get(band.pay_scheme, "") if band else ""
        location = vacancy.location
        return {
            "title": vacancy.title_for_candidates,
            "reference": vacancy.reference,
            "contract_type": CONTRACT_TYPE_FOR_KIND.get(vacancy.employment_type.contract_kind, ""),
            "contract_duration_length": _amount(vacancy.contract_duration_length),
            "contract_duration_unit": vacancy.contract_duration_unit,
            "working_pattern": list(vacancy.working_patterns or []),
            "hours_per_week": _amount(vacancy.hours_per_week),
            "pay_scheme": pay_scheme,
            "band": band.band if band and pay_scheme == "agenda_for_change" and band.band in dict(AFC_BANDS) else "",
            "grade": "",
            "salary_type": vacancy.salary_type,
            "salary_min": _amount(vacancy.salary_min),
            "salary_max": _amount(vacancy.salary_max),
            "salary_period": vacancy.salary_period,
            "staff_group": vacancy.job_category.staff_group,
            "job_overview": vacancy.attention_grabber,
            "about_organisation": vacancy.about_organisation or organisation_get().about_organisation,
            "job_description": advert_as_text(vacancy.advert_html),
            "address_line_1": location.address_line_1,
            "address_line_2": location.address_line_2,
            "town": location.town,
            "postcode": location.postcode,
            "closing_date": vacancy.closing_date.isoformat(),
            "contact_email": vacancy.reply_to_email,
            "dbs_required": _DBS.get(vacancy.dbs_level, ""),
            **self.fixed_values(vacancy),
        }

    def fixed_values(self, vacancy: Vacancy) -> dict[str, Any]:
        """Our apply page for the vacancy, tagged so the application records that it came from NHS Jobs."""
        path = reverse("careers-apply", args=[vacancy.reference])
        return {"apply_url": f"{settings.SITE_URL.rstrip('/')}{path}?source={SOURCE}"}

    def build_payload(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return mapping.payload_from_values(values)

    def form_field_for(self, board_field: str) -> str | None:
        name = mapping.FORM_FIELD_FOR_BOARD.get(board_field, board_field)
        return name if name in self.spec.by_name else None

    def _client(self, account, recorder: Recorder) -> NhsJobsClient:
        return NhsJobsClient(
            account_pk=account.pk,
            base_url=account.base_url,
            api_key=account.setting("api_key"),
            org_id=account.setting("org_id"),
            account_id=account.setting("account_id"),
            recorder=recorder,
        )

    def publish(self, *, account, values, client_reference, recorder) -> PublishResult:
        body = self._client(account, recorder).create(self.build_payload(values), idempotency_key=client_reference)
        return self.result_from(body)

    def update(self, *, account, board_id, values, recorder) -> PublishResult:
        return self.result_from(self._client(account, recorder).update(board_id, self.build_payload(values)), board_id)

    def close(self, *, account, board_id, recorder) -> PublishResult:
        return self.result_from(self._client(account, recorder).close(board_id), board_id)

    def fetch_status(self, *, account, board_id, recorder) -> PublishResult:
        return self.result_from(self._client(account, recorder).get(board_id), board_id)

    def poll(self, *, account, postings: Sequence, since, recorder) -> list[BoardEvent]:
        """A status event for each posting whose board status differs from what we last knew (NHS Jobs sends
        nothing back, and has no list of changes: each job is asked for in turn)."""
        events = []
        for posting in postings:
            result = self.fetch_status(account=account, board_id=posting.board_id, recorder=recorder)
            if result.status is not None and result.status != posting.board_status:
                events.append(
                    BoardEvent(
                        event_id=f"poll:{posting.board_id}:{result.raw_status}",
                        kind=BoardEventKind.JOB_STATUS_CHANGED,
                        raw_type="status poll",
                        board_job_id=posting.board_id,
                        status=result.raw_status,
                    )
                )
        return events
