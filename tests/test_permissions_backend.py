"""The permission backend answers what Django's ModelBackend answers, in one query."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruitment.models import Vacancy
from recruitment.permissions_backend import OneQueryModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def permissions(*codenames: str) -> list[Permission]:
    return list(Permission.objects.filter(codename__in=codenames))


def fresh(user):
    """The user as a new request loads it (permission caches live on the user object)."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def users() -> dict:
    """Users whose permissions come from each source, and none."""
    editors = Group.objects.create(name="Editors")
    editors.permissions.add(*permissions("change_vacancy", "view_vacancy"))
    viewers = Group.objects.create(name="Viewers")
    viewers.permissions.add(*permissions("view_vacancy", "view_application"))
    own = UserFactory()
    own.user_permissions.add(*permissions("add_application", "view_dbscheck"))
    grouped = UserFactory()
    grouped.groups.add(editors, viewers)
    both = UserFactory()
    both.user_permissions.add(*permissions("view_vacancy", "delete_candidate"))
    both.groups.add(editors)
    inactive = UserFactory(is_active=False)
    inactive.user_permissions.add(*permissions("view_vacancy"))
    return {
        "none": UserFactory(),
        "own": own,
        "grouped": grouped,
        "both": both,
        "inactive": inactive,
        "superuser": UserFactory(is_superuser=True),
    }


@pytest.mark.parametrize("who", ["none", "own", "grouped", "both", "inactive", "superuser"])
def test_the_same_permissions_as_djangos_backend(users, who):
    ours = OneQueryModelBackend().get_all_permissions(fresh(users[who]))
    assert ours == ModelBackend().get_all_permissions(fresh(users[who]))
    assert bool(ours) == (who != "none" and who != "inactive")


def test_the_same_answers_to_has_perm_and_has_module_perms(users):
    ours, djangos = OneQueryModelBackend(), ModelBackend()
    for user in users.values():
        for perm in ("recruitment.view_vacancy", "recruitment.delete_candidate", "recruitment.add_application"):
            assert ours.has_perm(fresh(user), perm) == djangos.has_perm(fresh(user), perm)
        for app in ("recruitment", "boards"):
            assert ours.has_module_perms(fresh(user), app) == djangos.has_module_perms(fresh(user), app)


def test_nothing_for_an_object(users):
    vacancy = Vacancy(pk=1)
    assert OneQueryModelBackend().get_all_permissions(fresh(users["both"]), obj=vacancy) == set()


def test_one_query_once_per_user_object(users):
    user = fresh(users["both"])
    with CaptureQueriesContext(connection) as captured:
        assert user.has_perm("recruitment.change_vacancy")
        assert user.has_perm("recruitment.delete_candidate")
        assert not user.has_perm("recruitment.delete_vacancy")
    assert len(captured) == 1


def test_a_permission_taken_away_is_gone_at_the_next_request(users):
    user = users["own"]
    assert fresh(user).has_perm("recruitment.add_application")
    user.user_permissions.remove(*permissions("add_application"))
    assert not fresh(user).has_perm("recruitment.add_application")
