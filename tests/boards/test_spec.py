"""The NHS Jobs field spec and the pure payload mapping: the rules our form and the sandbox share."""

import datetime

import pytest
from django.utils import timezone

from boards.adapters.nhs_jobs.mapping import board_errors_from_form_errors, payload_from_values, values_from_payload
from boards.adapters.nhs_jobs.spec import SALARY_INVALID, SPEC
from boards.validation import to_json_values, validate, word_count

OVERVIEW = "o" * 120
VALID = {
    "title": "Staff Nurse",
    "reference": "VAC-2026-0001",
    "contract_type": "permanent",
    "working_pattern": ["full_time"],
    "pay_scheme": "agenda_for_change",
    "band": "5",
    "salary_type": "range",
    "salary_min": "29970",
    "salary_max": "36483.50",
    "salary_period": "annum",
    "staff_group": "nursing_and_midwifery_registered",
    "job_overview": OVERVIEW,
    "about_organisation": OVERVIEW,
    "job_description": "Caring for adults on a busy ward.",
    "address_line_1": "1 Great George Street",
    "town": "Leeds",
    "postcode": "ls14ap",
    "closing_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
    "contact_email": "jobs@example.nhs.uk",
    "dbs_required": "none",
    "apply_url": "https://example.nhs.uk/careers/jobs/VAC-2026-0001/apply/?source=nhs-jobs",
}


def errors(**changes):
    return validate(SPEC, {**VALID, **changes}).errors


def test_valid_values_parse_and_normalise():
    result = validate(SPEC, VALID)
    assert result.errors == {}
    assert result.values["postcode"] == "LS1 4AP"
    assert str(result.values["salary_max"]) == "36483.50"
    assert "contract_duration_length" not in result.values  # hidden for a permanent contract


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Please fill the required fields"),
        ({"title": "t" * 71}, "title", "Please Enter Job Title. Character maxLength: 70."),
        (
            {"job_overview": "short"},
            "job_overview",
            "Please Enter Job Overview. Character minLength: 100, maxLength: 1500.",
        ),
        ({"job_overview": ""}, "job_overview", "Please Enter Job Overview. Character minLength: 100, maxLength: 1500."),
        (
            {"about_organisation": "a" * 1501},
            "about_organisation",
            "Please Enter About Organisation. Character minLength: 100, maxLength: 1500.",
        ),
        (
            {"job_description": "word " * 1001},
            "job_description",
            "You have exceeded the words max limit, max limit is 1000",
        ),
        ({"salary_min": "40000", "salary_max": "30000"}, "salary_max", SALARY_INVALID),
        ({"salary_min": "-5"}, "salary_min", SALARY_INVALID),
        ({"salary_min": "lots"}, "salary_min", SALARY_INVALID),
        ({"postcode": "LS1"}, "postcode", "Please Enter a valid UK Postcode."),
        ({"contact_email": "nobody"}, "contact_email", "Please Enter a valid Contact Email."),
        ({"closing_date": "2000-01-01"}, "closing_date", "Please Enter a Closing Date in the future."),
        ({"contract_type": "forever"}, "contract_type", "Please select a valid Contract Type"),
        ({"working_pattern": []}, "working_pattern", "Please fill the required fields"),
    ],
)
def test_rules_speak_in_the_guides_words(changes, field, message):
    assert message in errors(**changes)[field]


def test_fixed_term_needs_a_contract_duration():
    assert set(errors(contract_type="fixed_term")) == {"contract_duration_length", "contract_duration_unit"}
    assert errors(contract_type="fixed_term", contract_duration_length="12", contract_duration_unit="months") == {}


def test_part_time_needs_hours():
    assert errors(working_pattern=["part_time"]) == {"hours_per_week": ["Please fill the required fields"]}
    assert errors(working_pattern=["part_time"], hours_per_week="22.5") == {}
    assert "hours_per_week" in errors(working_pattern=["part_time"], hours_per_week="200")


def test_negotiable_salary_needs_no_amounts():
    assert errors(salary_type="negotiable", salary_min="", salary_max="", salary_period="") == {}


def test_band_or_grade_follows_the_pay_scheme():
    assert errors(pay_scheme="medical_dental") == {"grade": ["Please fill the required fields"]}
    assert errors(pay_scheme="other", band="") == {}


def test_editable_only_skips_the_fields_we_fill():
    assert "apply_url" not in validate(SPEC, {**VALID, "apply_url": ""}, editable_only=True).errors


def test_word_count_counts_runs_of_non_space():
    assert word_count("  one two\nthree  ") == 3


def test_payload_round_trip_is_lossless_for_valid_values():
    values = to_json_values(
        validate(
            SPEC,
            {
                **VALID,
                "contract_type": "fixed_term",
                "contract_duration_length": "6",
                "contract_duration_unit": "months",
            },
        ).values
    )
    payload = payload_from_values(values)
    assert payload["contract_duration"] == {"length": 6, "unit": "months"}
    assert payload["salary"] == {"type": "range", "min": 29970, "max": 36483.5, "period": "annum"}
    assert payload["address"] == {"lines": ["1 Great George Street"], "town": "Leeds", "postcode": "LS1 4AP"}
    assert validate(SPEC, values_from_payload(payload)).errors == {}


def test_payload_of_a_medical_post_sends_the_grade_as_band():
    payload = payload_from_values({**VALID, "pay_scheme": "medical_dental", "grade": "consultant", "band": "5"})
    assert payload["band"] == "consultant"
    assert values_from_payload(payload)["grade"] == "consultant"


def test_a_garbled_payload_is_reported_not_crashed_on():
    result = validate(SPEC, values_from_payload({"salary": "lots", "address": [], "working_pattern": "full_time"}))
    assert "title" in result.errors
    assert "salary_type" in result.errors


def test_errors_are_named_as_the_board_names_them():
    board = board_errors_from_form_errors(
        {"salary_max": [SALARY_INVALID], "salary_min": [SALARY_INVALID], "postcode": ["x"]}
    )
    assert board == [{"field": "salary", "message": SALARY_INVALID}, {"field": "address.postcode", "message": "x"}]
