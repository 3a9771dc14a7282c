"""The NHS.UK form rules every back-office and careers form follows: messages that name their field and say what to
do, the date input (day, month, year), line breaks counted once, no `maxlength` cutting what people paste."""

import datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from recruitment.formfields import DateInputField
from recruitment.web.auth import SignInForm
from recruitment.web.forms.base import NhsForm, NhsFormMixin
from recruitment.web.forms.careers import ApplyForm
from recruitment.web.forms.dbs import AdvanceDbsCheckForm, DbsFilterForm
from recruitment.web.forms.pipeline import MoveApplicationsForm
from recruitment.web.forms.vacancies import EndVacancyForm, VacancyFilterForm, VacancyForm
from tests.factories import AdvertisedVacancyFactory, DbsCheckFactory, DivisionFactory, SuperUserFactory
from tests.test_web_support import make_user, signed_in

pytestmark = pytest.mark.django_db

# Django's own words, which name no field ("This field is required.") or no value the person can find.
DJANGO_DEFAULTS = (
    "This field is required.",
    "Select a valid choice",
    "Enter a number.",
    "Enter a whole number.",
    "Enter a valid date.",
    "Ensure this value",
    "Enter a valid email address.",
    "No file was submitted",
    "The submitted file is empty.",
)


def _every_form(user) -> list[forms.BaseForm]:
    """Every form of the back-office and the careers site, bound to empty (or nonsense) data."""
    vacancy = AdvertisedVacancyFactory()
    check = DbsCheckFactory()
    nonsense = {"salary_min": "lots", "closing_date_day": "40", "to_stage": "nowhere", "division": "x"}
    return [
        VacancyForm(nonsense, user=user),
        VacancyFilterForm({"closing_from_day": "1"}, user=user),
        EndVacancyForm({}, action="close"),
        EndVacancyForm({}, action="cancel"),
        ApplyForm({"email": "not an address", "registration_body": "nmc"}, {}),
        AdvanceDbsCheckForm({"to_stage": "certificate_issued"}, check=check),
        DbsFilterForm({"sort": "nonsense"}),
        MoveApplicationsForm({}, vacancy=vacancy),
        SignInForm(data={}),
    ]


def test_every_form_of_the_project_is_walked():
    """The walk below covers every NHS.UK form class: a new one fails here until it is added to `_every_form`."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    walked = {type(form) for form in _every_form(SuperUserFactory())}
    # The job boards' forms (their own helper's) share the mixin, and so its messages, but are walked by their tests.
    project = {cls for cls in subclasses(NhsFormMixin) if cls.__module__.startswith("recruitment.")}
    assert project - {NhsForm, *(c for c in project if c.__name__ == "NhsModelForm")} <= walked


def test_no_message_is_one_of_djangos_generic_ones():
    for form in _every_form(SuperUserFactory()):
        form.is_valid()
        for name, messages in form.errors.items():
            for message in messages:
                assert message.strip(), (type(form).__name__, name)
                assert not any(default in message for default in DJANGO_DEFAULTS), (type(form).__name__, message)


def test_messages_name_their_field_and_say_what_to_do():
    form = VacancyForm({"salary_min": "lots", "title": "x" * 201}, user=SuperUserFactory())
    form.is_valid()
    assert form.errors["title"] == ["Internal job title must be 200 characters or fewer."]
    assert form.errors["title_for_candidates"] == ["Enter the title for candidates."]
    assert form.errors["division"] == ["Select the division."]
    assert form.errors["salary_min"] == ["Lowest salary must be a number."]
    assert form.errors["closing_date"] == ["Enter the closing date."]
    assert form.errors["dbs_level"] == ["Select the DBS check the post needs."]


def test_the_error_summary_and_the_field_say_the_same(client):
    user = make_user(divisions=[DivisionFactory()])
    text = signed_in(user).post(reverse("vacancy-create"), {"title": ""}).text
    summary = text.split("nhsuk-error-summary__list")[1].split("</ul>")[0]
    assert '<a href="#id_title">Enter the internal job title.</a>' in summary
    assert (
        'id="id_title-error"><span class="nhsuk-u-visually-hidden">Error: </span>Enter the internal job title.' in text
    )
    assert 'aria-invalid="true"' in text


def test_no_input_has_a_maxlength_that_would_cut_a_paste(client):
    vacancy = AdvertisedVacancyFactory()
    text = client.get(reverse("careers-apply", args=[vacancy.reference])).text
    assert " maxlength=" not in text
    assert 'data-maxlength="10000"' in text  # the cover letter's character count says the limit instead
    user = make_user(divisions=[DivisionFactory()])
    assert " maxlength=" not in signed_in(user).get(reverse("vacancy-create")).text


def test_a_line_break_counts_once_before_the_length_check():
    """Browsers send a text area's line breaks as CRLF; the page's character count sees one character each."""

    class Note(NhsForm):
        note = forms.CharField(max_length=10, widget=forms.Textarea)

    form = Note({"note": "abcd\r\nefg\r\nh"})  # 10 characters as the page counts them, 12 as sent
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == "abcd\nefg\nh"
    form = Note({"note": "ab\rcd"})  # a lone CR (old Mac line ends) is a line break too
    assert form.is_valid()
    assert form.cleaned_data["note"] == "ab\ncd"
    assert Note({"note": "abcd\r\nefg\r\nhi"}).errors["note"] == ["Note must be 10 characters or fewer."]


# --- The date input -----------------------------------------------------------------------------------------------


class _When(NhsForm):
    when = DateInputField(label="Start date")
    maybe = DateInputField(label="End date", required=False)


def _parts(**values) -> dict[str, str]:
    return {f"when_{part}": value for part, value in values.items()}


@pytest.mark.parametrize(
    ("data", "message", "parts"),
    [
        ({}, "Enter the start date.", {"day", "month", "year"}),
        (_parts(day="3", year="2026"), "Start date must include a month.", {"month"}),
        (_parts(day="3"), "Start date must include a month and year.", {"month", "year"}),
        (_parts(day="31", month="2", year="2026"), "Start date must be a real date.", {"day"}),
        (_parts(day="3", month="13", year="2026"), "Start date must be a real date.", {"month"}),
        (_parts(day="3", month="4", year="26"), "Start date must be a real date.", {"year"}),
        (_parts(day="x", month="4", year="2026"), "Start date must be a real date.", {"day"}),
    ],
)
def test_date_input_messages_and_the_parts_they_mark(data, message, parts):
    form = _When(data)
    assert not form.is_valid()
    assert form.errors["when"] == [message]
    marked = {part["name"].removeprefix("when_") for part in form["when"].parts if part["error"]}
    assert marked == parts
    assert form.error_list[0][0] == f"id_when_{sorted(parts, key=['day', 'month', 'year'].index)[0]}"


def test_date_input_reads_the_three_parts_and_keeps_what_was_typed():
    form = _When(_parts(day=" 7 ", month="03", year="2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"when": datetime.date(2026, 3, 7), "maybe": None}
    rendered = _When(_parts(day="7", month="", year="2026"))
    rendered.is_valid()
    values = {part["label"]: part["value"] for part in rendered["when"].parts}
    assert values == {"Day": "7", "Month": "", "Year": "2026"}


def test_date_input_markup_is_the_nhsuk_component(client):
    user = make_user(divisions=[DivisionFactory()])
    text = signed_in(user).get(reverse("vacancy-create")).text
    assert '<fieldset class="nhsuk-fieldset" role="group" aria-describedby="id_closing_date-hint">' in text
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        assert (
            f'class="nhsuk-input nhsuk-date-input__input nhsuk-input--width-{width}" id="id_closing_date_{part}" '
            f'name="closing_date_{part}" type="text" inputmode="numeric"' in text
        )
    assert 'type="date"' not in text


def test_a_whole_date_in_a_link_fills_the_parts(client):
    """The dashboard links to the vacancy list with `closing_from=2026-03-27`: the date input takes it."""
    user = make_user(divisions=[DivisionFactory()])
    day = timezone.localdate()
    text = signed_in(user).get(reverse("vacancy-list"), {"closing_from": day.isoformat()}).text
    assert f'id="id_closing_from_day" name="closing_from_day" type="text" inputmode="numeric" value="{day.day}"' in text
