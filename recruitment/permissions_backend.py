"""The permission backend: Django's `ModelBackend`, reading a user's permissions in one query.

Django's `ModelBackend` reads a user's own permissions and their groups' permissions in two queries, each built
through the ORM. For a partner API request by a user who is not a superuser that was 0.9 ms of about 6 (SQLite,
`bench/api.py`), the largest cost after authentication; every back-office page that checks a permission paid it
too. `OneQueryModelBackend` reads both in one query of plain SQL instead. What it answers is Django's to the letter
(tests/test_permissions_backend.py compares the two): the same "app_label.codename" strings, nothing for inactive or
anonymous users or for an object, and Django's own answer for superusers (every permission). Sign-in, `with_perm`
and the rest are Django's, unchanged.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router


@functools.cache
def _permissions_sql(alias: str) -> str:
    """The query for the database `alias`, with the tables and columns of the configured user model (a custom user
    model's too); two parameters, the user's id twice."""
    quote = connections[alias].ops.quote_name
    user_model = get_user_model()
    own = user_model._meta.get_field("user_permissions")
    member = user_model._meta.get_field("groups")
    granted = Group._meta.get_field("permissions")
    permission, content_type = Permission._meta, ContentType._meta
    # Only names from the models' metadata, quoted, go into the text; the user's id is a parameter.
    return (
        f"SELECT ct.{quote('app_label')}, p.{quote('codename')} "  # noqa: S608
        f"FROM {quote(permission.db_table)} p "
        f"JOIN {quote(content_type.db_table)} ct ON ct.{quote('id')} = p.{quote('content_type_id')} "
        f"WHERE p.{quote('id')} IN ("
        f"SELECT {quote(own.m2m_reverse_name())} FROM {quote(own.m2m_db_table())} "
        f"WHERE {quote(own.m2m_column_name())} = %s"
        f") OR p.{quote('id')} IN ("
        f"SELECT gp.{quote(granted.m2m_reverse_name())} FROM {quote(granted.m2m_db_table())} gp "
        f"JOIN {quote(member.m2m_db_table())} ug "
        f"ON ug.{quote(member.m2m_reverse_name())} = gp.{quote(granted.m2m_column_name())} "
        f"WHERE ug.{quote(member.m2m_column_name())} = %s)"
    )


class OneQueryModelBackend(ModelBackend):
    """`django.contrib.auth.backends.ModelBackend` with `get_all_permissions` in one query (see the module)."""

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """The user's permissions from their own and their groups', as "app_label.codename"; read once per user
        object (as Django does: so once per request)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_all_permissions(user_obj, obj)
        if not hasattr(user_obj, "_perm_cache"):
            alias = router.db_for_read(Permission)
            with connections[alias].cursor() as cursor:
                cursor.execute(_permissions_sql(alias), [user_obj.pk, user_obj.pk])
                user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in cursor.fetchall()}
        return user_obj._perm_cache
