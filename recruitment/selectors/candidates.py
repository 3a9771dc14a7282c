"""Read queries for the candidate page (which candidates a user may see: `scope.candidates_visible_to`)."""

from django.db.models import Prefetch, QuerySet

from recruitment.models import Application, ApplicationDocument, ApplicationStageChange, Candidate
from recruitment.selectors.scope import applications_visible_to


def candidate_applications(*, user, candidate: Candidate) -> QuerySet[Application]:
    """The candidate's applications the user may see, with vacancy, documents and stage history prefetched."""
    return (
        applications_visible_to(user)
        .filter(candidate=candidate)
        .select_related("vacancy__division", "dbs_check")
        .prefetch_related(
            Prefetch("documents", queryset=ApplicationDocument.objects.order_by("kind")),
            Prefetch(
                "stage_changes",
                queryset=ApplicationStageChange.objects.select_related("changed_by").order_by("changed_at", "pk"),
            ),
        )
        .order_by("-submitted_at", "-pk")
    )
