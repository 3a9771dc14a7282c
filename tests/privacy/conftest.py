"""Shared builders for the data protection tests: people with applications decided at a known moment, and the
statistics anonymisation must leave unchanged."""

import datetime
import json

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db.models import Count

from boards.models import InboundEvent, InboundStatus
from recruitment.models import Application, ApplicationStage, EqualOpportunities
from recruitment.services.applications import application_move, application_reject
from tests.boards.factories import BoardAccountFactory
from tests.factories import (
    ApplicationDocumentFactory,
    ApplicationFactory,
    ApplicationStageChangeFactory,
    EqualOpportunitiesFactory,
    UserFactory,
)

DECIDED = datetime.datetime(2026, 1, 15, 10, 0, tzinfo=datetime.UTC)
SIX_MONTHS = relativedelta(months=6)
ONE_DAY = datetime.timedelta(days=1)


def at(moment: datetime.datetime):
    """Freeze the clock at `moment` (a context manager)."""
    return time_machine.travel(moment, tick=False)


def unsuccessful_application(*, when: datetime.datetime = DECIDED, **overrides) -> Application:
    """An application with a CV, a history note and EO answers, rejected (with a reason) at `when`."""
    with at(when - datetime.timedelta(days=20)):
        application = ApplicationFactory(cover_letter="I have six years on an acute ward.", **overrides)
        ApplicationStageChangeFactory(application=application, note="Applied through the careers site")
        ApplicationDocumentFactory(application=application)
        EqualOpportunitiesFactory(application=application, sex="female", ethnicity="black_african", disability="no")
    with at(when):
        application_reject(application=application, actor=UserFactory(), reason="Not enough ward experience.")
    application.refresh_from_db()
    return application


def moved(application: Application, *stages: str) -> Application:
    """Move an application through `stages` (with the clock where the caller left it)."""
    for stage in stages:
        application = application_move(application=application, to_stage=stage, actor=None, note=f"To {stage}")
    return application


def statistics() -> dict[str, dict]:
    """What recruitment and equal-opportunities reports count: applications by stage and by source, answers by
    category."""
    by = {
        "stage": dict(Application.objects.values_list("stage").annotate(n=Count("pk"))),
        "source": dict(Application.objects.values_list("source").annotate(n=Count("pk"))),
        "vacancy": dict(Application.objects.values_list("vacancy_id").annotate(n=Count("pk"))),
    }
    for question in ("sex", "ethnicity", "disability", "age_band"):
        by[question] = dict(EqualOpportunities.objects.values_list(question).annotate(n=Count("pk")))
    return by


def inbound_event(*, event_id: str, email: str = "", application=None, board_application_id: str = "", **fields):
    """A processed JobSphere application event carrying `email` in its raw body."""
    account = BoardAccountFactory(board="jobsphere")
    body = json.dumps({"id": event_id, "data": {"application_id": board_application_id, "applicant": {"email": email}}})
    return InboundEvent.objects.create(
        account=account,
        board="jobsphere",
        event_id=event_id,
        kind="application.received",
        board_application_id=board_application_id,
        data={"applicant": {"email": email}},
        body=body,
        status=fields.pop("status", InboundStatus.PROCESSED),
        application=application,
        **fields,
    )


OFFER_PATH = (ApplicationStage.SHORTLISTED, ApplicationStage.INTERVIEW, ApplicationStage.OFFER)


@pytest.fixture
def staff(db):
    return UserFactory(username="dpo")


def person_with_data_everywhere(*, applications: int = 3, tag: str = ""):
    """A candidate with a row in every registered category: applications (one from JobSphere) with CVs, history and
    EO answers, a DBS check (with its log and a view), a lifted legal hold, a partner's stored answer, board events
    and a call made for one, and an application on the sandbox board. `tag` tells people apart (email, board ids).
    Returns the candidate."""
    from boards.models import PublishAttempt
    from boards.sandbox.models import SandboxApplication, SandboxDelivery, SandboxJob
    from recruitment.privacy.holds import legal_hold_lift, legal_hold_place
    from tests.factories import (
        CandidateFactory,
        DbsCheckEventFactory,
        DbsCheckFactory,
        DbsViewLogFactory,
        IdempotencyRecordFactory,
    )

    candidate = CandidateFactory(email=f"Amara.Okafor{tag}@example.com")
    made = [
        unsuccessful_application(
            candidate=candidate,
            source="jobsphere" if i == 0 else "direct",
            source_reference=f"app_8c1d2e3f4a{tag}" if i == 0 else "",
        )
        for i in range(applications)
    ]
    check = DbsCheckFactory(application__candidate=candidate)
    DbsCheckEventFactory(dbs_check=check, note="Passport seen")
    DbsViewLogFactory(dbs_check_id=check.pk)
    staff = UserFactory()
    hold = legal_hold_place(actor=staff, reason="Claim 1234/2026, settled", candidate=candidate)
    legal_hold_lift(hold=hold, actor=staff)
    IdempotencyRecordFactory(response_body={"id": made[-1].pk, "candidate_id": candidate.pk, "stage": "new"})
    by_email = inbound_event(event_id=f"evt_email{tag}", email=f"amara.okafor{tag}@EXAMPLE.com")
    inbound_event(event_id=f"evt_board_id{tag}", board_application_id=f"app_8c1d2e3f4a{tag}", email="")
    inbound_event(event_id=f"evt_linked{tag}", application=made[2 % applications], email="")
    PublishAttempt.objects.create(
        account=by_email.account,
        inbound_event=by_email,
        operation="fetch_document",
        method="GET",
        url=f"https://api.jobsphere.io/v2/files/app_8c1d2e3f4a{tag}/cv",
        outcome="success",
        duration_ms=12,
    )
    job = SandboxJob.objects.create(board="jobsphere", public_id=f"job_1{tag}", reference=made[0].vacancy.reference)
    SandboxApplication.objects.create(
        board="jobsphere",
        public_id=f"app_8c1d2e3f4a{tag}",
        job=job,
        cv=b"%PDF-1.4 sandbox cv",
        cv_name="cv.pdf",
        candidate={"first_name": "Amara", "last_name": "Okafor", "email": f"amara.okafor{tag}@example.com"},
    )
    SandboxDelivery.objects.create(
        board="jobsphere",
        event_id=f"evt_email{tag}",
        event_type="application.received",
        url="https://x.test/",
        body=json.dumps({"applicant": {"email": f"amara.okafor{tag}@example.com"}}),
    )
    return candidate


def someone_else():
    """Another person's data in the same places, which must be left alone."""
    from tests.factories import IdempotencyRecordFactory

    other = unsuccessful_application()
    IdempotencyRecordFactory(response_body={"id": other.pk, "candidate_id": other.candidate_id})
    inbound_event(event_id="evt_other", email=other.candidate.email, board_application_id="app_other")
    return other
