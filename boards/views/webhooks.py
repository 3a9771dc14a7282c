"""The endpoint boards send events to: `POST /boards/<board>/webhook/` (BOARDS.md, "Inbound, for every board").

The raw body is verified first, against the account's signing secret (constant-time compare; timestamps checked
where the board signs one). A bad or missing signature answers 401 and stores nothing. A good one is stored as an
`InboundEvent` together with its processing task, and answered 200 at once; processing happens in the task. The same
event again answers 200 and creates nothing. Answers are small JSON bodies: boards read only the status code.
"""

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from boards.base import Capability
from boards.models import InboundSource
from boards.registry import get_adapter, is_registered
from boards.services.inbound import inbound_events_receive
from boards.webhook_accounts import webhook_account
from boards.webhooks import WebhookRejected

logger = logging.getLogger(__name__)


def _answer(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"status": status, "detail": message, **extra}, status=status)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, board: str) -> JsonResponse:
    """Verify, store, answer (see the module). 404 for a board that sends no webhooks or has no account here."""
    if not is_registered(board) or Capability.WEBHOOKS not in get_adapter(board).capabilities:
        return _answer(404, "No such webhook.")
    account = webhook_account(board)
    if account is None:
        return _answer(404, "No such webhook.")
    adapter = account.adapter
    body = request.body
    try:
        adapter.verify_webhook(account=account, headers=request.headers, body=body)
    except WebhookRejected:
        # The kept account may be out of date (a secret rotated in another process): check once against the
        # account as it is now (boards.webhook_accounts).
        account = webhook_account(board, fresh=True)
        if account is None:
            return _answer(404, "No such webhook.")
        try:
            adapter.verify_webhook(account=account, headers=request.headers, body=body)
        except WebhookRejected as exc:
            logger.warning("Refused a %s webhook: %s", adapter.name, exc)
            return _answer(401, "The signature is missing or does not match.")
    try:
        events = adapter.parse_webhook(headers=request.headers, body=body)
    except ValueError as exc:
        logger.warning("A signed %s webhook could not be read: %s", adapter.name, exc)
        return _answer(400, "The body is not an event we can read.")
    receipts = inbound_events_receive(
        account=account, events=events, source=InboundSource.WEBHOOK, headers=request.headers, body=body
    )
    duplicates = sum(1 for receipt in receipts if receipt.duplicate)
    return _answer(200, "Received.", received=len(receipts) - duplicates, duplicates=duplicates)
