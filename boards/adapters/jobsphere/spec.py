"""The JobSphere field spec: every field, limit and rule, as data (the form, our validation and the sandbox's).

The documentation (seed 004) names the job's fields but no limits; these are our choices, shared with the sandbox:
title at most 120 characters, company and location at most 100, a description of 50 to 20,000 characters, a salary
range in GBP whose lowest amount is at most its highest, and a closing date in the future.
"""

from boards.base import BoardSpec, FieldSpec, FieldType, range_rule

JOB_TYPES = (("full_time", "Full time"), ("part_time", "Part time"), ("contract", "Contract"))
SALARY_RANGE_INVALID = "The lowest salary must not be more than the highest."


SPEC = BoardSpec(
    rules=(range_rule("salary_min", "salary_max", SALARY_RANGE_INVALID),),
    fields=(
        FieldSpec("reference", "Reference", required=True, max_chars=50, editable=False, auto_fill="Vacancy reference"),
        FieldSpec("title", "Job title", required=True, max_chars=120, auto_fill="Job title for candidates"),
        FieldSpec("company", "Company", required=True, max_chars=100, auto_fill="Organisation name"),
        FieldSpec("location", "Location", required=True, max_chars=100, auto_fill="Location (town and postcode)"),
        FieldSpec(
            "type",
            "Job type",
            FieldType.CHOICE,
            required=True,
            choices=JOB_TYPES,
            auto_fill="Employment type and working pattern",
        ),
        FieldSpec(
            "description",
            "Description",
            FieldType.TEXTAREA,
            required=True,
            min_chars=50,
            max_chars=20000,
            auto_fill="Advert text",
            hint="Sent to JobSphere as HTML: a blank line starts a new paragraph, lines starting with • become a list.",
        ),
        FieldSpec(
            "salary_min",
            "Salary from (£ a year)",
            FieldType.DECIMAL,
            required=True,
            auto_fill="Vacancy salary",
            group="salary",
        ),
        FieldSpec(
            "salary_max",
            "Salary to (£ a year)",
            FieldType.DECIMAL,
            required=True,
            auto_fill="Vacancy salary",
            group="salary",
        ),
        FieldSpec("closing_date", "Closing date", FieldType.DATE, required=True, auto_fill="Vacancy closing date"),
        FieldSpec(
            "apply_url",
            "Apply URL",
            FieldType.URL,
            required=True,
            editable=False,
            auto_fill="Our careers page, with ?source=jobsphere",
        ),
    ),
)
