"""`manage.py seed_demo`: every status and stage is there, the printed logins work, a second run changes nothing."""

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import models
from django.test import Client

from recruitment.models import (
    ADVERTISED_STATUSES,
    EO_VIEW_PERMISSION,
    Application,
    ApplicationStage,
    Candidate,
    DataScope,
    DbsCheck,
    DbsDecision,
    DbsStage,
    EqualOpportunities,
    Vacancy,
    VacancyEvent,
    VacancyStatus,
)
from recruitment.services.vacancies import approval_refusal
from recruitment.sources import board_sources, source_choices, source_label

pytestmark = pytest.mark.django_db

User = get_user_model()


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _printed_logins(output: str) -> dict[str, str]:
    return dict(re.findall(r"login (\S+) / (\S+)", output))


def _tracked_models() -> list[type[models.Model]]:
    """Every recruitment model (with its many-to-many tables), users, groups and their memberships and permissions."""
    return [
        *apps.get_app_config("recruitment").get_models(include_auto_created=True),
        User,
        Group,
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    ]


def _rows() -> dict[str, list[dict]]:
    """Every row of the tracked models, every column included (auto_now timestamps too), in primary-key order."""
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in _tracked_models()}


def test_seed_covers_every_vacancy_status_application_stage_and_dbs_stage():
    _seed()

    assert set(Vacancy.objects.values_list("status", flat=True)) == set(VacancyStatus.values)
    assert set(Application.objects.values_list("stage", flat=True)) == set(ApplicationStage.values)
    assert set(DbsCheck.objects.values_list("stage", flat=True)) == set(DbsStage.values)
    assert set(DbsCheck.objects.values_list("decision", flat=True)) == {"", *DbsDecision.values}
    assert set(Application.objects.values_list("source", flat=True)) == {code for code, _ in source_choices()}
    # A board's applications carry its name, as those its webhooks bring do.
    for code in board_sources():
        assert set(Application.objects.filter(source=code).values_list("source_name", flat=True)) == {
            source_label(code)
        }
    assert Vacancy.objects.count() == 20
    assert Candidate.objects.count() == 200
    assert 300 <= Application.objects.count() <= 400
    assert EqualOpportunities.objects.count() > Application.objects.count() // 2
    # Applied while advertised, closed afterwards.
    assert Application.objects.filter(vacancy__status=VacancyStatus.CLOSED).exists()
    assert not Application.objects.exclude(vacancy__status__in=(*ADVERTISED_STATUSES, VacancyStatus.CLOSED)).exists()


def test_printed_logins_work_and_the_recruiter_cannot_see_equal_opportunities():
    output = _seed()

    assert "http://127.0.0.1:8000/admin/" in output
    logins = _printed_logins(output)
    assert set(logins) == {"admin", "recruiter", "manager"}
    for username, password in logins.items():
        client = Client()
        signed_in = client.post("/admin/login/", {"username": username, "password": password, "next": "/admin/"})
        assert signed_in.status_code == 302, username
        assert client.get("/admin/").status_code == 200, username
    recruiter = User.objects.get(username="recruiter")
    assert not recruiter.is_superuser
    assert recruiter.groups.filter(name="Recruiters").exists()
    assert recruiter.has_perm("recruitment.change_application")
    assert recruiter.has_perm("recruitment.change_dbscheck")
    assert not recruiter.has_perm(EO_VIEW_PERMISSION)
    assert User.objects.get(username="admin").has_perm(EO_VIEW_PERMISSION)
    recruiter_scope = DataScope.objects.get(user=recruiter)
    assert not recruiter_scope.all_divisions
    assert recruiter_scope.divisions.count() == 2
    assert DataScope.objects.get(user__username="admin").all_divisions
    assert DataScope.objects.get(user__username="manager").all_divisions
    assert User.objects.get(username="manager").has_perm("recruitment.approve_vacancy")


def test_passwords_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "an-Admin-pass-from-env")
    monkeypatch.setenv("DEMO_RECRUITER_PASSWORD", "a-Recruiter-pass-from-env")
    monkeypatch.setenv("DEMO_MANAGER_PASSWORD", "a-Manager-pass-from-env")

    logins = _printed_logins(_seed())

    assert logins == {
        "admin": "an-Admin-pass-from-env",
        "recruiter": "a-Recruiter-pass-from-env",
        "manager": "a-Manager-pass-from-env",
    }
    assert User.objects.get(username="admin").check_password("an-Admin-pass-from-env")
    assert User.objects.get(username="recruiter").check_password("a-Recruiter-pass-from-env")
    assert not User.objects.get(username="admin").check_password("admin-demo-2026")


def test_a_second_run_changes_nothing():
    _seed()
    before = _rows()

    output = _seed()

    after = _rows()
    assert {label: len(rows) for label, rows in after.items()} == {label: len(rows) for label, rows in before.items()}
    assert after == before
    assert "0 new vacancies, 0 new applications, 0 new candidates" in output


def test_the_demo_shows_the_approval_step_with_two_people():
    """Every approved demo vacancy was approved by someone other than its recruiter and its submitter, and the
    vacancies awaiting approval wait for another person than the one who submitted them."""
    _seed()
    manager = User.objects.get(username="manager")
    approved = Vacancy.objects.exclude(approved_by=None)
    assert approved.exists()
    for vacancy in approved:
        assert vacancy.approved_by == manager
        assert vacancy.recruiter != manager
        submitted = vacancy.events.filter(action=VacancyEvent.Action.SUBMITTED).get()
        assert submitted.actor == vacancy.recruiter
        assert vacancy.events.filter(action=VacancyEvent.Action.APPROVED, actor=manager).exists()
    waiting = Vacancy.objects.filter(status=VacancyStatus.AWAITING_APPROVAL)
    assert waiting.exists()
    assert all(approval_refusal(vacancy, vacancy.recruiter) for vacancy in waiting)
    assert not any(approval_refusal(vacancy, manager) for vacancy in waiting)
    for ended in Vacancy.objects.filter(status__in=(VacancyStatus.CLOSED, VacancyStatus.CANCELLED)):
        assert ended.events.get(to_status=ended.status).note  # the reason given
