"""The circuit breaker of each board account: when a board fails calls in a row, stop calling it for a while.

Every call's outcome passes through `circuit_record` (from the attempt recorder): a call the board answered (even
with a 4xx) closes the circuit and resets the count; a temporary failure (timeout, dropped connection, 5xx, 429)
counts, and the BOARD_CIRCUIT_FAILURES-th in a row opens the circuit for BOARD_CIRCUIT_COOLDOWN_SECONDS. Before an
operation that calls the board, `circuit_permit` says whether it may go ahead: yes while closed; no while open (the
caller waits until the cool-down ends, without counting an attempt); and, once the cool-down has passed, yes for
exactly one caller (the probe: the conditional update hands it out once, and pushes the cool-down on, so others keep
waiting until the probe's outcome closes or re-opens the circuit).
"""

import datetime

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from boards.models import BoardAccount
from boards.types import CallOutcome


def circuit_permit(*, account_id: int) -> float | None:
    """None when a call may be made now; else the seconds until the circuit lets a probe through."""
    now = timezone.now()
    account = BoardAccount.objects.filter(pk=account_id).values("circuit_open_until").first()
    if account is None or account["circuit_open_until"] is None:
        return None
    if account["circuit_open_until"] > now:
        return (account["circuit_open_until"] - now).total_seconds()
    cooldown = datetime.timedelta(seconds=settings.BOARD_CIRCUIT_COOLDOWN_SECONDS)
    probe = BoardAccount.objects.filter(pk=account_id, circuit_open_until__lte=now).update(
        circuit_open_until=now + cooldown
    )
    return None if probe else settings.BOARD_CIRCUIT_COOLDOWN_SECONDS


def circuit_record(*, account_id: int, outcome: str) -> None:
    """Count a call's outcome (see the module): one conditional update, whatever other workers are doing."""
    accounts = BoardAccount.objects.filter(pk=account_id)
    if outcome != CallOutcome.TEMPORARY:
        accounts.filter(Q(consecutive_failures__gt=0) | Q(circuit_open_until__isnull=False)).update(
            consecutive_failures=0, circuit_open_until=None
        )
        return
    accounts.update(consecutive_failures=F("consecutive_failures") + 1)
    cooldown = datetime.timedelta(seconds=settings.BOARD_CIRCUIT_COOLDOWN_SECONDS)
    accounts.filter(consecutive_failures__gte=settings.BOARD_CIRCUIT_FAILURES).update(
        circuit_open_until=timezone.now() + cooldown
    )
