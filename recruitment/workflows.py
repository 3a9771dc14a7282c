"""The allowed moves of every status machine, as data. Services enforce them; the UI offers only these."""

from django.db import models

from recruitment.errors import InvalidTransition
from recruitment.models import ApplicationStage as A
from recruitment.models import DbsStage as D
from recruitment.models import VacancyStatus as V

VACANCY_TRANSITIONS: dict[str, frozenset[str]] = {
    V.DRAFT: frozenset({V.AWAITING_APPROVAL, V.CANCELLED}),
    V.AWAITING_APPROVAL: frozenset({V.APPROVED, V.DRAFT, V.CANCELLED}),
    V.APPROVED: frozenset({V.ADVERTISED_INTERNAL, V.ADVERTISED_EXTERNAL, V.CANCELLED}),
    V.ADVERTISED_INTERNAL: frozenset({V.ADVERTISED_EXTERNAL, V.CLOSED}),
    V.ADVERTISED_EXTERNAL: frozenset({V.CLOSED}),
    V.CLOSED: frozenset(),
    V.CANCELLED: frozenset(),
}

_ENDINGS = {A.REJECTED, A.WITHDRAWN}
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    A.NEW: frozenset({A.SCREENING, A.SHORTLISTED, *_ENDINGS}),
    A.SCREENING: frozenset({A.SHORTLISTED, *_ENDINGS}),
    A.SHORTLISTED: frozenset({A.INTERVIEW, *_ENDINGS}),
    A.INTERVIEW: frozenset({A.OFFER, A.SHORTLISTED, *_ENDINGS}),
    A.OFFER: frozenset({A.PRE_EMPLOYMENT_CHECKS, *_ENDINGS}),
    A.PRE_EMPLOYMENT_CHECKS: frozenset({A.HIRED, *_ENDINGS}),
    A.HIRED: frozenset(),
    A.REJECTED: frozenset(),
    A.WITHDRAWN: frozenset(),
}

DBS_TRANSITIONS: dict[str, frozenset[str]] = {
    D.AWAITING_CANDIDATE: frozenset({D.ID_VERIFIED, D.CANCELLED}),
    D.ID_VERIFIED: frozenset({D.SUBMITTED, D.CANCELLED}),
    D.SUBMITTED: frozenset({D.WITH_DBS, D.CANCELLED}),
    D.WITH_DBS: frozenset({D.CERTIFICATE_ISSUED, D.CANCELLED}),
    D.CERTIFICATE_ISSUED: frozenset({D.CLEAR, D.NEEDS_REVIEW, D.CANCELLED}),
    D.CLEAR: frozenset({D.DECISION_RECORDED, D.CANCELLED}),
    D.NEEDS_REVIEW: frozenset({D.DECISION_RECORDED, D.CANCELLED}),
    D.DECISION_RECORDED: frozenset(),
    D.CANCELLED: frozenset(),
}


def ensure_allowed(
    transitions: dict[str, frozenset[str]],
    choices: type[models.TextChoices],
    *,
    what: str,
    current: str,
    target: str,
) -> None:
    """Raise InvalidTransition, worded for a person, unless `current -> target` is allowed."""
    if target not in transitions.get(current, frozenset()):
        labels = dict(choices.choices)
        article = "An" if what[0].lower() in "aeiou" else "A"
        raise InvalidTransition(
            f"{article} {what} cannot move from {labels.get(current, current)} to {labels.get(target, target)}."
        )


def allowed_targets(transitions: dict[str, frozenset[str]], current: str) -> list[str]:
    """The stages reachable in one move from `current`, in the choices' declared order."""
    targets = transitions.get(current, frozenset())
    return [stage for stage in transitions if stage in targets]
