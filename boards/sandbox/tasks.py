"""The fake boards' background work: sending their webhooks (as real boards do, with a few retries)."""

import time

import requests
from django.utils import timezone

from boards.sandbox.models import SandboxDelivery
from boards.sandbox.registry import sandbox_module

ATTEMPTS = 3


def send_webhook(delivery_id: int) -> None:
    """POST a stored delivery to our receiver, signed now; up to three tries a second apart on no 2xx."""
    delivery = SandboxDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None or delivery.delivered_at is not None:
        return
    module = sandbox_module(delivery.board)
    body = delivery.body.encode()
    for attempt in range(1, ATTEMPTS + 1):
        headers = {"Content-Type": "application/json", **module.signed_headers(delivery)}
        delivery.attempts += 1
        try:
            response = requests.post(delivery.url, data=body, headers=headers, timeout=(5, 20))
        except requests.RequestException as exc:
            delivery.status_code, delivery.last_error = None, f"{type(exc).__name__}: {exc}"
        else:
            delivery.status_code, delivery.last_error = response.status_code, response.text[:500]
            if response.ok:
                delivery.delivered_at, delivery.last_error = timezone.now(), ""
        delivery.save()
        if delivery.delivered_at or attempt == ATTEMPTS:
            return
        time.sleep(attempt)
