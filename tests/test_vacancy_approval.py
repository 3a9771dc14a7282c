"""Approving a vacancy needs its own permission, in the back-office and in the admin."""

import pytest
from django.urls import reverse

from recruitment.models import VacancyStatus
from tests.factories import VacancyFactory
from tests.test_web_support import RECRUITER_PERMISSIONS, make_user, signed_in

pytestmark = pytest.mark.django_db

WITHOUT_APPROVE = tuple(p for p in RECRUITER_PERMISSIONS if p != "approve_vacancy")


def test_editor_without_approve_permission_cannot_approve():
    vacancy = VacancyFactory(status=VacancyStatus.AWAITING_APPROVAL)
    user = make_user(divisions=[vacancy.division], permissions=WITHOUT_APPROVE)
    client = signed_in(user)
    page = client.get(reverse("vacancy-detail", args=[vacancy.pk])).content.decode()
    assert ">Approve</button>" not in page
    assert client.post(reverse("vacancy-action", args=[vacancy.pk, "approve"])).status_code == 403
    assert client.post(reverse("vacancy-action", args=[vacancy.pk, "return-to-draft"])).status_code == 403
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.AWAITING_APPROVAL


def test_approver_can_approve():
    vacancy = VacancyFactory(status=VacancyStatus.AWAITING_APPROVAL)
    user = make_user(divisions=[vacancy.division])
    response = signed_in(user).post(reverse("vacancy-action", args=[vacancy.pk, "approve"]))
    assert response.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.APPROVED
    assert vacancy.approved_by == user


def test_admin_approve_action_needs_the_permission():
    vacancy = VacancyFactory(status=VacancyStatus.AWAITING_APPROVAL)
    user = make_user(divisions=[vacancy.division], permissions=WITHOUT_APPROVE, is_staff=True)
    client = signed_in(user)
    changelist = reverse("admin:recruitment_vacancy_changelist")
    assert 'value="approve"' not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "approve", "_selected_action": [vacancy.pk]})
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.AWAITING_APPROVAL
