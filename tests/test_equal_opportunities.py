"""Equal-opportunities answers are shown in the admin only with `recruitment.view_equalopportunities`.

Staff who can view applications but lack that permission see the application without its EO inline, and the EO
admin answers 403; granting the permission (or being a superuser) shows both.
"""

import pytest
from django.contrib.auth.models import Permission

from recruitment.models import EO_VIEW_PERMISSION
from recruitment.models.applications import Ethnicity, Religion
from tests.factories import (
    ApplicationFactory,
    CandidateFactory,
    DataScopeFactory,
    EqualOpportunitiesFactory,
    StaffUserFactory,
    SuperUserFactory,
)

pytestmark = pytest.mark.django_db

EO_LIST_URL = "/admin/recruitment/equalopportunities/"
ETHNICITY = Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN
RELIGION = Religion.BUDDHIST
# What the EO inline puts on the application's page: its formset and the labels of the answers above.
EO_MARKERS = ("equal_opportunities-TOTAL_FORMS", ETHNICITY.label, RELIGION.label)


def change_url(application) -> str:
    return f"/admin/recruitment/application/{application.pk}/change/"


def eo_change_url(record) -> str:
    return f"/admin/recruitment/equalopportunities/{record.pk}/change/"


def grant(user, *codenames: str) -> None:
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="recruitment", codename__in=codenames))


@pytest.fixture
def application():
    """An application with distinctive EO answers, by a candidate whose name the page must show."""
    application = ApplicationFactory(candidate=CandidateFactory(first_name="Priya", last_name="Raman"))
    EqualOpportunitiesFactory(application=application, ethnicity=ETHNICITY, religion=RELIGION, disability="yes")
    return application


@pytest.fixture
def staff():
    """A staff user who may view applications in every division, and nothing about EO answers."""
    user = StaffUserFactory()
    grant(user, "view_application", "view_candidate", "view_vacancy")
    DataScopeFactory(user=user, all_divisions=True)
    return user


def assert_eo_shown(body: str) -> None:
    for marker in EO_MARKERS:
        assert marker in body, marker


def assert_eo_hidden(body: str) -> None:
    for marker in EO_MARKERS:
        assert marker not in body, marker


def test_the_permission_constant_names_the_eo_view_permission():
    app_label, codename = EO_VIEW_PERMISSION.split(".")
    assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()


def test_staff_without_the_permission_sees_the_application_but_not_its_eo_answers(client, staff, application):
    assert not staff.has_perm(EO_VIEW_PERMISSION)
    client.force_login(staff)
    response = client.get(change_url(application))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Priya Raman" in body
    assert_eo_hidden(body)


def test_staff_without_the_permission_gets_403_from_the_eo_admin(client, staff, application):
    client.force_login(staff)
    assert client.get(EO_LIST_URL).status_code == 403
    record = application.equal_opportunities
    assert client.get(eo_change_url(record)).status_code == 403


def test_staff_without_the_permission_is_not_offered_the_eo_admin_on_the_index(client, staff):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert EO_LIST_URL not in response.content.decode()


def test_staff_granted_the_permission_sees_the_eo_answers_on_the_application(client, staff, application):
    grant(staff, "view_equalopportunities")
    client.force_login(staff)
    response = client.get(change_url(application))
    assert response.status_code == 200
    assert_eo_shown(response.content.decode())


def test_staff_granted_the_permission_can_open_the_eo_admin(client, staff, application):
    grant(staff, "view_equalopportunities")
    client.force_login(staff)
    listing = client.get(EO_LIST_URL)
    assert listing.status_code == 200
    assert eo_change_url(application.equal_opportunities) in listing.content.decode()
    detail = client.get(eo_change_url(application.equal_opportunities))
    assert detail.status_code == 200
    assert ETHNICITY.label in detail.content.decode()


def test_superuser_sees_the_eo_answers_and_the_eo_admin(client, application):
    client.force_login(SuperUserFactory())
    response = client.get(change_url(application))
    assert response.status_code == 200
    assert_eo_shown(response.content.decode())
    listing = client.get(EO_LIST_URL)
    assert listing.status_code == 200
    assert eo_change_url(application.equal_opportunities) in listing.content.decode()
