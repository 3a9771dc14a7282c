"""Admin actions and change forms move things only through the services, and say why a move was refused."""

import re

import pytest
from django.urls import reverse

from recruitment.models import ApplicationStage, DbsStage, VacancyStatus
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationFactory,
    DbsCheckFactory,
    SuperUserFactory,
    VacancyEventFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(SuperUserFactory())
    return client


def run_action(client, model: str, action: str, *objects):
    return client.post(
        reverse(f"admin:recruitment_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def change_form_post(client, url: str, **values):
    """POST the admin change form as a browser would: every hidden input it rendered (inline management forms
    included), plus `values`."""
    page = client.get(url).content.decode()
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    data.pop("csrfmiddlewaretoken", None)
    return client.post(url, {**data, **values})


def test_vacancy_action_moves_the_allowed_and_names_the_refused(admin_client):
    draft, closed = VacancyFactory(), VacancyFactory(status=VacancyStatus.CLOSED)
    response = run_action(admin_client, "vacancy", "submit_for_approval", draft, closed)
    draft.refresh_from_db()
    closed.refresh_from_db()
    assert draft.status == VacancyStatus.AWAITING_APPROVAL
    assert closed.status == VacancyStatus.CLOSED
    page = response.content.decode()
    assert "1 submitted." in page
    assert "A vacancy cannot move from Closed to Awaiting approval." in page


def test_application_move_action_records_the_history(admin_client):
    application = ApplicationFactory()
    run_action(admin_client, "application", "move_to_screening", application)
    application.refresh_from_db()
    assert application.stage == ApplicationStage.SCREENING
    assert application.stage_changes.get().note == "Moved in the admin"


def test_application_form_rejection_needs_a_reason(admin_client):
    application = ApplicationFactory()
    url = reverse("admin:recruitment_application_change", args=[application.pk])
    response = change_form_post(admin_client, url, move_to="rejected", note="")
    assert "Enter the reason for rejecting this application." in response.content.decode()
    application.refresh_from_db()
    assert application.stage == ApplicationStage.NEW
    change_form_post(admin_client, url, move_to="rejected", note="Not registered with the NMC")
    application.refresh_from_db()
    assert application.stage == ApplicationStage.REJECTED
    assert application.rejection_reason == "Not registered with the NMC"


def test_dbs_action_and_certificate_form(admin_client):
    check = DbsCheckFactory()
    run_action(admin_client, "dbscheck", "move_to_id_verified", check)
    check.refresh_from_db()
    assert check.stage == DbsStage.ID_VERIFIED
    check.stage = DbsStage.WITH_DBS
    check.save()
    url = reverse("admin:recruitment_dbscheck_change", args=[check.pk])
    short = admin_client.post(
        url,
        {
            "move_to": "certificate_issued",
            "new_certificate_number": "12345678901",
            "new_certificate_issue_date": "2026-11-01",
        },
    )
    assert "Enter the certificate number: exactly 12 digits." in short.content.decode()
    check.refresh_from_db()
    assert check.stage == DbsStage.WITH_DBS
    admin_client.post(
        url,
        {
            "move_to": "certificate_issued",
            "new_certificate_number": "123456789012",
            "new_certificate_issue_date": "2026-11-01",
        },
    )
    check.refresh_from_db()
    assert check.stage == DbsStage.CERTIFICATE_ISSUED
    assert check.certificate_number == "123456789012"


def test_closing_in_the_admin_asks_for_the_reason_and_records_it(admin_client):
    first, second = AdvertisedVacancyFactory(), AdvertisedVacancyFactory()
    confirm = run_action(admin_client, "vacancy", "close", first, second)
    page = confirm.content.decode()
    assert "Close these vacancies?" in page
    assert first.reference in page
    assert second.reference in page
    url = reverse("admin:recruitment_vacancy_changelist")
    chosen = {"action": "close", "_selected_action": [first.pk, second.pk], "confirm": "yes"}
    missing = admin_client.post(url, {**chosen, "reason": " "}).content.decode()
    assert "Enter the reason for closing the vacancies." in missing
    first.refresh_from_db()
    assert first.status == VacancyStatus.ADVERTISED_EXTERNAL
    done = admin_client.post(url, {**chosen, "reason": "Post filled internally"}, follow=True).content.decode()
    assert "2 closed." in done
    for vacancy in (first, second):
        vacancy.refresh_from_db()
        assert vacancy.status == VacancyStatus.CLOSED
        assert vacancy.events.get(action="closed").note == "Post filled internally"


def test_the_admin_names_people_in_histories(admin_client):
    user = SuperUserFactory(first_name="Sam", last_name="Okoye")
    vacancy = VacancyFactory()
    VacancyEventFactory(vacancy=vacancy, actor=user)
    page = admin_client.get(reverse("admin:recruitment_vacancyevent_changelist")).content.decode()
    assert "Sam Okoye" in page
    page = admin_client.get(reverse("admin:recruitment_vacancy_change", args=[vacancy.pk])).content.decode()
    assert "<td>Sam Okoye</td>" in page
