"""Legal holds: set one on a candidate or an application (who, why, when), lift it (who, when), and the queries
retention and erasure use to leave held data alone."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from recruitment.errors import DomainError
from recruitment.models import Application, Candidate, LegalHold


@transaction.atomic
def legal_hold_place(
    *,
    actor: AbstractBaseUser,
    reason: str,
    candidate: Candidate | None = None,
    application: Application | None = None,
) -> LegalHold:
    """Put a legal hold on a candidate (all their applications) or on one application; `reason` is required.

    Raises ValidationError for a missing reason or when neither or both of candidate and application are given,
    DomainError for data that anonymisation already removed.
    """
    if (candidate is None) == (application is None):
        raise ValidationError("Choose a candidate or an application (one of them).")
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the data must be kept."})
    if candidate is not None and candidate.anonymised_at is not None:
        raise DomainError("This candidate is an anonymised stand-in: there is no personal data left to hold.")
    if application is not None and application.anonymised_at is not None:
        raise DomainError("This application was anonymised: there is no personal data left to hold.")
    return LegalHold.objects.create(
        candidate=candidate, application=application, reason=reason.strip(), set_by=actor, set_at=timezone.now()
    )


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, actor: AbstractBaseUser) -> LegalHold:
    """Lift a hold: retention and erasure apply again from the next run. Lifting a lifted hold is refused."""
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.lifted_at is not None:
        raise DomainError("This legal hold was already lifted.")
    locked.lifted_at, locked.lifted_by = timezone.now(), actor
    locked.save(update_fields=["lifted_at", "lifted_by"])
    return locked


def held_candidate_ids() -> QuerySet:
    """Ids of candidates under an active hold (a subquery: never NULL)."""
    return LegalHold.objects.filter(lifted_at__isnull=True, candidate__isnull=False).values("candidate_id")


def held_application_ids() -> QuerySet:
    """Ids of applications under an active hold of their own (a subquery: never NULL)."""
    return LegalHold.objects.filter(lifted_at__isnull=True, application__isnull=False).values("application_id")


def without_held(queryset: QuerySet, *, application: str = "") -> QuerySet:
    """`queryset` less the rows whose application is held, on its own or through its candidate. `application` is the
    lookup path from the queryset's model to its application ("" when the queryset is of applications)."""
    if not application:
        return queryset.exclude(pk__in=held_application_ids()).exclude(candidate__in=held_candidate_ids())
    return queryset.exclude(**{f"{application}__in": held_application_ids()}).exclude(
        **{f"{application}__candidate__in": held_candidate_ids()}
    )


def active_holds_for(*, candidate: Candidate) -> QuerySet[LegalHold]:
    """The active holds on a candidate or on any of their applications, oldest first."""
    return (
        LegalHold.objects.filter(lifted_at__isnull=True)
        .filter(Q(candidate=candidate) | Q(application__candidate=candidate))
        .select_related("application__vacancy", "set_by")
        .order_by("set_at", "pk")
    )
