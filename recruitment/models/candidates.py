"""Candidates: the people who apply."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from recruitment.models.fields import PostcodeField
from recruitment.validators import POSTCODE_DB_REGEX


class RegistrationBody(models.TextChoices):
    """Professional regulators a candidate may be registered with."""

    NMC = "nmc", "Nursing and Midwifery Council (NMC)"
    GMC = "gmc", "General Medical Council (GMC)"
    HCPC = "hcpc", "Health and Care Professions Council (HCPC)"
    OTHER = "other", "Other"


class Candidate(models.Model):
    """A person who applies for vacancies; one record per email address, whatever its case.

    Holds personal data: known to the retention, subject-access and erasure code through `recruitment.privacy`.
    `anonymised_at` marks a stand-in left by anonymisation: an anonymised application is moved onto a stand-in of its
    own (no name, no contact details), so it keeps counting in statistics without pointing at the person.
    """

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=30, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = PostcodeField(blank=True)
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
            models.UniqueConstraint(Lower("email"), name="candidate_email_unique_ci"),
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

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
