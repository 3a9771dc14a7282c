"""Equal-opportunities answers: never on an application's admin page; their own admin pages and an aggregate
report (small counts suppressed) need `recruitment.view_equalopportunities` and keep to the user's data scope.
"""

import pytest
from django.contrib.auth.models import Permission

from recruitment.models import EO_VIEW_PERMISSION
from recruitment.models.applications import Ethnicity, Religion
from recruitment.selectors.equal_opportunities import suppress
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationFactory,
    CandidateFactory,
    DataScopeFactory,
    DbsCheckFactory,
    DivisionFactory,
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


def test_even_holders_of_the_permission_never_see_eo_answers_on_the_application(client, staff, application):
    """The apply page promises the people deciding never see them: not beside the stage and the DBS decision."""
    grant(staff, "view_equalopportunities", "view_dbscheck")
    DbsCheckFactory(application=application)
    client.force_login(staff)
    response = client.get(change_url(application))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Priya Raman" in body
    assert_eo_hidden(body)
    assert "equal_opportunities" not in body


def test_a_superuser_never_sees_eo_answers_on_the_application_either(client, application):
    client.force_login(SuperUserFactory())
    response = client.get(change_url(application))
    assert response.status_code == 200
    assert_eo_hidden(response.content.decode())


def test_holders_of_the_permission_open_the_eo_pages_without_the_applicant(client, staff, application):
    grant(staff, "view_equalopportunities")
    client.force_login(staff)
    listing = client.get(EO_LIST_URL)
    assert listing.status_code == 200
    record = application.equal_opportunities
    assert eo_change_url(record) in listing.content.decode()
    detail = client.get(eo_change_url(record))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert ETHNICITY.label in body
    assert application.vacancy.reference in body
    for identifying in ("Priya", "Raman", application.candidate.email, change_url(application)):
        assert identifying not in listing.content.decode()
        assert identifying not in body


# The aggregate report.

REPORT_URL = "/admin/recruitment/equalopportunities/report/"


def answers_for(vacancy, count: int, **answers) -> None:
    for _ in range(count):
        EqualOpportunitiesFactory(application=ApplicationFactory(vacancy=vacancy), **answers)


def counts_of(response, question: str) -> dict[str, str]:
    """The report's rows for one question, as {answer: count shown}."""
    [found] = [q for q in response.context["report"].questions if q.question == question]
    return {row.answer: row.count for row in found.answers}


def test_the_report_needs_the_permission(client, staff):
    client.force_login(staff)
    assert client.get(REPORT_URL).status_code == 403


def test_the_report_counts_answers_and_hides_small_counts(client, staff):
    grant(staff, "view_equalopportunities")
    vacancy = AdvertisedVacancyFactory()
    answers_for(vacancy, 6, sex="female", disability="no")
    answers_for(vacancy, 5, sex="male", disability="no")
    answers_for(vacancy, 2, sex="prefer_not_to_say", disability="yes")
    client.force_login(staff)
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    assert response.context["report"].responses == "13"
    # Only "prefer not to say" (2) is below 5: with the total shown it could be worked out, so the next smallest
    # count (Male, 5) is hidden too.
    assert counts_of(response, "Sex") == {"Female": "6", "Male": "fewer than 5", "Prefer not to say": "fewer than 5"}
    # "yes" (2) and "prefer not to say" (0) are both hidden; "no" (11) can be shown.
    assert counts_of(response, "Has a disability (Equality Act 2010)") == {
        "Yes": "fewer than 5",
        "No": "11",
        "Prefer not to say": "fewer than 5",
    }
    body = response.content.decode()
    assert "fewer than 5" in body
    assert "Priya" not in body


def test_the_report_for_one_vacancy_and_only_within_the_scope(client):
    inside, outside = DivisionFactory(), DivisionFactory()
    user = StaffUserFactory()
    grant(user, "view_equalopportunities")
    DataScopeFactory(user=user, divisions=[inside])
    mine, other_mine, theirs = (AdvertisedVacancyFactory(division=d) for d in (inside, inside, outside))
    answers_for(mine, 7, sex="female")
    answers_for(other_mine, 5, sex="male")
    answers_for(theirs, 9, sex="male")
    client.force_login(user)
    overall = client.get(REPORT_URL)
    assert overall.context["report"].responses == "12"  # 7 + 5 in scope; the other division's 9 are not counted
    assert counts_of(overall, "Sex")["Female"] == "7"
    assert theirs.reference not in overall.content.decode()  # not even offered as a choice
    one = client.get(REPORT_URL, {"vacancy": mine.pk})
    assert one.status_code == 200
    assert one.context["report"].responses == "7"
    assert counts_of(one, "Sex") == {"Female": "7", "Male": "fewer than 5", "Prefer not to say": "fewer than 5"}
    assert client.get(REPORT_URL, {"vacancy": theirs.pk}).status_code == 404


def test_the_eo_list_links_to_the_report(client, staff):
    grant(staff, "view_equalopportunities")
    client.force_login(staff)
    assert REPORT_URL in client.get(EO_LIST_URL).content.decode()


def test_suppression_rules():
    assert suppress({"a": 9, "b": 4, "c": 7}, total_shown=True) == {"a": "9", "b": "fewer than 5", "c": "fewer than 5"}
    assert suppress({"a": 9, "b": 4, "c": 7}, total_shown=False) == {"a": "9", "b": "fewer than 5", "c": "7"}
    assert suppress({"a": 9, "b": 0, "c": 1}, total_shown=True) == {"a": "9", "b": "fewer than 5", "c": "fewer than 5"}
    assert suppress({"a": 5, "b": 5}, total_shown=True) == {"a": "5", "b": "5"}
