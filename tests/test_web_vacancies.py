"""Vacancy pages: sign-in, permissions, data scope, search and filters, create / edit, lifecycle buttons."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recruitment.models import Vacancy, VacancyStatus
from tests.factories import (
    AdvertisedVacancyFactory,
    DepartmentFactory,
    DivisionFactory,
    EmploymentTypeFactory,
    JobCategoryFactory,
    LocationFactory,
    SalaryBandFactory,
    VacancyFactory,
)
from tests.test_web_support import date_parts, htmx, make_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def division():
    return DivisionFactory()


@pytest.fixture
def recruiter(division):
    return make_user(divisions=[division])


@pytest.fixture
def client_in(recruiter):
    return signed_in(recruiter)


def test_pages_need_sign_in(client):
    response = client.get(reverse("vacancy-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_needs_view_permission(division):
    user = make_user(divisions=[division], permissions=())
    assert signed_in(user).get(reverse("vacancy-list")).status_code == 403


def test_list_shows_only_vacancies_in_scope(client_in, division):
    mine = VacancyFactory(division=division, title="Ward sister")
    other = VacancyFactory(title="Porter elsewhere")
    response = client_in.get(reverse("vacancy-list"))
    assert mine.reference in response.text
    assert other.reference not in response.text


def test_vacancy_of_another_division_answers_404(client_in):
    other = VacancyFactory()
    assert client_in.get(reverse("vacancy-detail", args=[other.pk])).status_code == 404
    assert client_in.get(reverse("vacancy-edit", args=[other.pk])).status_code == 404
    assert client_in.post(reverse("vacancy-action", args=[other.pk, "submit"])).status_code == 404
    assert client_in.get(reverse("pipeline", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert (other.status, other.submitted_at) == (VacancyStatus.DRAFT, None)


def test_search_and_filters(client_in, division, recruiter):
    other_department = DepartmentFactory(division=division)
    soon = timezone.localdate() + datetime.timedelta(days=3)
    nurse = VacancyFactory(division=division, title="Night nurse", recruiter=recruiter)
    porter = AdvertisedVacancyFactory(division=division, department=other_department, title="Porter", closing_date=soon)
    url = reverse("vacancy-list")
    assert nurse.reference in client_in.get(url, {"q": "night"}).text
    assert porter.reference not in client_in.get(url, {"q": "night"}).text
    by_status = client_in.get(url, {"status": "advertised"}).text
    assert porter.reference in by_status
    assert nurse.reference not in by_status
    by_department = client_in.get(url, {"department": other_department.pk}).text
    assert porter.reference in by_department
    assert nurse.reference not in by_department
    closing = client_in.get(url, date_parts("closing_to", soon + datetime.timedelta(days=1))).text
    assert porter.reference in closing
    assert nurse.reference not in closing
    mine = client_in.get(url, {"mine": "on", "status": "open"}).text
    assert nurse.reference in mine
    assert porter.reference not in mine
    by_division = client_in.get(url, {"division": division.pk}).text
    assert nurse.reference in by_division


def test_bad_filter_values_are_ignored(client_in, division):
    vacancy = VacancyFactory(division=division)
    response = client_in.get(
        reverse("vacancy-list"),
        {"closing_from_day": "31", "closing_from_month": "2", "closing_from_year": "2026", "status": "nonsense"},
    )
    assert response.status_code == 200
    assert vacancy.reference in response.text


def test_pagination_and_htmx_fragment(client_in, division):
    VacancyFactory.create_batch(27, division=division)
    page2 = client_in.get(reverse("vacancy-list"), {"page": 2})
    assert "Page 2 of 2" in page2.text
    fragment = htmx(client_in, reverse("vacancy-list"), page="2")
    assert fragment.status_code == 200
    assert 'id="vacancy-results"' in fragment.text
    assert "<html" not in fragment.text


def _count_list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_rows(client_in, division):
    VacancyFactory(division=division)
    one = _count_list_queries(client_in, reverse("vacancy-list"))
    VacancyFactory.create_batch(29, division=division)
    assert _count_list_queries(client_in, reverse("vacancy-list")) == one


def _form_data(division, **overrides):
    department = DepartmentFactory(division=division)
    data = {
        "title": "Staff nurse, ward 7",
        "title_for_candidates": "Staff nurse",
        "division": division.pk,
        "department": department.pk,
        "location": LocationFactory().pk,
        "job_category": JobCategoryFactory().pk,
        "employment_type": EmploymentTypeFactory().pk,
        "salary_type": "range",
        "salary_min": "29970",
        "salary_max": "36483",
        "salary_period": "annum",
        "working_patterns": ["full_time"],
        **date_parts("closing_date", timezone.localdate() + datetime.timedelta(days=20)),
        "attention_grabber": "Join us",
        "advert_html": '<p>Great team</p><script>alert("x")</script><img src=x onerror=alert(1)>',
        "about_organisation": "",
        "reply_to_email": "jobs@example.nhs.uk",
        "dbs_level": "none",
        "dbs_workforce": "",
    }
    data.update(overrides)
    return data


def test_create_vacancy_sanitises_the_advert(client_in, division, recruiter):
    response = client_in.post(reverse("vacancy-create"), _form_data(division))
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vacancy-detail", args=[vacancy.pk])
    assert vacancy.status == VacancyStatus.DRAFT
    assert vacancy.recruiter == recruiter
    assert vacancy.advert_html == "<p>Great team</p>"
    assert vacancy.about_organisation  # the organisation's standard text


def test_create_shows_errors_in_place_and_keeps_input(client_in, division):
    data = _form_data(division, title="", salary_min="40000", salary_max="30000", working_patterns=[])
    response = client_in.post(reverse("vacancy-create"), data)
    assert response.status_code == 200
    text = response.text
    assert "nhsuk-error-summary" in text
    assert 'href="#id_title"' in text
    assert "nhsuk-form-group--error" in text
    assert "Select one or more working patterns." in text
    assert "Enter the internal job title." in text
    assert "This field is required." not in text
    assert 'value="Staff nurse"' in text  # what was typed is kept
    assert not Vacancy.objects.exists()


def test_service_errors_come_back_next_to_the_field(client_in, division):
    data = _form_data(division, salary_min="40000", salary_max="30000")
    response = client_in.post(reverse("vacancy-create"), data)
    assert "Highest salary must be the same as or more than the lowest salary." in response.text
    assert 'id="id_salary_max-error"' in response.text


def test_cannot_create_in_a_division_outside_scope(client_in, division):
    other = DivisionFactory()
    response = client_in.post(reverse("vacancy-create"), _form_data(other))
    assert response.status_code == 200
    assert not Vacancy.objects.exists()


def test_create_needs_add_permission(division):
    user = make_user(divisions=[division], permissions=("view_vacancy",))
    assert signed_in(user).get(reverse("vacancy-create")).status_code == 403


def test_edit_vacancy(client_in, division):
    vacancy = VacancyFactory(division=division)
    data = _form_data(division, title="Renamed", department=vacancy.department.pk)
    response = client_in.post(reverse("vacancy-edit", args=[vacancy.pk]), data)
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Renamed"


def test_edit_needs_change_permission(division):
    user = make_user(divisions=[division], permissions=("view_vacancy",))
    vacancy = VacancyFactory(division=division)
    assert signed_in(user).get(reverse("vacancy-edit", args=[vacancy.pk])).status_code == 403


def test_lifecycle_buttons(client_in, division):
    vacancy = VacancyFactory(division=division)
    approver = signed_in(make_user(divisions=[division]))
    for action, status, client in [
        ("submit", VacancyStatus.AWAITING_APPROVAL, client_in),
        ("approve", VacancyStatus.APPROVED, approver),
        ("advertise-internal", VacancyStatus.ADVERTISED_INTERNAL, client_in),
        ("advertise-external", VacancyStatus.ADVERTISED_EXTERNAL, client_in),
    ]:
        response = client.post(reverse("vacancy-action", args=[vacancy.pk, action]))
        assert response.status_code == 302
        vacancy.refresh_from_db()
        assert vacancy.status == status, action
    # Closing is not one click: the button leads to the confirmation page.
    response = client_in.post(reverse("vacancy-action", args=[vacancy.pk, "close"]))
    assert response["Location"] == reverse("vacancy-end", args=[vacancy.pk, "close"])
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.ADVERTISED_EXTERNAL


def test_refused_action_is_a_message_not_a_crash(client_in, division):
    vacancy = VacancyFactory(division=division)
    response = client_in.post(reverse("vacancy-action", args=[vacancy.pk, "advertise-external"]), follow=True)
    assert response.status_code == 200
    assert "A vacancy cannot move from Draft to Advertised externally." in response.text
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.DRAFT
    # The confirmation page of an ending the status does not allow says so instead of asking.
    response = client_in.get(reverse("vacancy-end", args=[vacancy.pk, "close"]), follow=True)
    assert "A draft vacancy cannot be closed." in response.text


def test_validation_error_of_an_action_is_shown(client_in, division):
    vacancy = VacancyFactory(division=division, closing_date=timezone.localdate())
    response = client_in.post(reverse("vacancy-action", args=[vacancy.pk, "submit"]), follow=True)
    assert "The closing date must be in the future." in response.text


def test_cancel_and_copy(client_in, division):
    vacancy = VacancyFactory(division=division)
    client_in.post(reverse("vacancy-end", args=[vacancy.pk, "cancel"]), {"reason": "Not funded"})
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.CANCELLED
    response = client_in.post(reverse("vacancy-action", args=[vacancy.pk, "copy"]))
    copy = Vacancy.objects.exclude(pk=vacancy.pk).get()
    assert response["Location"] == reverse("vacancy-detail", args=[copy.pk])
    assert copy.copied_from == vacancy
    assert copy.status == VacancyStatus.DRAFT
    assert copy.events.get().note == f"Copied from {vacancy.reference}."
    assert vacancy.events.filter(action="copied", note=f"New draft {copy.reference}.").exists()


def test_actions_are_post_only_and_known(client_in, division):
    vacancy = VacancyFactory(division=division)
    assert client_in.get(reverse("vacancy-action", args=[vacancy.pk, "submit"])).status_code == 405
    assert client_in.post(reverse("vacancy-action", args=[vacancy.pk, "explode"])).status_code == 404
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.DRAFT


def test_actions_need_change_permission(division):
    user = make_user(divisions=[division], permissions=("view_vacancy",))
    vacancy = VacancyFactory(division=division)
    assert signed_in(user).post(reverse("vacancy-action", args=[vacancy.pk, "submit"])).status_code == 403
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.DRAFT


def test_detail_shows_applications_by_stage_and_buttons(client_in, division):
    vacancy = AdvertisedVacancyFactory(division=division)
    response = client_in.get(reverse("vacancy-detail", args=[vacancy.pk]))
    assert response.status_code == 200
    assert "Pre-employment checks" in response.text
    assert "Close" in response.text
    assert reverse("careers-apply", args=[vacancy.reference]) in response.text


def test_every_form_has_a_csrf_token(client_in, division):
    vacancy = VacancyFactory(division=division)
    for url in (reverse("vacancy-create"), reverse("vacancy-detail", args=[vacancy.pk])):
        text = client_in.get(url).text
        assert text.count("<form") == text.count("csrfmiddlewaretoken") + text.count('method="get"')


def test_buttons_only_for_what_the_user_may_do(division):
    viewer = make_user(divisions=[division], permissions=("view_vacancy",))
    vacancy = VacancyFactory(division=division)
    text = signed_in(viewer).get(reverse("vacancy-detail", args=[vacancy.pk])).text
    assert "Submit for approval" not in text
    assert "Edit vacancy" not in text
    assert "Copy to a new draft" not in text


# --- The department list narrowed by the division ----------------------------------------------------------------


def _department_options(text: str) -> str:
    return text.split('id="department-field"')[1].split("</select>")[0]


def test_the_department_list_is_narrowed_by_the_chosen_division(client_in, recruiter, division):
    other = DivisionFactory(name="Surgery")
    recruiter.data_scope.divisions.add(other)
    ours = DepartmentFactory(division=division, name="Cardiology")
    theirs = DepartmentFactory(division=other, name="Theatres")
    # No division yet: every department, grouped by division.
    options = _department_options(client_in.get(reverse("vacancy-create")).text)
    assert f'<optgroup label="{division.name}">' in options
    assert '<optgroup label="Surgery">' in options
    assert "Cardiology" in options
    assert "Theatres" in options
    # Without JavaScript: "Update the department list" submits the form, which comes back narrowed, unsaved and
    # without errors, with what was typed.
    response = client_in.post(
        reverse("vacancy-create"), {"title": "Scrub nurse", "division": other.pk, "refresh-departments": "1"}
    )
    assert response.status_code == 200
    assert not Vacancy.objects.exists()
    assert "nhsuk-error-summary" not in response.text
    assert 'value="Scrub nurse"' in response.text
    options = _department_options(response.text)
    assert 'id="id_department-hint">The departments of Surgery.</div>' in options
    assert 'aria-describedby="id_department-hint"' in options
    assert "Theatres" in options
    assert "Cardiology" not in options
    # With JavaScript: the division's change fetches the field again (htmx).
    fragment = htmx(client_in, reverse("vacancy-departments"), division=str(division.pk), department=str(theirs.pk))
    assert fragment.text.startswith('<div id="department-field">')
    assert "Cardiology" in fragment.text
    assert "Theatres" not in fragment.text
    assert "nhsuk-error-message" not in fragment.text
    assert f'value="{ours.pk}"' in fragment.text


def test_the_division_select_fetches_the_departments(client_in):
    text = client_in.get(reverse("vacancy-create")).text
    select = text.split('<select name="division"')[1].split(">")[0]
    assert f'hx-get="{reverse("vacancy-departments")}"' in select
    assert 'hx-target="#department-field"' in select
    assert "Update the department list" in text  # the no-JavaScript way, hidden when scripts run (app-js-hidden)


def test_a_department_outside_the_users_divisions_is_never_offered(client_in):
    elsewhere = DepartmentFactory(name="Secret department")
    assert "Secret department" not in client_in.get(reverse("vacancy-create")).text
    fragment = htmx(client_in, reverse("vacancy-departments"), division=str(elsewhere.division_id))
    assert "Secret department" not in fragment.text


def test_the_list_filter_narrows_departments_and_drops_one_of_another_division(client_in, recruiter, division):
    other = DivisionFactory()
    recruiter.data_scope.divisions.add(other)
    theirs = DepartmentFactory(division=other, name="Theatres")
    vacancy = VacancyFactory(division=division, title="Ward nurse")
    text = client_in.get(reverse("vacancy-list"), {"division": division.pk, "department": theirs.pk}).text
    assert "Theatres" not in _department_options(text)
    assert vacancy.reference in text  # the stale department filters nothing out
    fragment = htmx(client_in, reverse("vacancy-departments"), division=str(other.pk), list="1")
    assert "Theatres" in fragment.text
    assert "Any department" in fragment.text


# --- Conditional fields and where errors go ------------------------------------------------------------------------


def test_fields_needed_only_in_some_cases_are_not_called_optional(client_in):
    text = client_in.get(reverse("vacancy-create")).text
    for label in ("Hours per week", "Contract length", "Contract length unit", "DBS workforce", "Lowest salary"):
        assert f">{label}" in text
        assert f"{label} (optional)" not in text
        assert f"{label} (£) (optional)" not in text
    assert "Needed when the post is part time." in text
    assert "Attention grabber (optional)" in text  # truly optional fields still say so


def test_each_error_sits_on_the_field_that_caused_it(client_in, division):
    fixed_term = EmploymentTypeFactory(contract_kind="fixed_term")
    data = _form_data(
        division,
        employment_type=fixed_term.pk,
        contract_duration_length="12",
        contract_duration_unit="",
        working_patterns=["part_time"],
        salary_min="",
        salary_max="30000",
    )
    text = client_in.post(reverse("vacancy-create"), data).text
    assert 'id="id_contract_duration_unit-error"' in text
    assert "Select the contract length unit: days, weeks, months or years." in text
    assert 'id="id_contract_duration_length-error"' not in text
    assert 'id="id_hours_per_week-error"' in text
    assert 'id="id_salary_min-error"' in text
    assert 'id="id_salary_max-error"' not in text
    assert not Vacancy.objects.exists()


def test_a_date_with_a_missing_part_marks_that_part(client_in, division):
    data = _form_data(division)
    data["closing_date_month"] = ""
    text = client_in.post(reverse("vacancy-create"), data).text
    assert '<a href="#id_closing_date_month">Closing date must include a month.</a>' in text
    assert 'nhsuk-input--width-2 nhsuk-input--error" id="id_closing_date_month"' in text
    assert 'nhsuk-input--width-2" id="id_closing_date_day"' in text  # the day was fine


# --- The vacancy page ----------------------------------------------------------------------------------------------


def test_the_vacancy_page_shows_the_terms_and_who_approved_it(client_in, division):
    approver = make_user(divisions=[division], first_name="Sam", last_name="Okoye")
    vacancy = AdvertisedVacancyFactory(
        division=division,
        working_patterns=["full_time", "part_time"],
        hours_per_week="22.5",
        contract_duration_length=12,
        contract_duration_unit="months",
        salary_min="31049",
        salary_max="37796.5",
        reply_to_email="ward7@example.nhs.uk",
        salary_band=SalaryBandFactory(name="Band 5"),
        approved_by=approver,
        approved_at=timezone.now(),
    )
    details = client_in.get(reverse("vacancy-detail", args=[vacancy.pk])).text.split('id="vacancy-details"')[1]
    assert "Full time, Part time" in details
    assert "22.5 hours a week" in details
    assert "12 months" in details
    assert "Band 5" in details
    assert "£31,049 to £37,796.50 per annum" in details
    assert "ward7@example.nhs.uk" in details
    assert "By Sam Okoye on " in details
    assert approver.username not in details


def test_the_vacancy_history_shows_each_step_by_name_with_the_reason(client_in, recruiter, division):
    recruiter.first_name, recruiter.last_name = "Priya", "Shah"
    recruiter.save()
    client_in.post(reverse("vacancy-create"), _form_data(division))
    vacancy = Vacancy.objects.get()
    client_in.post(reverse("vacancy-action", args=[vacancy.pk, "submit"]))
    client_in.post(reverse("vacancy-end", args=[vacancy.pk, "cancel"]), {"reason": "Funding\r\nwithdrawn"})
    text = client_in.get(reverse("vacancy-detail", args=[vacancy.pk])).text
    history = text.split('id="vacancy-history"')[1].split("</tbody>")[0]
    assert [step in history for step in ("Created", "Submitted for approval", "Cancelled")] == [True] * 3
    assert history.index("Created") < history.index("Submitted for approval") < history.index("Cancelled")
    assert history.count("Priya Shah") == 3
    assert recruiter.username not in history
    assert "Funding\nwithdrawn" in history
    assert list(vacancy.events.values_list("action", "actor", "note")) == [
        ("created", recruiter.pk, ""),
        ("submitted", recruiter.pk, ""),
        ("cancelled", recruiter.pk, "Funding\nwithdrawn"),
    ]


# --- Closing and cancelling ask for confirmation and a reason ------------------------------------------------------


def test_close_asks_for_confirmation_and_a_reason(client_in, division):
    vacancy = AdvertisedVacancyFactory(division=division)
    url = reverse("vacancy-end", args=[vacancy.pk, "close"])
    detail = client_in.get(reverse("vacancy-detail", args=[vacancy.pk])).text
    assert f'href="{url}"' in detail  # a link to the confirmation page, not a one-click form
    page = client_in.get(url).text
    assert "Close this vacancy?" in page
    assert "Why are you closing the vacancy?" in page
    assert "Keep the vacancy open" in page
    refused = client_in.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert '<a href="#id_reason">Enter the reason for closing the vacancy.</a>' in refused.text
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.ADVERTISED_EXTERNAL
    response = client_in.post(url, {"reason": "Enough applications to shortlist"})
    assert response["Location"] == reverse("vacancy-detail", args=[vacancy.pk])
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.CLOSED
    event = vacancy.events.get(action="closed")
    assert (event.note, event.from_status, event.to_status) == (
        "Enough applications to shortlist",
        VacancyStatus.ADVERTISED_EXTERNAL,
        VacancyStatus.CLOSED,
    )


def test_cancel_asks_for_a_reason_too(client_in, division):
    vacancy = VacancyFactory(division=division)
    url = reverse("vacancy-end", args=[vacancy.pk, "cancel"])
    assert "Cancel this vacancy?" in client_in.get(url).text
    assert "Enter the reason for cancelling the vacancy." in client_in.post(url, {}).text
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.DRAFT
    assert client_in.get(reverse("vacancy-end", args=[vacancy.pk, "submit"])).status_code == 404


def test_ending_needs_the_change_permission(division):
    viewer = make_user(divisions=[division], permissions=("view_vacancy",))
    vacancy = AdvertisedVacancyFactory(division=division)
    client = signed_in(viewer)
    assert client.get(reverse("vacancy-end", args=[vacancy.pk, "close"])).status_code == 403
    assert client.post(reverse("vacancy-end", args=[vacancy.pk, "close"]), {"reason": "x"}).status_code == 403
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.ADVERTISED_EXTERNAL


# --- The approver is another person --------------------------------------------------------------------------------


def test_a_recruiter_cannot_approve_their_own_vacancy(client_in, recruiter, division):
    vacancy = VacancyFactory(division=division, recruiter=recruiter, status=VacancyStatus.AWAITING_APPROVAL)
    text = client_in.get(reverse("vacancy-detail", args=[vacancy.pk])).text
    assert ">Approve</button>" not in text
    assert "Another person must approve this vacancy" in text
    response = client_in.post(reverse("vacancy-action", args=[vacancy.pk, "approve"]), follow=True)
    assert "Another person must approve this vacancy" in response.text
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.approved_by) == (VacancyStatus.AWAITING_APPROVAL, None)


def test_the_person_who_submitted_it_cannot_approve_it_either(client_in, division):
    vacancy = VacancyFactory(division=division)  # someone else recruits for it
    client_in.post(reverse("vacancy-action", args=[vacancy.pk, "submit"]))
    client_in.post(reverse("vacancy-action", args=[vacancy.pk, "approve"]))
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.AWAITING_APPROVAL
    colleague = signed_in(make_user(divisions=[division]))
    assert ">Approve</button>" in colleague.get(reverse("vacancy-detail", args=[vacancy.pk])).text
    colleague.post(reverse("vacancy-action", args=[vacancy.pk, "approve"]))
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.APPROVED


def test_self_approval_can_be_allowed_by_the_setting(settings, client_in, recruiter, division):
    settings.VACANCY_APPROVER_MUST_BE_ANOTHER_PERSON = False
    vacancy = VacancyFactory(division=division, recruiter=recruiter, status=VacancyStatus.AWAITING_APPROVAL)
    client_in.post(reverse("vacancy-action", args=[vacancy.pk, "approve"]))
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.approved_by) == (VacancyStatus.APPROVED, recruiter)
