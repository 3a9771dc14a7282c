"""The JobSphere adapter: jobs both ways (create, update, archive, status) and applications back by webhook."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse

from boards.adapters.jobsphere import mapping, webhooks
from boards.adapters.jobsphere.client import JobSphereClient
from boards.adapters.jobsphere.spec import SPEC
from boards.adverts import advert_as_text
from boards.base import BoardAdapter, BoardEvent, BoardSetting, Capability, InboundApplication, PublishResult
from boards.types import BoardStatus
from boards.values import as_text, salary_range
from boards.webhooks import verify_timestamped_signature
from recruitment.models import ContractKind, Vacancy, WorkingPattern
from recruitment.selectors.organisation import organisation_get

SOURCE = "jobsphere"


def job_type_for(vacancy: Vacancy) -> str:
    """JobSphere's job type: any contract that is not permanent is a contract; a permanent post is part time when
    its working patterns include part time but not full time, else full time. Blank when there is no contract kind."""
    kind = vacancy.employment_type.contract_kind
    if not kind:
        return ""
    if kind != ContractKind.PERMANENT:
        return "contract"
    patterns = set(vacancy.working_patterns or [])
    if WorkingPattern.PART_TIME in patterns and WorkingPattern.FULL_TIME not in patterns:
        return "part_time"
    return "full_time"


class JobSphereAdapter(BoardAdapter):
    """JobSphere through its REST API and webhooks (BOARDS.md, seed 004)."""

    code = SOURCE
    name = "JobSphere"
    spec = SPEC
    client_class = JobSphereClient
    settings = (
        BoardSetting("api_key", "API key", secret=True, help_text="From JobSphere's Developer Dashboard."),
        BoardSetting(
            "webhook_secret",
            "Webhook signing secret",
            secret=True,
            help_text="JobSphere signs the webhooks it sends with it (X-JobSphere-Signature).",
        ),
    )
    capabilities = frozenset(
        {Capability.PUBLISH, Capability.UPDATE, Capability.CLOSE, Capability.STATUS, Capability.WEBHOOKS}
    )
    statuses = {
        "draft": BoardStatus.DRAFT,
        "open": BoardStatus.LIVE,
        "closed": BoardStatus.CLOSED,
        "archived": BoardStatus.CLOSED,
    }
    check_credentials = "check the JobSphere API key"
    webhook_headers = (webhooks.SIGNATURE_HEADER,)

    def initial_values(self, vacancy: Vacancy) -> dict[str, Any]:
        low, high = salary_range(vacancy)
        location = vacancy.location
        return {
            "title": vacancy.title_for_candidates,
            "company": organisation_get().name,
            "location": f"{location.town}, {location.postcode}",
            "type": job_type_for(vacancy),
            "description": advert_as_text(vacancy.advert_html),
            "salary_min": low,
            "salary_max": high,
            "closing_date": vacancy.closing_date.isoformat(),
            **self.fixed_values(vacancy),
        }

    def fixed_values(self, vacancy: Vacancy) -> dict[str, Any]:
        """Our vacancy reference (JobSphere's dedupe key) and our apply page, tagged with the source."""
        path = reverse("careers-apply", args=[vacancy.reference])
        return {"reference": vacancy.reference, "apply_url": f"{settings.SITE_URL.rstrip('/')}{path}?source={SOURCE}"}

    def build_payload(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return mapping.payload_from_values(values)

    def form_field_for(self, board_field: str) -> str | None:
        name = mapping.FORM_FIELD_FOR_BOARD.get(board_field, board_field)
        return name if name in self.spec.by_name else None

    def _client(self, account, recorder) -> JobSphereClient:
        return JobSphereClient(
            account_pk=account.pk, base_url=account.base_url, api_key=account.setting("api_key"), recorder=recorder
        )

    def publish(self, *, account, values, client_reference, recorder) -> PublishResult:
        return self.result_from(self._client(account, recorder).create(self.build_payload(values)))

    def update(self, *, account, board_id, values, recorder) -> PublishResult:
        return self.result_from(self._client(account, recorder).update(board_id, self.build_payload(values)), board_id)

    def close(self, *, account, board_id, recorder) -> PublishResult:
        """DELETE archives the job (204, no body)."""
        return self.result_from(self._client(account, recorder).archive(board_id), board_id, status="archived")

    def fetch_status(self, *, account, board_id, recorder) -> PublishResult:
        return self.result_from(self._client(account, recorder).get(board_id), board_id)

    def verify_webhook(self, *, account, headers, body) -> None:
        verify_timestamped_signature(
            secret=account.setting("webhook_secret"), body=body, header=headers.get(webhooks.SIGNATURE_HEADER, "")
        )

    def parse_webhook(self, *, headers, body) -> list[BoardEvent]:
        return [webhooks.parse_event(body)]

    def inbound_application(self, *, account, event, recorder) -> InboundApplication:
        """`application.received` carries the whole application; the CV is at `resume_url`."""
        data = event.data
        applicant = data.get("applicant") if isinstance(data.get("applicant"), Mapping) else {}
        return InboundApplication(
            board_application_id=event.board_application_id,
            board_job_id=event.board_job_id,
            first_name=as_text(applicant.get("first_name")).strip(),
            last_name=as_text(applicant.get("last_name")).strip(),
            email=as_text(applicant.get("email")).strip(),
            phone=as_text(applicant.get("phone")).strip(),
            cover_letter=as_text(data.get("cover_letter")),
            resume_url=as_text(data.get("resume_url")),
            status=event.status,
        )

    def document_headers(self, *, account, recorder) -> dict[str, str]:
        """The CV is fetched with the API key (BOARDS.md)."""
        return {"Authorization": f"Bearer {account.setting('api_key')}"}
