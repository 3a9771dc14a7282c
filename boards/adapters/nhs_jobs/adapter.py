"""The NHS Jobs adapter: one-way drafts. We create and update a draft; a person publishes it on NHS Jobs.

NHS Jobs takes no applications: adverts link back to our careers apply page with `?source=nhs-jobs`. It sends no
webhooks, so a posting's board status (draft, published, closed) is learnt by polling `GET /vacancies/{id}`.
"""

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags

from boards.adapters.nhs_jobs import mapping
from boards.adapters.nhs_jobs.client import NhsJobsClient
from boards.adapters.nhs_jobs.spec import AFC_BANDS, SPEC
from boards.base import (
    BoardAdapter,
    BoardEvent,
    BoardEventKind,
    BoardSetting,
    Capability,
    PublishResult,
    Recorder,
)
from recruitment.models import DbsLevel, PayScheme, Vacancy
from recruitment.selectors.organisation import organisation_get

SOURCE = "nhs-jobs"
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)
_DBS = {
    DbsLevel.NONE: "none",
    DbsLevel.BASIC: "basic",
    DbsLevel.STANDARD: "standard_or_enhanced",
    DbsLevel.ENHANCED: "standard_or_enhanced",
    DbsLevel.ENHANCED_BARRED: "standard_or_enhanced",
}
_PAY_SCHEMES = {
    PayScheme.AGENDA_FOR_CHANGE: "agenda_for_change",
    PayScheme.MEDICAL_AND_DENTAL: "medical_dental",
    PayScheme.LOCAL: "other",
}


def advert_text(advert_html: str) -> str:
    """The advert as plain text with one line per paragraph or list item (NHS Jobs takes text)."""
    text = strip_tags(_BLOCK_END.sub("\n", advert_html or ""))
    lines = (line.strip() for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line)


def _amount(value) -> str:
    return "" if value is None else str(value)


class NhsJobsAdapter(BoardAdapter):
    """NHS Jobs through its vacancy API (BOARDS.md, seed 001)."""

    code = "nhs-jobs"
    name = "NHS Jobs"
    spec = SPEC
    settings = (
        BoardSetting("api_key", "API key", secret=True, help_text="Issued by NHS Jobs for our organisation."),
        BoardSetting("org_id", "Org ID", help_text="Our organisation's id on NHS Jobs."),
        BoardSetting("account_id", "Account ID", help_text="The NHS Jobs account drafts are created under."),
    )
    capabilities = frozenset(
        {Capability.PUBLISH, Capability.UPDATE, Capability.CLOSE, Capability.STATUS, Capability.POLLING}
    )

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
            "contract_type": vacancy.employment_type.nhs_contract_type,
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
            "job_description": advert_text(vacancy.advert_html),
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
            api_key=account.credential("api_key"),
            org_id=account.org_id,
            account_id=account.account_id,
            recorder=recorder,
        )

    @staticmethod
    def _result(body: Any, fallback_id: str = "") -> PublishResult:
        body = body if isinstance(body, Mapping) else {}
        return PublishResult(
            board_id=str(body.get("id") or fallback_id),
            status=str(body.get("status") or ""),
            reference=str(body.get("reference") or ""),
        )

    def publish(self, *, account, values, client_reference, recorder) -> PublishResult:
        body = self._client(account, recorder).create(self.build_payload(values), idempotency_key=client_reference)
        return self._result(body)

    def update(self, *, account, board_id, values, recorder) -> PublishResult:
        return self._result(self._client(account, recorder).update(board_id, self.build_payload(values)), board_id)

    def close(self, *, account, board_id, recorder) -> PublishResult:
        return self._result(self._client(account, recorder).close(board_id), board_id)

    def fetch_status(self, *, account, board_id, recorder) -> PublishResult:
        return self._result(self._client(account, recorder).get(board_id), board_id)

    def poll(self, *, account, postings: Sequence, since, recorder) -> list[BoardEvent]:
        """A status event for each posting whose board status differs from what we last knew."""
        events = []
        for posting in postings:
            result = self.fetch_status(account=account, board_id=posting.board_id, recorder=recorder)
            if result.status and result.status != posting.board_status:
                events.append(
                    BoardEvent(
                        board=self.code,
                        event_id=f"{posting.board_id}:{result.status}",
                        kind=BoardEventKind.JOB_STATUS_CHANGED,
                        board_job_id=posting.board_id,
                        status=result.status,
                    )
                )
        return events
