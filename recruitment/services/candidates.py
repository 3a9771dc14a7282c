"""Writes to candidates."""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from recruitment.models import Candidate
from recruitment.validators import normalise_email

# What a candidate tells us besides their name and email, and all the fields they (or a partner) may give.
CANDIDATE_DETAILS = (
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "registration_body",
    "registration_number",
)
CANDIDATE_FIELDS = ("first_name", "last_name", "email", *CANDIDATE_DETAILS)
# The rule behind the constraint candidate_registration_body_and_number, worded for people.
REGISTRATION_BOTH_OR_NEITHER = "Enter both the registration body and the registration number, or neither."


def candidate_email_key(email: str) -> str:
    """The normalised address candidates are matched by (`normalise_email`); ValidationError keyed "email"."""
    try:
        return normalise_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc


def _clean(candidate: Candidate) -> None:
    """Field validation (postcode, email) plus the registration rule; uniqueness is checked by the caller."""
    candidate.full_clean(validate_constraints=False)
    if bool(candidate.registration_body) != bool(candidate.registration_number):
        raise ValidationError({"registration_number": REGISTRATION_BOTH_OR_NEITHER})


@transaction.atomic
def candidate_get_or_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    phone: str = "",
    address_line_1: str = "",
    address_line_2: str = "",
    town: str = "",
    postcode: str = "",
    registration_body: str = "",
    registration_number: str = "",
    privacy_notice_accepted_at: datetime.datetime | None = None,
) -> tuple[Candidate, bool]:
    """Find the candidate by email (however it is written: case, Unicode form, IDNA domain) or create one; returns
    (candidate, created).

    An existing candidate keeps their details (a partner or a board cannot overwrite them): only details they have
    not given yet are filled in (so a registration or phone number typed on a later application is not lost), and
    a newly accepted privacy notice is recorded. Raises ValidationError (keyed by field) for an address or details
    that are not valid.
    """
    email = unicodedata.normalize("NFC", email.strip())
    key = candidate_email_key(email)
    existing = Candidate.objects.select_for_update().filter(email_normalised=key).first()
    if existing is not None:
        _fill_blanks(
            existing,
            {
                "phone": phone.strip(),
                "address_line_1": address_line_1,
                "address_line_2": address_line_2,
                "town": town,
                "postcode": postcode,
                "registration": (registration_body, registration_number.strip()),
            },
            privacy_notice_accepted_at,
        )
        return existing, False
    candidate = Candidate(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phone=phone.strip(),
        address_line_1=address_line_1,
        address_line_2=address_line_2,
        town=town,
        postcode=postcode,
        registration_body=registration_body,
        registration_number=registration_number.strip(),
        privacy_notice_accepted_at=privacy_notice_accepted_at,
    )
    _clean(candidate)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        # Another request created the same email between our lookup and our insert.
        return Candidate.objects.get(email_normalised=key), False
    return candidate, True


def _fill_blanks(candidate: Candidate, details: dict, privacy_notice_accepted_at: datetime.datetime | None) -> None:
    """Fill in the details an existing candidate has not given yet (the registration body and number together)."""
    changed = []
    for name, value in details.items():
        if name == "registration":
            body, number = value
            if body and number and not candidate.registration_body:
                candidate.registration_body, candidate.registration_number = body, number
                changed += ["registration_body", "registration_number"]
        elif value and not getattr(candidate, name):
            setattr(candidate, name, value)
            changed.append(name)
    if privacy_notice_accepted_at and not candidate.privacy_notice_accepted_at:
        candidate.privacy_notice_accepted_at = privacy_notice_accepted_at
        changed.append("privacy_notice_accepted_at")
    if changed:
        _clean(candidate)
        candidate.save(update_fields=[*changed, "updated_at"])


@transaction.atomic
def candidate_update(*, candidate: Candidate, **changes: str) -> Candidate:
    """Change a candidate's contact and registration details."""
    unknown = set(changes) - set(CANDIDATE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown candidate fields: {', '.join(sorted(unknown))}.")
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _clean(candidate)
    key = candidate_email_key(candidate.email)
    if Candidate.objects.filter(email_normalised=key).exclude(pk=candidate.pk).exists():
        raise ValidationError({"email": "Another candidate already uses this email address."})
    candidate.save()
    return candidate
