"""Legal holds: set on a candidate or an application with who, why and when; lifted by whom and when."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from recruitment.errors import DomainError
from recruitment.models import LegalHold
from recruitment.privacy.holds import legal_hold_lift, legal_hold_place
from tests.factories import ApplicationFactory, CandidateFactory, LegalHoldFactory, SuperUserFactory
from tests.test_web_support import signed_in

pytestmark = pytest.mark.django_db


def test_a_hold_needs_one_target_and_a_reason(staff):
    candidate, application = CandidateFactory(), ApplicationFactory()
    with pytest.raises(ValidationError, match="one of them"):
        legal_hold_place(actor=staff, reason="Claim", candidate=candidate, application=application)
    with pytest.raises(ValidationError, match="one of them"):
        legal_hold_place(actor=staff, reason="Claim")
    with pytest.raises(ValidationError, match="why the data must be kept"):
        legal_hold_place(actor=staff, reason="  ", candidate=candidate)
    assert not LegalHold.objects.exists()

    hold = legal_hold_place(actor=staff, reason=" Tribunal claim 1234/2026 ", application=application)
    assert (hold.application, hold.reason, hold.set_by, hold.is_active) == (
        application,
        "Tribunal claim 1234/2026",
        staff,
        True,
    )


def test_anonymised_data_cannot_be_held(staff):
    candidate = CandidateFactory(anonymised_at="2026-01-01T00:00Z")
    with pytest.raises(DomainError, match="no personal data left"):
        legal_hold_place(actor=staff, reason="Claim", candidate=candidate)


def test_lifting_records_who_and_when_once(staff):
    hold = LegalHoldFactory()
    lifted = legal_hold_lift(hold=hold, actor=staff)
    assert lifted.lifted_by == staff
    assert lifted.lifted_at is not None
    assert not lifted.is_active
    with pytest.raises(DomainError, match="already lifted"):
        legal_hold_lift(hold=hold, actor=staff)


def test_the_admin_sets_a_hold_through_the_service_and_lifts_it_with_an_action():
    admin_user = SuperUserFactory()
    candidate = CandidateFactory()
    client = signed_in(admin_user)

    refused = client.post(reverse("admin:recruitment_legalhold_add"), {"reason": "Claim"})
    assert refused.status_code == 200
    assert "Choose a candidate or an application" in refused.content.decode()
    added = client.post(
        reverse("admin:recruitment_legalhold_add"), {"candidate": candidate.pk, "reason": "Tribunal claim 1234/2026"}
    )
    assert added.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.candidate, hold.set_by, hold.lifted_at) == (candidate, admin_user, None)

    client.post(reverse("admin:recruitment_legalhold_changelist"), {"action": "lift", "_selected_action": [hold.pk]})
    hold.refresh_from_db()
    assert (hold.lifted_by, hold.lifted_at is not None) == (admin_user, True)
    page = client.get(reverse("admin:recruitment_legalhold_change", args=[hold.pk]))
    assert 'name="reason"' not in page.content.decode()  # read-only once set
