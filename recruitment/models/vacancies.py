"""The organisation and its vacancies."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from recruitment.models.base import PlainTextModel
from recruitment.models.reference import (
    Department,
    Division,
    EmploymentType,
    JobCategory,
    JobLevel,
    Location,
    SalaryBand,
    SalaryPeriod,
    SchoolLocation,
)


class Organisation(PlainTextModel):
    """The employer's own settings: its name (the careers site's header), the "about us" text adverts reuse and the
    privacy notice candidates accept when they apply (published at /careers/privacy/).

    One row is expected; `recruitment.selectors.organisation_get` returns it (creating a placeholder if missing).
    """

    name = models.CharField(max_length=200)
    about_organisation = models.TextField(
        help_text="Reused as the 'About the organisation' text of every new advert (100 to 1,500 characters)."
    )
    careers_email = models.EmailField(blank=True)
    privacy_notice = models.TextField(
        blank=True,
        help_text="The privacy notice for candidates, published on the careers site at /careers/privacy/ and linked "
        "from every apply form. Plain text: a blank line starts a new paragraph.",
    )

    def __str__(self) -> str:
        return self.name


class VacancyStatus(models.TextChoices):
    """Where a vacancy is in its life; `recruitment.workflows.VACANCY_TRANSITIONS` says what may follow what."""

    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    ADVERTISED_INTERNAL = "advertised_internal", "Advertised internally"
    ADVERTISED_EXTERNAL = "advertised_external", "Advertised externally"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


ADVERTISED_STATUSES = (VacancyStatus.ADVERTISED_INTERNAL, VacancyStatus.ADVERTISED_EXTERNAL)

# Closing dates are UK dates: a job closing on the 5th takes applications until midnight at the end of the 5th,
# London time (GMT or BST), whatever the server's TIME_ZONE.
CLOSING_TIME_ZONE = ZoneInfo("Europe/London")


def closing_day_today() -> datetime.date:
    """Today's date in Europe/London, the calendar closing dates are counted in."""
    return timezone.localdate(timezone=CLOSING_TIME_ZONE)


class VacancyQuerySet(models.QuerySet):
    """Vacancy queries, with the one definition of "open for applications" every part of the system uses."""

    def open_for_applications(self, *, today: datetime.date | None = None) -> "VacancyQuerySet":
        """Advertised (internally or externally) and not past the closing date, counted in Europe/London.

        The careers site, the partner API, the services (`application_submit`) and the admin all use it, so a job
        stops taking applications everywhere at once, at the end of its closing day, even before
        `recruitment.tasks.close_vacancies_past_closing_date` marks it closed.
        """
        return self.filter(status__in=ADVERTISED_STATUSES, closing_date__gte=today or closing_day_today())

    def open_to_the_public(self) -> "VacancyQuerySet":
        """Open for applications and advertised externally: what the careers site lists."""
        return self.open_for_applications().filter(status=VacancyStatus.ADVERTISED_EXTERNAL)

    def past_closing_date(self, *, today: datetime.date | None = None) -> "VacancyQuerySet":
        """Still advertised although their closing day has ended: the ones the closing task closes."""
        return self.filter(status__in=ADVERTISED_STATUSES, closing_date__lt=today or closing_day_today())


class SalaryType(models.TextChoices):
    """How the salary is expressed."""

    FIXED = "fixed", "Fixed"
    RANGE = "range", "Range"
    NEGOTIABLE = "negotiable", "Negotiable"


class WorkingPattern(models.TextChoices):
    """Working patterns a vacancy can offer (one or more)."""

    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"
    FLEXIBLE = "flexible", "Flexible working"
    JOB_SHARE = "job_share", "Job share"
    COMPRESSED_HOURS = "compressed_hours", "Compressed hours"
    TERM_TIME = "term_time", "Term time"
    ANNUALISED_HOURS = "annualised_hours", "Annualised hours"


class DurationUnit(models.TextChoices):
    """Unit of a fixed-term contract's length."""

    DAYS = "days", "Days"
    WEEKS = "weeks", "Weeks"
    MONTHS = "months", "Months"
    YEARS = "years", "Years"


class DbsLevel(models.TextChoices):
    """The DBS check a post needs."""

    NONE = "none", "None"
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"
    ENHANCED_BARRED = "enhanced_barred", "Enhanced with barred lists"


class DbsWorkforce(models.TextChoices):
    """The workforce a DBS check is made for."""

    CHILD = "child", "Child workforce"
    ADULT = "adult", "Adult workforce"
    CHILD_AND_ADULT = "child_and_adult", "Child and adult workforce"
    OTHER = "other", "Other workforce"


class VacancyReferenceCounter(models.Model):
    """The last vacancy number issued in a year: VAC-<year>-<number>, taken under a row lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Vacancy(PlainTextModel):
    """A post the organisation wants to fill, from draft through approval and advertising to closure.

    The status only changes through the services in `recruitment.services.vacancies`, which enforce the allowed
    transitions; saving the row directly does not check them.
    """

    reference = models.CharField(max_length=20, unique=True, editable=False)
    status = models.CharField(max_length=30, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT)

    title = models.CharField("internal title", max_length=200)
    title_for_candidates = models.CharField(max_length=200)

    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="vacancies")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="vacancies")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="vacancies")
    job_category = models.ForeignKey(JobCategory, on_delete=models.PROTECT, related_name="vacancies")
    employment_type = models.ForeignKey(EmploymentType, on_delete=models.PROTECT, related_name="vacancies")
    salary_band = models.ForeignKey(
        SalaryBand, on_delete=models.PROTECT, null=True, blank=True, related_name="vacancies"
    )
    job_level = models.ForeignKey(JobLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="vacancies")
    school_location = models.ForeignKey(
        SchoolLocation, on_delete=models.PROTECT, null=True, blank=True, related_name="vacancies"
    )

    salary_type = models.CharField(max_length=12, choices=SalaryType.choices, default=SalaryType.RANGE)
    salary_min = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    salary_period = models.CharField(max_length=10, choices=SalaryPeriod.choices, default=SalaryPeriod.ANNUM)

    working_patterns = models.JSONField(default=list, blank=True, help_text="One or more WorkingPattern values.")
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    contract_duration_length = models.PositiveSmallIntegerField(null=True, blank=True)
    contract_duration_unit = models.CharField(max_length=10, choices=DurationUnit.choices, blank=True)

    closing_date = models.DateField()
    attention_grabber = models.TextField(blank=True, help_text="The advert's opening lines (job overview).")
    advert_html = models.TextField(blank=True, help_text="The advert body; sanitised with nh3 when saved.")
    about_organisation = models.TextField(blank=True)
    reply_to_email = models.EmailField()

    dbs_level = models.CharField(max_length=20, choices=DbsLevel.choices, default=DbsLevel.NONE)
    dbs_workforce = models.CharField(max_length=20, choices=DbsWorkforce.choices, blank=True)

    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vacancies_recruiting"
    )
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancies_approved",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    advertised_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "vacancies"
        ordering = ["-created_at"]
        permissions = [("approve_vacancy", "Can approve vacancies (or send them back to draft)")]
        indexes = [
            models.Index(fields=["status", "closing_date"]),
            models.Index(fields=["division", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(salary_min__isnull=True) | Q(salary_min__gt=0))
                & (Q(salary_max__isnull=True) | Q(salary_max__gt=0)),
                name="vacancy_salary_positive",
            ),
            models.CheckConstraint(
                condition=~Q(salary_type=SalaryType.RANGE)
                | Q(salary_min__isnull=False, salary_max__isnull=False, salary_min__lte=F("salary_max")),
                name="vacancy_salary_range_valid",
            ),
            models.CheckConstraint(
                condition=~Q(salary_type=SalaryType.FIXED) | Q(salary_min__isnull=False),
                name="vacancy_salary_fixed_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(hours_per_week__gt=0, hours_per_week__lte=168),
                name="vacancy_hours_per_week_valid",
            ),
            models.CheckConstraint(
                condition=Q(dbs_level=DbsLevel.NONE) | ~Q(dbs_workforce=""),
                name="vacancy_dbs_workforce_when_checked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_advertised(self) -> bool:
        return self.status in ADVERTISED_STATUSES

    @property
    def is_open_for_applications(self) -> bool:
        """The same rule as `Vacancy.objects.open_for_applications()`, for a vacancy already loaded."""
        return self.is_advertised and self.closing_date >= closing_day_today()

    @property
    def needs_dbs_check(self) -> bool:
        return self.dbs_level != DbsLevel.NONE


class VacancyEvent(PlainTextModel):
    """The vacancy's history: each step of its life (created, edited, submitted, approved, advertised, closed,
    cancelled, copied), by whom, when, and the reason given (closing and cancelling ask for one). Never edited;
    written by the vacancy services only."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Edited"
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned to draft"
        ADVERTISED_INTERNAL = "advertised_internal", "Advertised internally"
        ADVERTISED_EXTERNAL = "advertised_external", "Advertised externally"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"
        COPIED = "copied", "Copied to a new draft"

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)
    from_status = models.CharField(max_length=30, choices=VacancyStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=VacancyStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the system (the closing task).",
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True, help_text="The reason given, or what changed.")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["vacancy", "at"])]

    def __str__(self) -> str:
        return f"{self.vacancy_id}: {self.get_action_display()}"
