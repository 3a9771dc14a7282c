"""One definition of "open for applications" (advertised, closing day not over in Europe/London) used by the careers
site, the partner API, the services and the admin; and the daily task that closes what is past its closing date,
through the close service, whose signal the boards take the adverts down on. The clock is moved with
time-machine."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django_q.models import Schedule

from recruitment.errors import DomainError
from recruitment.models import Application, Candidate, Vacancy, VacancyStatus
from recruitment.services.applications import application_submit
from recruitment.services.schedules import CLOSING_SCHEDULE_NAME, schedules_ensure
from recruitment.signals import vacancy_ended
from recruitment.tasks import close_vacancies_past_closing_date
from tests.api.conftest import make_partner
from tests.factories import PDF_BYTES, AdvertisedVacancyFactory, CandidateFactory, SuperUserFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
CLOSING_DAY = datetime.date(2026, 6, 15)  # British Summer Time: London is UTC+1
# The last minute of the closing day in London, and the first of the next day (still the 15th in UTC).
LAST_MINUTE = datetime.datetime(2026, 6, 15, 23, 59, 30, tzinfo=LONDON)
NEXT_DAY = datetime.datetime(2026, 6, 16, 0, 0, 30, tzinfo=LONDON)


@pytest.fixture
def job():
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON), tick=False):
        return AdvertisedVacancyFactory(closing_date=CLOSING_DAY)


def test_open_until_midnight_at_the_end_of_the_closing_day_in_london(job, settings):
    settings.TIME_ZONE = "UTC"  # the rule counts in London whatever the server's zone
    with time_machine.travel(LAST_MINUTE, tick=False):
        assert Vacancy.objects.open_for_applications().filter(pk=job.pk).exists()
        assert job.is_open_for_applications
    with time_machine.travel(NEXT_DAY, tick=False):
        assert NEXT_DAY.astimezone(datetime.UTC).date() == CLOSING_DAY  # UTC would still say "today"
        assert not Vacancy.objects.open_for_applications().filter(pk=job.pk).exists()
        assert not job.is_open_for_applications
        assert Vacancy.objects.past_closing_date().filter(pk=job.pk).exists()


def test_the_partner_api_lists_only_jobs_open_for_applications():
    partner = make_partner()
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON), tick=False):
        past = AdvertisedVacancyFactory(division=partner.division, closing_date=CLOSING_DAY)
        still_open = AdvertisedVacancyFactory(division=partner.division, closing_date=CLOSING_DAY.replace(day=16))
        internal = AdvertisedVacancyFactory(
            division=partner.division,
            closing_date=CLOSING_DAY.replace(day=16),
            status=VacancyStatus.ADVERTISED_INTERNAL,
        )
    with time_machine.travel(NEXT_DAY, tick=False):
        listed = [job["reference"] for job in partner.client.get("/api/v1/jobs/").json()["results"]]
        assert listed == [still_open.reference, internal.reference]
        assert partner.client.get(f"/api/v1/jobs/{past.reference}/").status_code == 404
        response = partner.client.post(
            "/api/v1/applications/",
            {
                "job": past.reference,
                "first_name": "Amara",
                "last_name": "Okafor",
                "email": "amara@example.com",
                "privacy_notice_accepted": "true",
                "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES),
            },
            format="multipart",
        )
        assert response.status_code == 400
        assert response.json()["errors"] == [{"field": "job", "message": "There is no open job with this reference."}]
    assert not Application.objects.exists()
    assert not Candidate.objects.exists()


def test_the_careers_site_lists_and_takes_applications_until_the_end_of_the_day(job, client):
    with time_machine.travel(LAST_MINUTE, tick=False):
        assert job.title_for_candidates in client.get(reverse("careers-list")).text
        assert client.get(reverse("careers-apply", args=[job.reference])).status_code == 200
    with time_machine.travel(NEXT_DAY, tick=False):
        assert job.title_for_candidates not in client.get(reverse("careers-list")).text
        assert client.get(reverse("careers-apply", args=[job.reference])).status_code == 410


def test_the_service_refuses_an_application_after_the_closing_day(job):
    candidate = CandidateFactory()
    with time_machine.travel(NEXT_DAY, tick=False), pytest.raises(DomainError) as excinfo:
        application_submit(candidate=candidate, vacancy=job)
    assert excinfo.value.message == "This job is not open for applications."
    with time_machine.travel(LAST_MINUTE, tick=False):
        application_submit(candidate=candidate, vacancy=job)
    assert Application.objects.count() == 1


def test_the_admin_refuses_an_application_to_a_job_past_its_closing_date(job, client):
    candidate = CandidateFactory()
    client.force_login(SuperUserFactory())
    with time_machine.travel(NEXT_DAY, tick=False):
        response = client.post(
            reverse("admin:recruitment_application_add"),
            {"candidate": candidate.pk, "vacancy": job.pk, "source": "direct"},
        )
        assert response.status_code == 200
        assert "This job is not open for applications." in response.text
        open_filter = client.get(reverse("admin:recruitment_vacancy_changelist"), {"open": "yes"}).text
        assert job.reference not in open_filter
        assert job.reference in client.get(reverse("admin:recruitment_vacancy_changelist"), {"open": "no"}).text
    assert not Application.objects.exists()


def test_the_task_closes_vacancies_past_their_closing_day_and_tells_the_boards(job, django_capture_on_commit_callbacks):
    """Closed through `vacancy_close`, which sends `vacancy_ended` once committed: the signal the boards take their
    adverts down on (their own tests cover what they do with it)."""
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON), tick=False):
        tomorrow = AdvertisedVacancyFactory(closing_date=CLOSING_DAY.replace(day=16))
    ended = []

    def listener(sender, *, vacancy, **kwargs):
        ended.append(vacancy.pk)

    vacancy_ended.connect(listener)
    try:
        with time_machine.travel(LAST_MINUTE, tick=False):
            assert close_vacancies_past_closing_date() == 0
        with time_machine.travel(NEXT_DAY, tick=False), django_capture_on_commit_callbacks(execute=True):
            assert close_vacancies_past_closing_date() == 1
        with time_machine.travel(NEXT_DAY, tick=False), django_capture_on_commit_callbacks(execute=True):
            assert close_vacancies_past_closing_date() == 0  # a second run finds nothing more to do
    finally:
        vacancy_ended.disconnect(listener)
    job.refresh_from_db()
    tomorrow.refresh_from_db()
    assert job.status == VacancyStatus.CLOSED
    assert job.closed_at == NEXT_DAY
    assert tomorrow.status == VacancyStatus.ADVERTISED_EXTERNAL
    assert ended == [job.pk]


def test_the_closing_schedule_exists_after_migrate_alone():
    Schedule.objects.filter(name=CLOSING_SCHEDULE_NAME).delete()
    call_command("migrate", verbosity=0)
    scheduled = Schedule.objects.get(name=CLOSING_SCHEDULE_NAME)
    assert scheduled.func == "recruitment.tasks.close_vacancies_past_closing_date"
    assert scheduled.schedule_type == Schedule.DAILY
    assert scheduled.repeats == -1
    first_run = scheduled.next_run
    call_command("migrate", verbosity=0)
    assert Schedule.objects.filter(name=CLOSING_SCHEDULE_NAME).count() == 1
    assert Schedule.objects.get(name=CLOSING_SCHEDULE_NAME).next_run == first_run  # kept, not reset


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime.datetime(2026, 6, 15, 12, 0, tzinfo=LONDON), datetime.datetime(2026, 6, 16, 0, 5, tzinfo=LONDON)),
        (datetime.datetime(2026, 1, 15, 23, 59, tzinfo=LONDON), datetime.datetime(2026, 1, 16, 0, 5, tzinfo=LONDON)),
        (datetime.datetime(2026, 3, 29, 0, 1, tzinfo=LONDON), datetime.datetime(2026, 3, 29, 0, 5, tzinfo=LONDON)),
    ],
    ids=["summer", "winter", "clocks-go-forward-day"],
)
def test_the_first_run_is_the_next_0005_london_time(now, expected):
    Schedule.objects.filter(name=CLOSING_SCHEDULE_NAME).delete()
    with time_machine.travel(now, tick=False):
        scheduled = schedules_ensure()
    assert scheduled.next_run == expected
