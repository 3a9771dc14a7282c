"""The DBS viewer log: every display of DBS certificate details records who saw which check, when and where.

Called by the back-office DBS page, the admin's DBS check page and the partner API's dbs-checks endpoints (list,
detail and the answer to an advance: one row per check shown).
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from recruitment.models import DbsViewChannel, DbsViewLog


@transaction.atomic
def dbs_views_record(*, check_ids: Iterable[int], viewer: AbstractBaseUser, channel: DbsViewChannel) -> int:
    """Record that `viewer` was shown the certificate details of these checks through `channel`; returns how many
    rows were written (one per distinct check)."""
    now = timezone.now()
    rows = [
        DbsViewLog(
            dbs_check_id=check_id,
            viewer=viewer,
            viewer_username=viewer.get_username(),
            channel=channel,
            viewed_at=now,
        )
        for check_id in dict.fromkeys(check_ids)
    ]
    DbsViewLog.objects.bulk_create(rows)
    return len(rows)
