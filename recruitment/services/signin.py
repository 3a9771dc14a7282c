"""Writes to the sign-in lockout's records (django-axes' access attempts)."""

from axes.models import AccessAttempt
from django.db import transaction


@transaction.atomic
def signin_unlock(*, username: str | None, ip_address: str | None) -> int:
    """Unlock one username at one client address: forget all its failed attempts (whatever browser made them).

    Returns how many attempt records were removed. Policy: `recruitment.lockout`.
    """
    count, _ = AccessAttempt.objects.filter(username=username, ip_address=ip_address).delete()
    return count
