"""The NHS Jobs field spec: every field, limit, condition and message, as data.

The recruiter's form, the live validation in the browser, our server-side validation and the sandbox's validation all
read this one module. The limits and wording come from the guide (seed 001) and BOARDS.md.
"""

from collections.abc import Mapping
from typing import Any

from boards.base import BoardSpec, FieldSpec, FieldType, ShownWhen, SpecMessages
from recruitment.models import SalaryPeriod, StaffGroup, WorkingPattern

SALARY_INVALID = "The salary you have entered is not valid."
WORDS_LIMIT = "You have exceeded the words max limit, max limit is {max}"
REQUIRED = "Please fill the required fields"
NOT_ADVERTISED = "Please advertise the job externally before posting to NHS Jobs"
CHECK_CONFIGURATION = "check the board's Org ID / Account ID and credentials"
# The contract types NHS Jobs accepts (BOARDS.md).
CONTRACT_TYPES = (
    ("permanent", "Permanent"),
    ("fixed_term", "Fixed term"),
    ("locum", "Locum"),
    ("bank", "Bank"),
    ("secondment", "Secondment"),
    ("apprenticeship", "Apprenticeship"),
    ("training", "Training"),
)

MESSAGES = SpecMessages(
    required=REQUIRED,
    length="Please Enter {label}. {limits}.",
    words=WORDS_LIMIT,
    choice="Please select a valid {label}",
    integer="Please Enter {label} as a whole number.",
    decimal="Please Enter {label} as a number.",
    positive="Please Enter {label} greater than zero.",
    date="Please Enter {label} as a valid date.",
    future_date="Please Enter a {label} in the future.",
    email="Please Enter a valid {label}.",
    postcode="Please Enter a valid UK {label}.",
    url="Please Enter a valid {label}.",
)

PAY_SCHEMES = (("agenda_for_change", "Agenda for Change"), ("medical_dental", "Medical and Dental"), ("other", "Other"))
AFC_BANDS = tuple((band, f"Band {band}") for band in ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9"))
MEDICAL_GRADES = tuple(
    (grade, label)
    for grade, label in (
        ("fy1", "Foundation Year 1"),
        ("fy2", "Foundation Year 2"),
        ("core_training", "Core Training"),
        ("specialty_registrar", "Specialty Registrar"),
        ("specialty_doctor", "Specialty Doctor"),
        ("specialist", "Specialist"),
        ("consultant", "Consultant"),
    )
)
SALARY_TYPES = (("fixed", "Fixed"), ("range", "Range"), ("negotiable", "Negotiable"))
DURATION_UNITS = (("days", "Days"), ("weeks", "Weeks"), ("months", "Months"), ("years", "Years"))
DBS_CHOICES = (("none", "None"), ("basic", "Basic"), ("standard_or_enhanced", "Standard or enhanced"))

_NOT_PERMANENT = ShownWhen(field="contract_type", not_equals=("permanent",))
_PART_TIME = ShownWhen(field="working_pattern", contains=WorkingPattern.PART_TIME.value)
_SALARY_AMOUNT = ShownWhen(field="salary_type", equals=("fixed", "range"))


def salary_rule(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """A range needs its lowest amount at most its highest. Either amount may be the wrong one (we cannot tell which
    the recruiter meant), so the guide's message sits on both, as on every board; the summary lists it once."""
    low, high = values.get("salary_min"), values.get("salary_max")
    if values.get("salary_type") == "range" and low is not None and high is not None and low > high:
        return {"salary_min": [SALARY_INVALID], "salary_max": [SALARY_INVALID]}
    return {}


def hours_rule(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """A week has 168 hours."""
    hours = values.get("hours_per_week")
    if hours is not None and hours > 168:
        return {"hours_per_week": ["Please Enter Hours per week of 168 or fewer."]}
    return {}


SPEC = BoardSpec(
    messages=MESSAGES,
    rules=(salary_rule, hours_rule),
    fields=(
        FieldSpec("title", "Job Title", required=True, max_chars=70, auto_fill="Job title for candidates"),
        FieldSpec("reference", "Job Reference", required=True, max_chars=30, auto_fill="Vacancy reference"),
        FieldSpec(
            "contract_type",
            "Contract Type",
            FieldType.CHOICE,
            required=True,
            choices=CONTRACT_TYPES,
            auto_fill="Employment type (where it matches an NHS contract type)",
        ),
        FieldSpec(
            "contract_duration_length",
            "Contract Duration",
            FieldType.INTEGER,
            required=True,
            shown_when=_NOT_PERMANENT,
            group="contract_duration",
            hint="How long the contract lasts, for any contract that is not permanent.",
        ),
        FieldSpec(
            "contract_duration_unit",
            "Contract Duration unit",
            FieldType.CHOICE,
            required=True,
            choices=DURATION_UNITS,
            shown_when=_NOT_PERMANENT,
            group="contract_duration",
        ),
        FieldSpec(
            "working_pattern",
            "Working Pattern",
            FieldType.MULTI_CHOICE,
            required=True,
            choices=tuple(WorkingPattern.choices),
            auto_fill="Vacancy working patterns",
        ),
        FieldSpec(
            "hours_per_week",
            "Hours per week",
            FieldType.DECIMAL,
            required=True,
            shown_when=_PART_TIME,
            hint="Needed for part-time posts.",
        ),
        FieldSpec("pay_scheme", "Pay Scheme", FieldType.CHOICE, required=True, choices=PAY_SCHEMES),
        FieldSpec(
            "band",
            "Band",
            FieldType.CHOICE,
            required=True,
            choices=AFC_BANDS,
            shown_when=ShownWhen(field="pay_scheme", equals=("agenda_for_change",)),
            auto_fill="Salary band",
        ),
        FieldSpec(
            "grade",
            "Grade",
            FieldType.CHOICE,
            required=True,
            choices=MEDICAL_GRADES,
            shown_when=ShownWhen(field="pay_scheme", equals=("medical_dental",)),
        ),
        FieldSpec("salary_type", "Salary Type", FieldType.CHOICE, required=True, choices=SALARY_TYPES, group="salary"),
        FieldSpec(
            "salary_min",
            "Salary (from)",
            FieldType.DECIMAL,
            required=True,
            shown_when=_SALARY_AMOUNT,
            group="salary",
            invalid=SALARY_INVALID,
            hint="The salary, or the lowest of the range.",
        ),
        FieldSpec(
            "salary_max",
            "Salary (to)",
            FieldType.DECIMAL,
            required=True,
            shown_when=ShownWhen(field="salary_type", equals=("range",)),
            group="salary",
            invalid=SALARY_INVALID,
            hint="The highest of the range: not less than the lowest.",
        ),
        FieldSpec(
            "salary_period",
            "Salary Period",
            FieldType.CHOICE,
            required=True,
            choices=tuple(SalaryPeriod.choices),
            shown_when=_SALARY_AMOUNT,
            group="salary",
        ),
        FieldSpec(
            "staff_group",
            "Staff Group",
            FieldType.CHOICE,
            required=True,
            choices=tuple(StaffGroup.choices),
            auto_fill="Job category",
        ),
        FieldSpec(
            "job_overview",
            "Job Overview",
            FieldType.TEXTAREA,
            required=True,
            min_chars=100,
            max_chars=1500,
            auto_fill="Advert attention grabber",
        ),
        FieldSpec(
            "about_organisation",
            "About Organisation",
            FieldType.TEXTAREA,
            required=True,
            min_chars=100,
            max_chars=1500,
            auto_fill="Organisation settings",
        ),
        FieldSpec(
            "job_description",
            "Job Description",
            FieldType.TEXTAREA,
            required=True,
            max_chars=10000,
            max_words=1000,
            auto_fill="Advert text",
        ),
        FieldSpec(
            "address_line_1", "Address line 1", required=True, max_chars=200, group="address", auto_fill="Location"
        ),
        FieldSpec("address_line_2", "Address line 2", max_chars=200, group="address"),
        FieldSpec("town", "Town or city", required=True, max_chars=100, group="address"),
        FieldSpec("postcode", "Postcode", FieldType.POSTCODE, required=True, group="address"),
        FieldSpec("closing_date", "Closing Date", FieldType.DATE, required=True, auto_fill="Vacancy closing date"),
        FieldSpec("contact_email", "Contact Email", FieldType.EMAIL, required=True, auto_fill="Reply-to email"),
        FieldSpec(
            "dbs_required", "DBS Check", FieldType.CHOICE, required=True, choices=DBS_CHOICES, auto_fill="DBS level"
        ),
        FieldSpec(
            "apply_url",
            "Apply URL",
            FieldType.URL,
            required=True,
            editable=False,
            auto_fill="Our careers page, with ?source=nhs-jobs",
        ),
    ),
)
