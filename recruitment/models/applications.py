"""Applications, their documents, their stage history and the equal-opportunities answers kept apart."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q

from recruitment.models.base import PlainTextModel
from recruitment.models.candidates import Candidate
from recruitment.models.vacancies import Vacancy
from recruitment.sources import ApplicationSource, source_choices


class ApplicationStage(models.TextChoices):
    """Pipeline stages; `recruitment.workflows.APPLICATION_TRANSITIONS` says which moves are allowed."""

    NEW = "new", "New"
    SCREENING = "screening", "Screening"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    PRE_EMPLOYMENT_CHECKS = "pre_employment_checks", "Pre-employment checks"
    HIRED = "hired", "Hired"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(PlainTextModel):
    """A candidate's application to one vacancy, moving through the pipeline stages.

    One per candidate and vacancy. A board's own application id is unique per source, so the same application
    delivered twice by a board is recognised. The stage only changes through `recruitment.services.applications`.
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(max_length=30, choices=ApplicationStage.choices, default=ApplicationStage.NEW)
    source = models.CharField(
        max_length=30,
        choices=source_choices,
        default=ApplicationSource.DIRECT,
        help_text="Our careers site, a partner system, or a job board's code (see recruitment.sources).",
    )
    partner_client = models.ForeignKey(
        "recruitment.PartnerClient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        help_text="The partner system that sent the application, when the source is a partner API client.",
    )
    source_name = models.CharField(
        max_length=200, blank=True, help_text="A name for the source, e.g. the partner client's name."
    )
    source_reference = models.CharField(
        max_length=100, blank=True, help_text="The board's own id for this application."
    )
    cover_letter = models.TextField(blank=True)
    rejection_reason = models.TextField(blank=True)
    submitted_at = models.DateTimeField()
    stage_changed_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When retention or erasure anonymised it (its stage, source and dates stay for statistics).",
    )

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "vacancy"], name="application_one_per_candidate_vacancy"),
            models.UniqueConstraint(
                fields=["source", "source_reference"],
                condition=~Q(source_reference=""),
                name="application_source_reference_unique",
            ),
        ]
        indexes = [
            # A vacancy's applications by stage, oldest first: the pipeline's counts, the first of each stage and a
            # stage paged by keyset, each read from the index alone.
            models.Index(fields=["vacancy", "stage", "submitted_at", "id"], name="application_pipeline"),
            models.Index(fields=["stage", "submitted_at"]),  # "waiting for a decision" lists
            models.Index(fields=["submitted_at", "id"]),  # newest-first lists and the API's cursor
            # The retention run's search for decided applications not yet anonymised.
            models.Index(
                fields=["stage", "stage_changed_at"],
                condition=Q(anonymised_at__isnull=True),
                name="application_retention_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate.full_name} for {self.vacancy.reference}"


class DocumentKind(models.TextChoices):
    """What a stored document is."""

    CV = "cv", "CV"
    COVER_LETTER = "cover_letter", "Cover letter"


def _private_storage():
    return storages["private"]


def document_upload_to(instance: "ApplicationDocument", filename: str) -> str:
    """Store under a random name: the candidate's file name is kept only as data, never as a path."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class ApplicationDocument(PlainTextModel):
    """A CV or cover-letter file, stored outside any public URL and served only to permitted users."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    file = models.FileField(storage=_private_storage, upload_to=document_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="document_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"


class ApplicationStageChange(PlainTextModel):
    """One move of an application between stages: who, from, to, when and why. Never edited."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=30, choices=ApplicationStage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=ApplicationStage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["application", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.from_stage or 'start'} -> {self.to_stage}"


PREFER_NOT_TO_SAY = "prefer_not_to_say"


class AgeBand(models.TextChoices):
    """Age bands for monitoring."""

    UNDER_20 = "under_20", "Under 20"
    FROM_20_TO_24 = "20_24", "20 to 24"
    FROM_25_TO_29 = "25_29", "25 to 29"
    FROM_30_TO_34 = "30_34", "30 to 34"
    FROM_35_TO_39 = "35_39", "35 to 39"
    FROM_40_TO_44 = "40_44", "40 to 44"
    FROM_45_TO_49 = "45_49", "45 to 49"
    FROM_50_TO_54 = "50_54", "50 to 54"
    FROM_55_TO_59 = "55_59", "55 to 59"
    FROM_60_TO_64 = "60_64", "60 to 64"
    OVER_64 = "65_plus", "65 and over"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class Sex(models.TextChoices):
    """Sex, as the ONS census asks it."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class YesNo(models.TextChoices):
    """A yes/no answer that may be withheld."""

    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class Ethnicity(models.TextChoices):
    """Ethnic group, by the ONS 2021 census categories for England and Wales."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian or Asian British: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian or Asian British: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian or Asian British: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian or Asian British: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian or Asian British: any other Asian background"
    BLACK_AFRICAN = "black_african", "Black, Black British, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Caribbean or African: any other Black background"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = "mixed_white_black_african", "Mixed or multiple: White and Black African"
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or multiple: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or multiple: any other mixed background"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: any other White background"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: any other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class SexualOrientation(models.TextChoices):
    """Sexual orientation, as the ONS census asks it."""

    HETEROSEXUAL = "heterosexual", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Other sexual orientation"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class Religion(models.TextChoices):
    """Religion or belief, as the ONS census asks it."""

    NONE = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class EqualOpportunities(models.Model):
    """Equal-opportunities monitoring answers for one application, in a table of their own.

    Never shown to those making hiring decisions: reading it needs the `recruitment.view_equalopportunities`
    permission (`EO_VIEW_PERMISSION`), checked by the admin, the back-office and the API alike.
    """

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="equal_opportunities")
    age_band = models.CharField(max_length=20, choices=AgeBand.choices, default=PREFER_NOT_TO_SAY)
    sex = models.CharField(max_length=20, choices=Sex.choices, default=PREFER_NOT_TO_SAY)
    gender_same_as_at_birth = models.CharField(
        "gender identity the same as sex registered at birth",
        max_length=20,
        choices=YesNo.choices,
        default=PREFER_NOT_TO_SAY,
    )
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, default=PREFER_NOT_TO_SAY)
    disability = models.CharField(
        "has a disability (Equality Act 2010)",
        max_length=20,
        choices=YesNo.choices,
        default=PREFER_NOT_TO_SAY,
    )
    sexual_orientation = models.CharField(max_length=20, choices=SexualOrientation.choices, default=PREFER_NOT_TO_SAY)
    religion = models.CharField(max_length=20, choices=Religion.choices, default=PREFER_NOT_TO_SAY)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "equal opportunities answers"
        verbose_name_plural = "equal opportunities answers"

    def __str__(self) -> str:
        return f"Equal opportunities answers #{self.pk}"


EO_VIEW_PERMISSION = "recruitment.view_equalopportunities"
