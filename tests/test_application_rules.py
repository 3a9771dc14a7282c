"""Rules that tie the pipeline to DBS checks and to boards' own application ids."""

import pytest

from recruitment.errors import DomainError
from recruitment.models import ApplicationStage, DbsDecision, DbsStage
from recruitment.services.applications import application_move, application_reject, application_submit
from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationFactory,
    CandidateFactory,
    DbsCheckFactory,
)

pytestmark = pytest.mark.django_db


def test_hiring_for_a_dbs_post_needs_the_decision_to_proceed():
    check = DbsCheckFactory(stage=DbsStage.CLEAR)
    application = check.application
    with pytest.raises(DomainError, match="record the decision to proceed"):
        application_move(application=application, to_stage=ApplicationStage.HIRED, actor=None)
    application.refresh_from_db()
    assert application.stage == ApplicationStage.PRE_EMPLOYMENT_CHECKS


def test_hiring_after_a_proceed_decision_is_allowed():
    check = DbsCheckFactory(stage=DbsStage.DECISION_RECORDED, decision=DbsDecision.PROCEED)
    hired = application_move(application=check.application, to_stage=ApplicationStage.HIRED, actor=None)
    assert hired.stage == ApplicationStage.HIRED


def test_do_not_proceed_decision_blocks_hiring():
    check = DbsCheckFactory(stage=DbsStage.DECISION_RECORDED, decision=DbsDecision.DO_NOT_PROCEED)
    with pytest.raises(DomainError):
        application_move(application=check.application, to_stage=ApplicationStage.HIRED, actor=None)


def test_hiring_for_a_post_without_dbs_needs_no_check():
    application = ApplicationFactory(stage=ApplicationStage.PRE_EMPLOYMENT_CHECKS)
    assert application_move(application=application, to_stage=ApplicationStage.HIRED, actor=None).stage == "hired"


def test_rejecting_cancels_a_dbs_check_in_progress():
    check = DbsCheckFactory(stage=DbsStage.SUBMITTED)
    application_reject(application=check.application, actor=None, reason="Withdrew offer after references")
    check.refresh_from_db()
    assert check.stage == DbsStage.CANCELLED
    assert check.events.get(to_stage=DbsStage.CANCELLED).note == "Application rejected"


def test_withdrawing_after_the_certificate_cancels_the_check_too():
    check = DbsCheckFactory(stage=DbsStage.CERTIFICATE_ISSUED, certificate_number="123456789012")
    application_move(application=check.application, to_stage=ApplicationStage.WITHDRAWN, actor=None)
    check.refresh_from_db()
    assert check.stage == DbsStage.CANCELLED


def test_an_ended_check_is_left_alone_when_the_application_ends():
    check = DbsCheckFactory(stage=DbsStage.DECISION_RECORDED, decision=DbsDecision.DO_NOT_PROCEED)
    application_reject(application=check.application, actor=None, reason="DBS decision: do not proceed")
    check.refresh_from_db()
    assert check.stage == DbsStage.DECISION_RECORDED


def test_the_same_board_application_twice_is_refused_with_its_own_message():
    vacancy = AdvertisedVacancyFactory()
    application_submit(candidate=CandidateFactory(), vacancy=vacancy, source="jobsphere", source_reference="JS-1")
    with pytest.raises(DomainError) as refused:
        application_submit(
            candidate=CandidateFactory(),
            vacancy=AdvertisedVacancyFactory(),
            source="jobsphere",
            source_reference="JS-1",
        )
    assert refused.value.field == "source_reference"
    assert refused.value.message == "JobSphere application JS-1 has already been received."
