"""Read queries for DBS checks."""

from django.db.models import QuerySet

from recruitment.models import DbsCheck
from recruitment.selectors.scope import dbs_checks_visible_to


def dbs_check_list(*, user) -> QuerySet[DbsCheck]:
    """DBS checks the user may see, with application, candidate and vacancy joined."""
    return (
        dbs_checks_visible_to(user)
        .select_related("application__candidate", "application__vacancy")
        .order_by("stage_changed_at", "pk")
    )
