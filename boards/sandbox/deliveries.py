"""Webhooks the fake boards send to our receiver, from a task, as a real board would (BOARDS.md, "The sandbox").

A delivery is stored first (`SandboxDelivery`), then sent by `boards.sandbox.tasks.send_webhook` once the
transaction commits, signed at send time by the board's module (`signed_headers`), to this site's
`/boards/<board>/webhook/`. A board with webhooks switched off (its page's switch) sends nothing.
"""

import json
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django_q.tasks import async_task

from boards.sandbox.models import SandboxBoardSettings, SandboxDelivery

SEND_TASK = "boards.sandbox.tasks.send_webhook"


def new_event_id(prefix: str = "evt_") -> str:
    """A fresh event id in the boards' style ("evt_<hex>")."""
    return f"{prefix}{secrets.token_hex(8)}"


def webhook_queue(*, board: str, event_id: str, event_type: str, body: dict) -> SandboxDelivery | None:
    """Store a delivery of `body` and send it once the transaction commits; None when the board's webhooks are off."""
    if not SandboxBoardSettings.for_board(board).webhooks_enabled:
        return None
    url = f"{settings.SITE_URL.rstrip('/')}{reverse('boards:webhook', args=[board])}"
    delivery = SandboxDelivery.objects.create(
        board=board, event_id=event_id, event_type=event_type, url=url, body=json.dumps(body)
    )
    transaction.on_commit(lambda: async_task(SEND_TASK, delivery.pk, task_name=f"sandbox-webhook-{delivery.pk}"))
    return delivery
