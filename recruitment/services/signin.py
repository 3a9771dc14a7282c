"""Writes to the sign-in lockout's records (django-axes' access attempts)."""

from axes.utils import reset
from django.db import transaction


@transaction.atomic
def signin_unlock(*, username: str | None, ip_address: str | None) -> int:
    """Unlock one username at one client address: forget all its failed attempts (whatever browser made them).

    Returns how many attempt records were removed. Policy: `recruitment.lockout`.
    """
    if username is None and ip_address is None:
        return 0
    return reset(ip=ip_address, username=username)
