"""Finding the person a data protection command or admin action is about."""

from recruitment.errors import DomainError
from recruitment.models import Candidate
from recruitment.privacy.registry import Person


def person_from(*, email: str | None = None, candidate_id: int | None = None) -> Person:
    """The person with this email (a candidate or not) or this candidate id. Raises DomainError for neither, both,
    an unknown candidate id, or an anonymised stand-in (which is no one)."""
    if bool(email) == (candidate_id is not None):
        raise DomainError("Give an email address or a candidate id (one of them).")
    if email:
        return Person.by_email(email)
    candidate = Candidate.objects.filter(pk=candidate_id).first()
    if candidate is None:
        raise DomainError(f"There is no candidate #{candidate_id}.")
    if candidate.anonymised_at is not None:
        raise DomainError(f"Candidate #{candidate_id} is an anonymised stand-in: it holds no one's data.")
    return Person.of(candidate)
