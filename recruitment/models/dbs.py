"""DBS (Disclosure and Barring Service) checks made before employment.

Following the DBS code of practice, no copy of a certificate is ever stored: only its number, issue date, the
Update Service status and the recruitment decision, with a minimal log of who moved the check and when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from recruitment.models.applications import Application
from recruitment.models.base import PlainTextModel
from recruitment.models.vacancies import DbsWorkforce
from recruitment.validators import CERTIFICATE_NUMBER_REGEX, validate_certificate_number


class DbsCheckLevel(models.TextChoices):
    """The level of disclosure requested."""

    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred lists"


class DbsStage(models.TextChoices):
    """Where a check is; `recruitment.workflows.DBS_TRANSITIONS` says which moves are allowed."""

    AWAITING_CANDIDATE = "awaiting_candidate", "Awaiting candidate"
    ID_VERIFIED = "id_verified", "ID verified"
    SUBMITTED = "submitted", "Submitted"
    WITH_DBS = "with_dbs", "With DBS"
    CERTIFICATE_ISSUED = "certificate_issued", "Certificate issued"
    CLEAR = "clear", "Clear"
    NEEDS_REVIEW = "needs_review", "Needs review"
    DECISION_RECORDED = "decision_recorded", "Decision recorded"
    CANCELLED = "cancelled", "Cancelled"


class UpdateServiceResult(models.TextChoices):
    """The answer of the last DBS Update Service status check."""

    CURRENT = "current", "No new information (certificate current)"
    NEW_INFORMATION = "new_information", "New information: apply for a new certificate"
    NOT_FOUND = "not_found", "Not found / details do not match"


class DbsDecision(models.TextChoices):
    """The employer's recruitment decision after reading the certificate."""

    PROCEED = "proceed", "Proceed with appointment"
    DO_NOT_PROCEED = "do_not_proceed", "Do not proceed"


class DbsCheck(PlainTextModel):
    """The DBS check for one application whose vacancy needs one. Moves only through `dbs_check_advance`.

    Six months after the recruitment decision (RETENTION_DBS_DETAILS_MONTHS) retention reduces it to the record the
    DBS code of practice allows (see `recruitment.privacy.anonymise.dbs_checks_reduce`) and sets
    `details_purged_at`.
    """

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="dbs_check")
    level = models.CharField(max_length=20, choices=DbsCheckLevel.choices)
    barred_list_children = models.BooleanField(default=False)
    barred_list_adults = models.BooleanField(default=False)
    workforce = models.CharField(max_length=20, choices=DbsWorkforce.choices)
    stage = models.CharField(max_length=30, choices=DbsStage.choices, default=DbsStage.AWAITING_CANDIDATE)
    certificate_number = models.CharField(max_length=12, blank=True, validators=[validate_certificate_number])
    certificate_issue_date = models.DateField(null=True, blank=True)
    update_service_subscriber = models.BooleanField(default=False)
    update_service_checked_at = models.DateTimeField(null=True, blank=True)
    update_service_result = models.CharField(max_length=20, choices=UpdateServiceResult.choices, blank=True)
    decision = models.CharField(max_length=20, choices=DbsDecision.choices, blank=True)
    decision_at = models.DateTimeField(null=True, blank=True)
    decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stage_changed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    details_purged_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When retention reduced it to what the DBS code of practice lets an employer keep.",
    )

    class Meta:
        verbose_name = "DBS check"
        ordering = ["-stage_changed_at"]
        indexes = [models.Index(fields=["stage", "stage_changed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate_number="") | Q(certificate_number__regex=CERTIFICATE_NUMBER_REGEX),
                name="dbscheck_certificate_number_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(level=DbsCheckLevel.ENHANCED_BARRED)
                | Q(barred_list_children=False, barred_list_adults=False),
                name="dbscheck_barred_lists_only_when_enhanced_barred",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(stage=DbsStage.DECISION_RECORDED),
                name="dbscheck_decision_only_when_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"DBS check for {self.application}"


class DbsCheckEvent(PlainTextModel):
    """The minimal log of a DBS check: each stage move, by whom and when (no certificate content)."""

    dbs_check = models.ForeignKey(DbsCheck, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=30, choices=DbsStage.choices, blank=True)
    to_stage = models.CharField(max_length=30, choices=DbsStage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)

    multiline_fields = ("note",)  # typed in a text area: line breaks are kept

    class Meta:
        verbose_name = "DBS check event"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'start'} -> {self.to_stage}"
