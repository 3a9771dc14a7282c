"""The NHSJob field spec: every field, limit and rule, as data (the form, our validation and the sandbox's).

The guide (seed 000) names no limits; these are our choices, shared with the sandbox: a title of at most 100
characters, a specialty (what NHSJob's job search filters on, e.g. "Nursing") and a location (the town) of at most
100, a UK postcode, one of NHSJob's four contract types, salary amounts in pounds whose lowest is at most its
highest, a plain-text description of 50 to 10,000 characters, and a closing date in the future.
"""

from boards.base import BoardSpec, FieldSpec, FieldType, range_rule

# NHSJob's contract types (BOARDS.md); ours map onto them in `mapping.CONTRACT_TYPE_FOR_KIND`.
CONTRACT_TYPES = (("permanent", "Permanent"), ("fixed_term", "Fixed term"), ("locum", "Locum"), ("bank", "Bank"))
SALARY_RANGE_INVALID = "The lowest salary must not be more than the highest."


SPEC = BoardSpec(
    rules=(range_rule("salary_min", "salary_max", SALARY_RANGE_INVALID),),
    fields=(
        FieldSpec(
            "external_reference",
            "Reference",
            required=True,
            max_chars=50,
            editable=False,
            auto_fill="Vacancy reference (NHSJob's dedupe key)",
        ),
        FieldSpec("title", "Job title", required=True, max_chars=100, auto_fill="Job title for candidates"),
        FieldSpec(
            "specialty",
            "Specialty",
            required=True,
            max_chars=100,
            auto_fill="Job category",
            hint="What candidates filter NHSJob's job search by, e.g. Nursing.",
        ),
        FieldSpec("location", "Location", required=True, max_chars=100, auto_fill="Location (town)"),
        FieldSpec("postcode", "Postcode", FieldType.POSTCODE, required=True, auto_fill="Location postcode"),
        FieldSpec(
            "contract_type",
            "Contract type",
            FieldType.CHOICE,
            required=True,
            choices=CONTRACT_TYPES,
            auto_fill="Employment type",
            hint="NHSJob has four: secondments, apprenticeships and training posts are fixed term.",
        ),
        FieldSpec(
            "salary_min",
            "Salary from (£)",
            FieldType.DECIMAL,
            required=True,
            auto_fill="Vacancy salary",
            group="salary",
        ),
        FieldSpec(
            "salary_max", "Salary to (£)", FieldType.DECIMAL, required=True, auto_fill="Vacancy salary", group="salary"
        ),
        FieldSpec(
            "description",
            "Description",
            FieldType.TEXTAREA,
            required=True,
            min_chars=50,
            max_chars=10000,
            auto_fill="Advert text",
            hint="Plain text: a blank line starts a new paragraph.",
        ),
        FieldSpec("closing_date", "Closing date", FieldType.DATE, required=True, auto_fill="Vacancy closing date"),
        FieldSpec(
            "apply_url",
            "Apply URL",
            FieldType.URL,
            required=True,
            editable=False,
            auto_fill="Our careers page, with ?source=nhsjob",
        ),
    ),
)
