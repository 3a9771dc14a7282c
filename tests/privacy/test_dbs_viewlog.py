"""The DBS viewer log: every display of certificate details (back-office, admin, API) writes who saw which check,
when and where; admins read it, nobody edits it, and it outlives the purge."""

import pytest
from django.urls import reverse

from recruitment.models import DbsStage, DbsViewChannel, DbsViewLog
from recruitment.privacy.anonymise import dbs_checks_reduce, dbs_checks_strip
from tests.api.conftest import make_partner
from tests.factories import (
    DbsCheckFactory,
    DbsVacancyFactory,
    DbsViewLogFactory,
    DivisionFactory,
    StaffUserFactory,
    SuperUserFactory,
)
from tests.test_web_support import make_user, signed_in

pytestmark = pytest.mark.django_db


def logged() -> list[tuple[int, str, str]]:
    return list(DbsViewLog.objects.order_by("pk").values_list("dbs_check_id", "viewer_username", "channel"))


def test_the_back_office_page_logs_each_display_and_the_list_shows_no_details():
    division = DivisionFactory()
    check = DbsCheckFactory(application__vacancy=DbsVacancyFactory(division=division))
    user = make_user(divisions=[division], username="recruiter1")
    client = signed_in(user)

    assert client.get(reverse("dbs-list")).status_code == 200
    assert logged() == []
    assert client.get(reverse("dbs-detail", args=[check.pk])).status_code == 200
    client.post(reverse("dbs-detail", args=[check.pk]), {"to_stage": DbsStage.CERTIFICATE_ISSUED})  # refused: shown
    assert logged() == [(check.pk, "recruiter1", "backoffice")] * 2


def test_a_page_out_of_scope_is_not_shown_and_not_logged():
    check = DbsCheckFactory()
    client = signed_in(make_user(divisions=[DivisionFactory()]))
    assert client.get(reverse("dbs-detail", args=[check.pk])).status_code == 404
    assert logged() == []


def test_the_admin_change_page_logs_each_display():
    check = DbsCheckFactory()
    admin_user = SuperUserFactory(username="admin1")
    client = signed_in(admin_user)

    assert client.get(reverse("admin:recruitment_dbscheck_changelist")).status_code == 200
    assert logged() == []
    assert client.get(reverse("admin:recruitment_dbscheck_change", args=[check.pk])).status_code == 200
    assert logged() == [(check.pk, "admin1", "admin")]
    saved = client.post(
        reverse("admin:recruitment_dbscheck_change", args=[check.pk]),
        {"move_to": DbsStage.ID_VERIFIED, "note": ""},
    )
    assert saved.status_code == 302  # saved and redirected: nothing shown, nothing logged
    assert len(logged()) == 1


def test_the_api_logs_one_row_per_check_shown():
    partner = make_partner()
    checks = [DbsCheckFactory(application__vacancy=DbsVacancyFactory(division=partner.division)) for _ in range(3)]
    DbsCheckFactory()  # out of scope: never shown
    username = partner.user.username

    listing = partner.client.get("/api/v1/dbs-checks/", {"page_size": 2})
    shown = [row["id"] for row in listing.json()["results"]]
    assert len(shown) == 2
    assert sorted(logged()) == sorted((pk, username, "api") for pk in shown)

    DbsViewLog.objects.all().delete()
    assert partner.client.get(f"/api/v1/dbs-checks/{checks[0].pk}/").status_code == 200
    patched = partner.client.patch(f"/api/v1/dbs-checks/{checks[1].pk}/", {"stage": "id_verified"}, format="json")
    assert patched.status_code == 200
    assert logged() == [(checks[0].pk, username, "api"), (checks[1].pk, username, "api")]


def test_the_log_survives_the_purge_and_the_checks_deletion():
    check = DbsCheckFactory()
    entry = DbsViewLogFactory(dbs_check_id=check.pk, channel=DbsViewChannel.API)
    dbs_checks_reduce([check.pk], check.stage_changed_at)
    dbs_checks_strip([check.pk], check.stage_changed_at)
    check_id = check.pk
    check.delete()
    entry.refresh_from_db()
    assert (entry.dbs_check_id, entry.channel) == (check_id, "api")


def test_admins_read_the_log_and_nobody_edits_it():
    entry = DbsViewLogFactory()
    client = signed_in(SuperUserFactory())

    listing = client.get(reverse("admin:recruitment_dbsviewlog_changelist"))
    assert listing.status_code == 200
    assert entry.viewer_username in listing.content.decode()
    assert f"#{entry.dbs_check_id}" in listing.content.decode()
    assert client.get(reverse("admin:recruitment_dbsviewlog_add")).status_code == 403
    assert (
        client.post(reverse("admin:recruitment_dbsviewlog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    page = client.get(reverse("admin:recruitment_dbsviewlog_change", args=[entry.pk]))
    assert page.status_code == 200
    assert 'name="viewer_username"' not in page.content.decode()

    client.force_login(StaffUserFactory())
    assert client.get(reverse("admin:recruitment_dbsviewlog_changelist")).status_code == 403
