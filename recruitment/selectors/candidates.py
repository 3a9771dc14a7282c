"""Read queries for the candidate page: a candidate is visible through an application in the user's scope."""

from django.db.models import Prefetch, QuerySet

from recruitment.models import Application, ApplicationDocument, ApplicationStageChange, Candidate
from recruitment.selectors.scope import applications_visible_to


def candidates_visible_to(user) -> QuerySet[Candidate]:
    """Candidates with at least one application the user may see."""
    return Candidate.objects.filter(pk__in=applications_visible_to(user).values("candidate_id"))


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
