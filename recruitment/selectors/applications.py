"""Read queries for applications, shared by the back-office, the API and the 24-hour change export."""

import datetime

from django.db.models import Prefetch, QuerySet

from recruitment.models import Application, ApplicationDocument
from recruitment.selectors.scope import applications_visible_to


def application_list(*, user, with_equal_opportunities: bool = False) -> QuerySet[Application]:
    """Applications the user may see, with candidate, vacancy and documents fetched up front (no N+1)."""
    queryset = applications_visible_to(user).select_related(
        "candidate", "vacancy", "vacancy__division", "partner_client"
    )
    if with_equal_opportunities:
        queryset = queryset.select_related("equal_opportunities")
    return queryset.prefetch_related(
        Prefetch("documents", queryset=ApplicationDocument.objects.order_by("kind"))
    ).order_by("-submitted_at", "-pk")


def application_changes_since(
    *, user, since: datetime.datetime, with_equal_opportunities: bool = False
) -> QuerySet[Application]:
    """Applications whose stage changed at or after `since`, oldest change first (stable for cursor paging)."""
    return (
        application_list(user=user, with_equal_opportunities=with_equal_opportunities)
        .filter(stage_changed_at__gte=since)
        .order_by("stage_changed_at", "pk")
    )
