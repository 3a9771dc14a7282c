"""Boards on the back-office pages: every enabled board on the vacancy page, and the dashboard's "Job boards needing
attention" count with the list it links to (failed postings and failed inbound events, within the user's scope)."""

import pytest
from django.urls import reverse

from boards.models import InboundEvent, InboundStatus, Posting, PostingStatus
from tests.boards.factories import BoardAccountFactory
from tests.factories import AdvertisedVacancyFactory, DivisionFactory
from tests.test_web_support import grant, make_user, signed_in

pytestmark = pytest.mark.django_db


def _posting(vacancy, account, **fields) -> Posting:
    return Posting.objects.create(vacancy=vacancy, account=account, **fields)


def _failed_event(account, **fields) -> InboundEvent:
    return InboundEvent.objects.create(
        account=account,
        board=account.board,
        event_id=f"evt_{InboundEvent.objects.count()}",
        kind="application.received",
        status=InboundStatus.FAILED,
        last_error="No vacancy of ours is posted as JobSphere job job_x.",
        **fields,
    )


def test_the_vacancy_page_lists_every_enabled_board_with_its_posting_and_page():
    nhs_jobs, jobsphere = BoardAccountFactory(), BoardAccountFactory(board="jobsphere")
    division = DivisionFactory()
    vacancy = AdvertisedVacancyFactory(division=division)
    _posting(vacancy, nhs_jobs, status=PostingStatus.FAILED, board_id="NHS-123", board_status="draft")
    text = signed_in(make_user(divisions=[division])).get(reverse("vacancy-detail", args=[vacancy.pk])).text
    assert "NHS-123" in text
    assert "Failed" in text
    assert reverse("boards:post-to-board", args=[vacancy.pk, "nhs-jobs"]) in text
    assert reverse("boards:post-to-board", args=[vacancy.pk, "jobsphere"]) in text
    assert "Not posted" in text
    type(jobsphere).objects.filter(pk=jobsphere.pk).update(enabled=False)
    text = signed_in(make_user(divisions=[division])).get(reverse("vacancy-detail", args=[vacancy.pk])).text
    assert reverse("boards:post-to-board", args=[vacancy.pk, "jobsphere"]) not in text


def _attention_count(client) -> int:
    cards = {label: count for label, count, _ in client.get(reverse("dashboard")).context["cards"]}
    return cards["Job boards needing attention"]


def test_the_dashboard_counts_failed_postings_and_failed_inbound_events_in_scope():
    account, jobsphere = BoardAccountFactory(), BoardAccountFactory(board="jobsphere")
    division = DivisionFactory()
    user = make_user(divisions=[division])
    failed = AdvertisedVacancyFactory(division=division)
    fine = AdvertisedVacancyFactory(division=division)
    _posting(failed, account, status=PostingStatus.FAILED, last_error="400 Error: NHS Jobs rejected some of the data.")
    _posting(fine, account)
    _posting(AdvertisedVacancyFactory(), account, status=PostingStatus.FAILED)  # outside the scope
    in_scope = _posting(AdvertisedVacancyFactory(division=division), jobsphere, board_id="job_1")
    _failed_event(jobsphere, posting=in_scope)
    _failed_event(jobsphere)  # tied to nothing: for holders of boards.view_inboundevent only
    client = signed_in(user)
    assert _attention_count(client) == 2
    page = client.get(reverse("boards:attention")).text
    assert failed.reference in page
    assert fine.reference not in page
    assert page.count("No vacancy of ours is posted as JobSphere job job_x.") == 1
    assert "Process again" not in page
    grant(user, "boards.view_inboundevent", "boards.change_inboundevent")
    client = signed_in(type(user).objects.get(pk=user.pk))
    assert _attention_count(client) == 3
    assert "Process again" in client.get(reverse("boards:attention")).text


def test_process_again_from_the_list_queues_the_event(monkeypatch):
    queued = []
    monkeypatch.setattr("boards.queueing.async_task", lambda func, *args, **kwargs: queued.append((func, args)))
    jobsphere = BoardAccountFactory(board="jobsphere")
    division = DivisionFactory()
    event = _failed_event(jobsphere, posting=_posting(AdvertisedVacancyFactory(division=division), jobsphere))
    user = make_user(divisions=[division])
    url = reverse("boards:inbound-reprocess", args=[event.pk])
    assert signed_in(user).post(url).status_code == 403
    grant(user, "boards.change_inboundevent")
    response = signed_in(type(user).objects.get(pk=user.pk)).post(url)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.attempts) == (InboundStatus.PENDING, 0)
    assert queued == [("boards.tasks.process_inbound_event", (event.pk,))]
