"""Candidates: the people who apply."""

import contextlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from recruitment.models.base import PlainTextModel
from recruitment.models.fields import EmailAddressField, PostcodeField
from recruitment.validators import POSTCODE_DB_REGEX, POSTCODE_MAX_LENGTH, normalise_email


class RegistrationBody(models.TextChoices):
    """Professional regulators a candidate may be registered with."""

    NMC = "nmc", "Nursing and Midwifery Council (NMC)"
    GMC = "gmc", "General Medical Council (GMC)"
    HCPC = "hcpc", "Health and Care Professions Council (HCPC)"
    OTHER = "other", "Other"


class Candidate(PlainTextModel):
    """A person who applies for vacancies; one record per email address, however it is written.

    `email` is the address as the person gave it; `email_normalised` (`recruitment.validators.normalise_email`:
    NFC, case-folded, IDNA domain) is set on every save and is what candidates are matched and kept unique by, the
    same on SQLite and PostgreSQL. Holds personal data: known to the retention, subject-access and erasure code
    through `recruitment.privacy`. `anonymised_at` marks a stand-in left by anonymisation: an anonymised application
    is moved onto a stand-in of its own (no name, no contact details), so it keeps counting in statistics without
    pointing at the person.
    """

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = EmailAddressField(max_length=254)
    # Longer than `email`: an internationalised domain grows in its ASCII (xn--) form.
    email_normalised = models.CharField(max_length=320, editable=False)
    phone = models.CharField(max_length=30, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = PostcodeField(max_length=POSTCODE_MAX_LENGTH, blank=True)
    registration_body = models.CharField(max_length=10, choices=RegistrationBody.choices, blank=True)
    registration_number = models.CharField(max_length=30, blank=True)
    privacy_notice_accepted_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        permissions = [
            ("export_personal_data", "Can export a person's personal data (subject access)"),
            ("erase_personal_data", "Can erase a person's personal data on request"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["email_normalised"], name="candidate_email_normalised_unique"),
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=POSTCODE_DB_REGEX),
                name="candidate_postcode_valid",
            ),
            models.CheckConstraint(
                condition=(Q(registration_body="") & Q(registration_number=""))
                | (~Q(registration_body="") & ~Q(registration_number="")),
                name="candidate_registration_body_and_number",
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def clean(self) -> None:
        """Compute the normalised address before the uniqueness check (an invalid address is its field's error)."""
        with contextlib.suppress(ValidationError):
            self.email_normalised = normalise_email(self.email)

    def save(self, *args, **kwargs) -> None:
        """Store the address's normalised form beside it (raises ValidationError for an address it cannot read)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.email_normalised = normalise_email(self.email)
        elif "email" in update_fields:
            self.email_normalised = normalise_email(self.email)
            kwargs["update_fields"] = {*update_fields, "email_normalised"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
