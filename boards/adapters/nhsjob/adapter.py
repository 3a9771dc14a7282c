"""The NHSJob adapter: jobs both ways (create, update, close, status), applications back by webhook or by polling,
and a check that a job is listed in NHSJob's job search.

Writes carry an OAuth access token (`tokens.py`): the cached one, else a new one; a 401 on a write means the token
is no longer good (it expired early, or was revoked), so a new one is fetched once and the write tried once more.
A second 401, or a refused token request, is a refusal of our credentials (`BoardAuthError`): the framework marks
the account as needing attention and sends nothing more from it.
"""

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse

from boards.adapters.nhsjob import mapping, tokens, webhooks
from boards.adapters.nhsjob.client import NhsJobClient
from boards.adapters.nhsjob.spec import SPEC
from boards.adverts import advert_as_text
from boards.base import (
    BoardAdapter,
    BoardEvent,
    BoardEventKind,
    BoardSetting,
    Capability,
    InboundApplication,
    ListingCheck,
    PublishResult,
    Recorder,
)
from boards.errors import BoardAuthError, TemporaryBoardError
from boards.types import BoardStatus
from boards.values import as_text, iso_utc, salary_range
from boards.webhooks import verify_body_signature
from recruitment.models import Vacancy

SOURCE = "nhsjob"
# How far before the watermark a poll starts asking (clock differences between NHSJob and us, and changes NHSJob
# records a little after they happen): what falls in the overlap is found twice and stored once.
POLL_OVERLAP = datetime.timedelta(minutes=10)
# Pages a poll reads at most (a poll that would need more fails as temporary rather than move its watermark past
# what it did not read), and pages of search results a listing check looks through.
MAX_PAGES = 500
LISTING_MAX_PAGES = 20
SUBMITTED = "submitted"
SECOND_REFUSAL = "NHSJob refused the write again with a freshly issued access token"


def _pages_done(body: Mapping[str, Any], page: int, rows: list) -> bool:
    """Whether a list's page was its last: an empty page, or `meta.total` reached (`page` x `meta.limit`)."""
    meta = body.get("meta") if isinstance(body.get("meta"), Mapping) else {}
    total, limit = meta.get("total"), meta.get("limit")
    if not rows:
        return True
    if isinstance(total, int) and isinstance(limit, int) and limit > 0:
        return page * limit >= total
    return False


def _rows(body: Any) -> list[Mapping[str, Any]]:
    if not isinstance(body, Mapping) or not isinstance(body.get("data"), list):
        raise TemporaryBoardError("NHSJob answered a list request without its list.")
    return [row for row in body["data"] if isinstance(row, Mapping)]


class NhsJobAdapter(BoardAdapter):
    """NHSJob through its REST API, its webhooks and its application list (BOARDS.md, seed 000)."""

    code = SOURCE
    name = "NHSJob"
    spec = SPEC
    client_class = NhsJobClient
    settings = (
        BoardSetting(
            "api_key", "API key", secret=True, help_text="From NHSJob's Developer Dashboard: reads (X-API-Key)."
        ),
        BoardSetting(
            "client_id",
            "OAuth client ID",
            help_text="The OAuth 2.0 client NHSJob issued for writes (client credentials grant).",
        ),
        BoardSetting("client_secret", "OAuth client secret", secret=True, help_text="The OAuth client's secret."),
        BoardSetting(
            "webhook_secret",
            "Webhook signing secret",
            secret=True,
            help_text="NHSJob signs the webhooks it sends with it (X-NHSJob-Signature).",
        ),
    )
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.UPDATE,
            Capability.CLOSE,
            Capability.STATUS,
            Capability.WEBHOOKS,
            Capability.POLLING,
            Capability.LISTING_CHECK,
        }
    )
    statuses = {"open": BoardStatus.LIVE, "closed": BoardStatus.CLOSED}
    check_credentials = "check the NHSJob API key and the OAuth client ID and secret"
    webhook_headers = (webhooks.EVENT_ID_HEADER, webhooks.SIGNATURE_HEADER)

    # --- The form and the payload ---------------------------------------------------------------------------------

    def initial_values(self, vacancy: Vacancy) -> dict[str, Any]:
        low, high = salary_range(vacancy)
        location = vacancy.location
        return {
            "title": vacancy.title_for_candidates,
            "specialty": vacancy.job_category.name,
            "location": location.town,
            "postcode": location.postcode,
            "contract_type": mapping.CONTRACT_TYPE_FOR_KIND.get(vacancy.employment_type.contract_kind, ""),
            "salary_min": low,
            "salary_max": high,
            "description": advert_as_text(vacancy.advert_html),
            "closing_date": vacancy.closing_date.isoformat(),
            **self.fixed_values(vacancy),
        }

    def fixed_values(self, vacancy: Vacancy) -> dict[str, Any]:
        """Our vacancy reference (NHSJob's dedupe key) and our apply page, tagged with the source."""
        path = reverse("careers-apply", args=[vacancy.reference])
        return {
            "external_reference": vacancy.reference,
            "apply_url": f"{settings.SITE_URL.rstrip('/')}{path}?source={SOURCE}",
        }

    def build_payload(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return mapping.payload_from_values(values)

    # --- Writes, with the access token ----------------------------------------------------------------------------

    def _client(self, account, recorder: Recorder) -> NhsJobClient:
        return NhsJobClient(
            account_pk=account.pk, base_url=account.base_url, api_key=account.setting("api_key"), recorder=recorder
        )

    def _write(self, account, recorder: Recorder, send: Callable[[str], Any]) -> Any:
        """Send a write with the cached token (or a new one); on a 401, once more with a new token (see the module)."""
        token = tokens.cached_token(account) or tokens.fetch_token(account=account, recorder=recorder)
        try:
            return send(token)
        except BoardAuthError as exc:
            if exc.status_code != 401:
                raise
        try:
            return send(tokens.fetch_token(account=account, recorder=recorder))
        except BoardAuthError as exc:
            raise BoardAuthError(exc.message, status_code=exc.status_code, detail=exc.detail or SECOND_REFUSAL) from exc

    def publish(self, *, account, values, client_reference, recorder) -> PublishResult:
        """`external_reference` is NHSJob's dedupe key: a create repeated after a lost answer returns the same job."""
        client, payload = self._client(account, recorder), self.build_payload(values)
        return self.result_from(
            self._write(account, recorder, lambda token: client.create(payload, access_token=token))
        )

    def update(self, *, account, board_id, values, recorder) -> PublishResult:
        client, payload = self._client(account, recorder), self.build_payload(values)
        body = self._write(account, recorder, lambda token: client.update(board_id, payload, access_token=token))
        return self.result_from(body, board_id)

    def close(self, *, account, board_id, recorder) -> PublishResult:
        client = self._client(account, recorder)
        body = self._write(account, recorder, lambda token: client.close(board_id, access_token=token))
        return self.result_from(body, board_id, status="closed")

    # --- Reads, with the API key ----------------------------------------------------------------------------------

    def fetch_status(self, *, account, board_id, recorder) -> PublishResult:
        return self.result_from(self._client(account, recorder).get_job(board_id), board_id)

    def check_listing(self, *, account, posting, recorder) -> ListingCheck:
        """Search `GET /v1/jobs` with the posting's specialty, location and contract type, as a candidate would."""
        client = self._client(account, recorder)
        values = posting.values or {}
        filters = {name: as_text(values.get(name)) for name in ("specialty", "location", "contract_type")}
        searched = (
            f"specialty “{filters['specialty']}”, location “{filters['location']}” "
            f"and contract type “{filters['contract_type']}”"
        )
        seen = 0
        for page in range(1, LISTING_MAX_PAGES + 1):
            body = client.search_jobs({**filters, "page": page})
            rows = _rows(body)
            seen += len(rows)
            if any(as_text(row.get("id")) == posting.board_id for row in rows):
                return ListingCheck(True, f"{self.name} lists job {posting.board_id} when searching for {searched}.")
            if _pages_done(body, page, rows):
                break
        return ListingCheck(
            False,
            f"{self.name} does not list job {posting.board_id} when searching for {searched} ({seen} jobs found): "
            f"it may be closed there, or filed under other details.",
        )

    # --- Inbound --------------------------------------------------------------------------------------------------

    def verify_webhook(self, *, account, headers, body) -> None:
        verify_body_signature(
            secret=account.setting("webhook_secret"), body=body, signature=headers.get(webhooks.SIGNATURE_HEADER, "")
        )

    def parse_webhook(self, *, headers, body) -> list[BoardEvent]:
        return [webhooks.parse_event(headers=headers, body=body)]

    def inbound_application(self, *, account, event, recorder) -> InboundApplication:
        """Webhooks carry only ids, so the application is fetched (`GET /v1/applications/{id}`); a polled event
        already holds it."""
        application = event.data
        if not isinstance(application.get("candidate"), Mapping):
            application = self._client(account, recorder).get_application(event.board_application_id)
        application = application if isinstance(application, Mapping) else {}
        candidate = application.get("candidate") if isinstance(application.get("candidate"), Mapping) else {}
        return InboundApplication(
            board_application_id=as_text(application.get("id")) or event.board_application_id,
            board_job_id=as_text(application.get("job_id")) or event.board_job_id,
            first_name=as_text(candidate.get("first_name")).strip(),
            last_name=as_text(candidate.get("last_name")).strip(),
            email=as_text(candidate.get("email")).strip(),
            phone=as_text(candidate.get("phone")).strip(),
            cover_letter=as_text(application.get("cover_letter")),
            resume_url=as_text(application.get("resume_url")),
            status=as_text(application.get("status")),
        )

    def document_headers(self, *, account, recorder) -> dict[str, str]:
        """CVs are read with the API key, like any read."""
        return self._client(account, recorder).document_headers()

    def poll(self, *, account, postings, since, recorder) -> list[BoardEvent]:
        """The applications changed since the watermark (less `POLL_OVERLAP`; all of them the first time), page by
        page until the last: each as an `application.submitted` event (one per application, whenever found), and,
        once its status has moved on from submitted, an `application.status_changed` event per change. Event ids
        are ours ("poll:..."), stable across polls, so the overlap stores nothing twice; an application that also
        came by webhook is processed as "Already received"."""
        client = self._client(account, recorder)
        params = {"updated_since": iso_utc(since - POLL_OVERLAP)} if since is not None else {}
        events: list[BoardEvent] = []
        for page in range(1, MAX_PAGES + 1):
            body = client.list_applications({**params, "page": page})
            rows = _rows(body)
            for row in rows:
                events.extend(self._polled_events(row))
            if _pages_done(body, page, rows):
                return events
        raise TemporaryBoardError(f"{self.name} listed more than {MAX_PAGES} pages of changed applications.")

    @staticmethod
    def _polled_events(row: Mapping[str, Any]) -> list[BoardEvent]:
        application_id, job_id, status = as_text(row.get("id")), as_text(row.get("job_id")), as_text(row.get("status"))
        if not application_id:
            return []
        events = [
            BoardEvent(
                event_id=f"poll:application.submitted:{application_id}",
                kind=BoardEventKind.APPLICATION_RECEIVED,
                raw_type="application.submitted",
                occurred_at=webhooks.parse_when(row.get("submitted_at")),
                board_job_id=job_id,
                board_application_id=application_id,
                status=status,
                data=dict(row),
            )
        ]
        if status and status != SUBMITTED:
            updated_at = as_text(row.get("updated_at"))
            events.append(
                BoardEvent(
                    event_id=f"poll:application.status_changed:{application_id}:{status}:{updated_at}",
                    kind=BoardEventKind.APPLICATION_STATUS_CHANGED,
                    raw_type="application.status_changed",
                    occurred_at=webhooks.parse_when(updated_at),
                    board_job_id=job_id,
                    board_application_id=application_id,
                    status=status,
                    data={"application_id": application_id, "job_id": job_id, "status": status},
                )
            )
        return events
