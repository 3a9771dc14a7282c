"""Reference data: the lists vacancies are built from and partner systems read."""

from django.db import models
from django.db.models import F, Q

from recruitment.models.base import PlainTextModel
from recruitment.models.fields import PostcodeField
from recruitment.validators import POSTCODE_DB_REGEX, POSTCODE_MAX_LENGTH


class ReferenceData(PlainTextModel):
    """Common shape of every reference list: a unique code, a display name and an active flag.

    Inactive entries stay for history (old vacancies point at them) but are not offered for new ones.
    """

    code = models.SlugField(max_length=50, unique=True, help_text="Stable identifier used by partner systems.")
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Division(ReferenceData):
    """A division (directorate) of the organisation; users' data access is granted per division."""


class Department(ReferenceData):
    """A department within a division."""

    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="departments")

    class Meta(ReferenceData.Meta):
        indexes = [models.Index(fields=["division", "name"])]


class Region(ReferenceData):
    """A geographical region locations belong to (e.g. London, North West)."""


class Location(ReferenceData):
    """A workplace address; vacancies are advertised at one location."""

    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = PostcodeField(max_length=POSTCODE_MAX_LENGTH)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="locations")

    class Meta(ReferenceData.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(postcode__regex=POSTCODE_DB_REGEX), name="location_postcode_valid"),
        ]


class StaffGroup(models.TextChoices):
    """NHS staff groups: the workforce classification of the NHS Electronic Staff Record and NHS workforce
    statistics (NHS Jobs takes the same fixed list)."""

    ADDITIONAL_CLINICAL_SERVICES = "additional_clinical_services", "Additional Clinical Services"
    ADMINISTRATIVE_AND_CLERICAL = "administrative_and_clerical", "Administrative and Clerical"
    ALLIED_HEALTH_PROFESSIONALS = "allied_health_professionals", "Allied Health Professionals"
    ESTATES_AND_ANCILLARY = "estates_and_ancillary", "Estates and Ancillary"
    HEALTHCARE_SCIENTISTS = "healthcare_scientists", "Healthcare Scientists"
    MEDICAL_AND_DENTAL = "medical_and_dental", "Medical and Dental"
    NURSING_AND_MIDWIFERY_REGISTERED = "nursing_and_midwifery_registered", "Nursing and Midwifery Registered"
    ADDITIONAL_PROFESSIONAL_SCIENTIFIC_AND_TECHNICAL = (
        "additional_professional_scientific_and_technical",
        "Additional Professional Scientific and Technical",
    )
    STUDENTS = "students", "Students"


class JobCategory(ReferenceData):
    """A job category (e.g. Nursing, Pharmacy), with the NHS staff group it belongs to."""

    staff_group = models.CharField(max_length=60, choices=StaffGroup.choices)

    class Meta(ReferenceData.Meta):
        verbose_name_plural = "job categories"


class PayScheme(models.TextChoices):
    """How a salary band is defined."""

    AGENDA_FOR_CHANGE = "agenda_for_change", "Agenda for Change"
    MEDICAL_AND_DENTAL = "medical_dental", "Medical and dental"
    LOCAL = "local", "Local pay"


class SalaryPeriod(models.TextChoices):
    """The period a salary amount is paid for."""

    ANNUM = "annum", "per annum"
    HOUR = "hour", "per hour"
    SESSION = "session", "per session"


class SalaryBand(ReferenceData):
    """A pay band or grade: Agenda for Change band 5, a medical grade, or a local scale, with its range."""

    pay_scheme = models.CharField(max_length=30, choices=PayScheme.choices)
    band = models.CharField(max_length=30, help_text="Band or grade, e.g. 5, 8a, ST1.")
    min_amount = models.DecimalField(max_digits=10, decimal_places=2)
    max_amount = models.DecimalField(max_digits=10, decimal_places=2)
    period = models.CharField(max_length=10, choices=SalaryPeriod.choices, default=SalaryPeriod.ANNUM)

    class Meta(ReferenceData.Meta):
        constraints = [
            models.UniqueConstraint(fields=["pay_scheme", "band"], name="salaryband_unique_scheme_band"),
            models.CheckConstraint(
                condition=Q(min_amount__gt=0) & Q(max_amount__gte=F("min_amount")),
                name="salaryband_range_valid",
            ),
        ]


class ContractKind(models.TextChoices):
    """The kind of contract a post is on, as UK employers (and NHS Agenda for Change terms) describe it.

    Job boards map these onto their own vocabularies in their adapter packages (`boards/adapters/*/`).
    """

    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed term"
    LOCUM = "locum", "Locum"
    BANK = "bank", "Bank"
    SECONDMENT = "secondment", "Secondment"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    TRAINING = "training", "Training"


class EmploymentType(ReferenceData):
    """An employment type as the organisation names it, with the kind of contract it is (if one fits)."""

    contract_kind = models.CharField(
        max_length=20,
        choices=ContractKind.choices,
        blank=True,
        help_text="Leave blank when none fits: the recruiter then chooses the contract type when posting to a board.",
    )


class JobLevel(ReferenceData):
    """A seniority level (e.g. Entry, Experienced, Manager, Senior manager)."""


class SchoolLocation(ReferenceData):
    """A school site, for schools and education employers advertising on the same system."""

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="school_locations"
    )
