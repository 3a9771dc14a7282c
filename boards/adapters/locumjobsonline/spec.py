"""The LocumJobsOnline field spec: what the recruiter is asked for, with limits and rules as data.

Seed 003 lists the job object's fields and BOARDS.md the board's own rules; the rest are our choices, shared with
the sandbox. Besides the job's title, place and texts, a locum advert says what the work is (specialty, shift type,
shifts per week, hours per shift), what it pays (an amount or a range, per hour, day, week or year), how long it
lasts (a length and its unit) and when it starts.

The board applies two rules to each job of an import and reports a breach in the import's results, against the job:
the postal code must be a UK postcode or a US ZIP code ("Zip is invalid. Value passed was: <v>") and a state, when
given, a US state code. Those are the board's judgement, so the form only asks for the postal code (at most 10
characters) and lets the board's verdict come back onto this field; the pay range (lowest at most highest) is checked
here as well as by the board, so the form says it before a sync does.
"""

from collections.abc import Mapping
from typing import Any

from boards.base import BoardSpec, FieldSpec, FieldType, range_rule

SHIFT_TYPES = (
    ("day", "Day"),
    ("evening", "Evening"),
    ("night", "Night"),
    ("weekend", "Weekend"),
    ("on-call", "On call"),
)
# The board's pay frequencies (BOARDS.md), as it spells them.
PAY_FREQUENCIES = (("Hourly", "Per hour"), ("Daily", "Per day"), ("Weekly", "Per week"), ("Annually", "Per year"))
DURATION_UNITS = (("day", "Days"), ("week", "Weeks"), ("month", "Months"), ("year", "Years"))
# The board's employment types (seed 003's example spells them so).
EMPLOYMENT_TYPES = (
    ("Locum Tenens", "Locum"),
    ("Full-Time", "Full time"),
    ("Part-Time", "Part time"),
    ("Per Diem", "Bank (per diem)"),
    ("Temporary", "Temporary"),
    ("Permanent", "Permanent"),
)
MAX_SHIFTS_PER_WEEK = 7
MAX_HOURS_PER_SHIFT = 24

PAY_RANGE_INVALID = "The lowest pay must not be more than the highest."
DURATION_INCOMPLETE = "Enter the duration's length and its unit, or neither."
SHIFTS_TOO_MANY = f"Shifts per week must be {MAX_SHIFTS_PER_WEEK} or fewer."
HOURS_TOO_MANY = f"Hours per shift must be {MAX_HOURS_PER_SHIFT} or fewer."


def duration_rule(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """A duration is a length with its unit: one without the other says nothing."""
    length, unit = values.get("durationLength"), values.get("durationUnit")
    if (length is None) != (unit is None):
        return {"durationLength" if length is None else "durationUnit": [DURATION_INCOMPLETE]}
    return {}


def shift_limits_rule(values: Mapping[str, Any]) -> dict[str, list[str]]:
    """At most 7 shifts a week and 24 hours a shift."""
    errors: dict[str, list[str]] = {}
    if (values.get("shiftsPerWeek") or 0) > MAX_SHIFTS_PER_WEEK:
        errors["shiftsPerWeek"] = [SHIFTS_TOO_MANY]
    if (values.get("hoursPerShift") or 0) > MAX_HOURS_PER_SHIFT:
        errors["hoursPerShift"] = [HOURS_TOO_MANY]
    return errors


SPEC = BoardSpec(
    rules=(range_rule("payAmountMin", "payAmountMax", PAY_RANGE_INVALID), duration_rule, shift_limits_rule),
    fields=(
        FieldSpec(
            "referenceNumber",
            "Job ID (reference number)",
            required=True,
            max_chars=50,
            editable=False,
            auto_fill="Vacancy reference",
        ),
        FieldSpec("title", "Job title", required=True, max_chars=150, auto_fill="Job title for candidates"),
        FieldSpec(
            "specialty",
            "Specialty",
            required=True,
            max_chars=100,
            auto_fill="Job category",
            hint="The clinical specialty, e.g. Critical Care or Emergency Medicine.",
        ),
        FieldSpec("city", "Town or city", required=True, max_chars=100, auto_fill="Location town"),
        FieldSpec(
            "postalCode",
            "Postcode",
            required=True,
            max_chars=10,
            auto_fill="Location postcode",
            hint="A UK postcode (or a US ZIP code). LocumJobsOnline checks it when it imports the feed.",
        ),
        FieldSpec("shiftType", "Shift type", FieldType.CHOICE, choices=SHIFT_TYPES),
        FieldSpec("shiftsPerWeek", "Shifts per week", FieldType.INTEGER),
        FieldSpec("hoursPerShift", "Hours per shift", FieldType.INTEGER),
        FieldSpec(
            "payAmountMin", "Pay from (£)", FieldType.DECIMAL, required=True, auto_fill="Vacancy salary", group="pay"
        ),
        FieldSpec(
            "payAmountMax",
            "Pay to (£)",
            FieldType.DECIMAL,
            auto_fill="Vacancy salary",
            group="pay",
            hint="Leave blank for a single amount.",
        ),
        FieldSpec(
            "payFrequency",
            "Pay per",
            FieldType.CHOICE,
            required=True,
            choices=PAY_FREQUENCIES,
            auto_fill="Vacancy salary period",
        ),
        FieldSpec(
            "employmentType",
            "Employment type",
            FieldType.MULTI_CHOICE,
            required=True,
            choices=EMPLOYMENT_TYPES,
            auto_fill="Employment type and working pattern",
        ),
        FieldSpec("durationLength", "Duration", FieldType.INTEGER, auto_fill="Contract duration", group="duration"),
        FieldSpec(
            "durationUnit",
            "Duration unit",
            FieldType.CHOICE,
            choices=DURATION_UNITS,
            auto_fill="Contract duration",
            group="duration",
        ),
        FieldSpec("startDate", "Start date", FieldType.DATE),
        FieldSpec(
            "license",
            "Licence or registration",
            max_chars=50,
            auto_fill="Staff group",
            hint="What the locum must hold, e.g. GMC, NMC or HCPC registration.",
        ),
        FieldSpec(
            "description",
            "Description",
            FieldType.TEXTAREA,
            required=True,
            min_chars=50,
            max_chars=20000,
            auto_fill="Advert text",
            hint="Sent as HTML: a blank line starts a new paragraph, lines starting with • become a list.",
        ),
        FieldSpec("requirements", "Requirements", FieldType.TEXTAREA, max_chars=5000),
        FieldSpec("benefits", "Benefits", FieldType.TEXTAREA, max_chars=5000),
    ),
)
