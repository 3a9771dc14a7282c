"""Keyset paging (recruitment.selectors.keyset): every row once, in order, both ways, in each sort order; rows that
share their sort values; cursors that were tampered with or have gone stale; a query count that stays put."""

import base64
import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruitment.models import Application, DbsCheck, DbsStage
from recruitment.selectors.backoffice import DBS_SORTS, application_search, dbs_search
from recruitment.selectors.keyset import COUNT_LIMIT, KeysetPage, count_up_to, encode_cursor, keyset_page
from tests.factories import AdvertisedVacancyFactory, ApplicationFactory, DbsCheckFactory, DbsVacancyFactory
from tests.test_web_support import make_user

pytestmark = pytest.mark.django_db

SIZE = 4


@pytest.fixture
def user():
    return make_user(all_divisions=True)


@pytest.fixture
def applications():
    """Eleven applications, seven of them sharing one submission time (the id must break the tie)."""
    vacancy = AdvertisedVacancyFactory()
    rows = ApplicationFactory.create_batch(11, vacancy=vacancy)
    moment = timezone.now() - datetime.timedelta(days=1)
    Application.objects.filter(pk__in=[row.pk for row in rows[2:9]]).update(submitted_at=moment)
    return rows


def _walk_forward(queryset) -> list[list[int]]:
    """The ids of every page, following each page's next cursor from the first."""
    pages, cursor = [], None
    while True:
        page = keyset_page(queryset, cursor=cursor, size=SIZE)
        pages.append([row.pk for row in page])
        if not page.has_next:
            return pages
        cursor = page.next_cursor


def _walk_back(queryset, cursor: str) -> list[list[int]]:
    """The ids of every page, following each page's previous cursor from the one `cursor` names."""
    pages = []
    while True:
        page = keyset_page(queryset, cursor=cursor, size=SIZE)
        pages.insert(0, [row.pk for row in page])
        if not page.has_previous:
            return pages
        cursor = page.previous_cursor


def test_every_row_once_in_order_forwards_and_back(user, applications):
    queryset = application_search(user=user)
    expected = list(queryset.values_list("pk", flat=True))
    pages = _walk_forward(queryset)
    assert [pk for page in pages for pk in page] == expected
    assert [len(page) for page in pages] == [4, 4, 3]
    # Back from the last page: the same pages, the first one complete.
    last_page_cursor = encode_cursor(
        queryset.filter(pk=pages[-2][-1]).values_list("submitted_at", "pk").get(), backwards=False
    )
    assert _walk_back(queryset, last_page_cursor) == pages


@pytest.mark.parametrize("sort", list(DBS_SORTS))
def test_each_dbs_sort_order_pages_every_check_once(user, sort):
    """The default order is by an annotation (how urgent the stage is); checks share stages and times."""
    moment = timezone.now() - datetime.timedelta(days=3)
    stages = [DbsStage.NEEDS_REVIEW, DbsStage.WITH_DBS, DbsStage.AWAITING_CANDIDATE, DbsStage.CANCELLED]
    for number in range(10):
        DbsCheckFactory(application__vacancy=DbsVacancyFactory(), stage=stages[number % 4], stage_changed_at=moment)
    DbsCheck.objects.filter(pk__in=DbsCheck.objects.order_by("pk").values("pk")[:3]).update(
        stage_changed_at=moment - datetime.timedelta(hours=1)
    )
    queryset = dbs_search(user=user, sort=sort)
    expected = list(queryset.values_list("pk", flat=True))
    pages = _walk_forward(queryset)
    assert [pk for page in pages for pk in page] == expected
    assert len(set(expected)) == 10


def test_the_first_page_counts_without_a_query_and_later_pages_up_to_the_limit(user, applications):
    queryset = application_search(user=user)
    with CaptureQueriesContext(connection) as short:
        page = keyset_page(queryset, cursor=None, size=20)
    assert page.count == 11
    assert not page.more_than_limit
    assert not any("COUNT" in query["sql"] for query in short.captured_queries)
    page = keyset_page(queryset, cursor=None, size=SIZE)
    assert page.count == 11
    assert "LIMIT 1001" in _count_query(queryset, page.next_cursor)


def _count_query(queryset, cursor: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        keyset_page(queryset, cursor=cursor, size=SIZE)
    return next(query["sql"] for query in queries.captured_queries if "COUNT" in query["sql"])


def test_counting_stops_past_the_limit(user, applications):
    assert count_up_to(application_search(user=user), 5) == 6
    assert KeysetPage(object_list=[], has_next=True, has_previous=False, count=COUNT_LIMIT + 1).more_than_limit
    assert not KeysetPage(object_list=[], has_next=True, has_previous=False, count=COUNT_LIMIT).more_than_limit


def test_queries_stay_the_same_on_every_page(user, applications):
    queryset = application_search(user=user)
    first = keyset_page(queryset, cursor=None, size=SIZE)
    with CaptureQueriesContext(connection) as second:
        page = keyset_page(queryset, cursor=first.next_cursor, size=SIZE)
    with CaptureQueriesContext(connection) as third:
        keyset_page(queryset, cursor=page.next_cursor, size=SIZE)
    assert len(second) == len(third) == 4  # the page's keys, its rows, their documents, the count


def _raw(data) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


NOW = "2026-11-30T09:00:00+00:00"


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        "Zm9v",  # base64 of "foo": not JSON
        _raw(["a list"]),
        _raw({"v": [NOW], "b": 0}),  # a value short
        _raw({"v": [NOW, 1, 2], "b": 0}),  # a value too many
        _raw({"v": ["yesterday", 1], "b": 0}),
        _raw({"v": ["2026-11-30T09:00:00", 1], "b": 0}),  # no offset
        _raw({"v": [NOW, "one"], "b": 0}),
        _raw({"v": [NOW, None], "b": 0}),
        _raw({"v": [NOW, [1]], "b": 0}),
        _raw({"v": [NOW, 2**70], "b": 0}),  # beyond the id column (SQLite would raise)
        _raw({"v": [NOW, 1], "b": 7}),
        _raw({"v": ["0001-01-01T00:00:00+14:00", 1], "b": 0}),  # before the first representable instant in UTC
        "é",
    ],
)
def test_a_tampered_cursor_gives_the_first_page_and_says_so(user, applications, cursor):
    queryset = application_search(user=user)
    page = keyset_page(queryset, cursor=cursor, size=SIZE)
    assert page.stale
    assert [row.pk for row in page] == list(queryset.values_list("pk", flat=True)[:SIZE])
    assert not page.has_previous
    assert page.has_next


def test_a_cursor_of_another_sort_order_is_refused(user):
    """The action order's three keys against the two of "recent": the cursor is not read as a position."""
    DbsCheckFactory(application__vacancy=DbsVacancyFactory())
    recent = keyset_page(dbs_search(user=user, sort="recent"), cursor=None, size=1)
    cursor = encode_cursor((timezone.now(), recent.object_list[0].pk), backwards=False)
    assert keyset_page(dbs_search(user=user), cursor=cursor, size=SIZE).stale


def test_a_stale_cursor_still_leads_on_after_its_row_is_gone(user, applications):
    queryset = application_search(user=user)
    first = keyset_page(queryset, cursor=None, size=SIZE)
    Application.objects.filter(pk=first.object_list[-1].pk).delete()  # the row the cursor was made from
    second = keyset_page(queryset, cursor=first.next_cursor, size=SIZE)
    assert not second.stale
    assert [row.pk for row in second] == list(queryset.values_list("pk", flat=True)[SIZE - 1 : 2 * SIZE - 1])


def test_a_cursor_past_the_end_gives_the_first_page_and_says_so(user, applications):
    queryset = application_search(user=user)
    pages = _walk_forward(queryset)
    last = Application.objects.get(pk=pages[-1][-1])
    cursor = encode_cursor((last.submitted_at, last.pk), backwards=False)
    page = keyset_page(queryset, cursor=cursor, size=SIZE)
    assert page.stale
    assert [row.pk for row in page] == pages[0]


def test_going_back_to_the_start_fills_the_first_page(user, applications):
    """Rows of page 1 removed after page 2 was reached: Previous lands on a full first page, not half of one."""
    queryset = application_search(user=user)
    first = keyset_page(queryset, cursor=None, size=SIZE)
    second = keyset_page(queryset, cursor=first.next_cursor, size=SIZE)
    Application.objects.filter(pk__in=[row.pk for row in first.object_list[:2]]).delete()
    back = keyset_page(queryset, cursor=second.previous_cursor, size=SIZE)
    assert [row.pk for row in back] == list(queryset.values_list("pk", flat=True)[:SIZE])
    assert not back.has_previous
    assert back.has_next
    assert not back.stale


def test_going_back_past_new_rows_keeps_them_on_a_page_of_their_own(user, applications):
    queryset = application_search(user=user)
    first = keyset_page(queryset, cursor=None, size=SIZE)
    second = keyset_page(queryset, cursor=first.next_cursor, size=SIZE)
    ApplicationFactory.create_batch(2, vacancy=applications[0].vacancy)
    back = keyset_page(queryset, cursor=second.previous_cursor, size=SIZE)
    assert back.object_list == first.object_list
    assert back.has_previous
    newest = keyset_page(queryset, cursor=back.previous_cursor, size=SIZE)
    assert [row.pk for row in newest] == list(queryset.values_list("pk", flat=True)[:SIZE])


def test_the_cursor_keeps_to_the_scope_of_the_list(applications):
    """A cursor names a position, never rows: another user's list stays theirs."""
    queryset = application_search(user=make_user(all_divisions=True))
    cursor = keyset_page(queryset, cursor=None, size=SIZE).next_cursor
    outsider = make_user()  # no division at all
    page = keyset_page(application_search(user=outsider), cursor=cursor, size=SIZE)
    assert page.object_list == []
    assert page.count == 0


def test_an_order_without_the_id_last_is_refused(user):
    with pytest.raises(ValueError, match="primary key"):
        keyset_page(Application.objects.order_by("-submitted_at"), cursor=None, size=SIZE)


def test_a_count_the_caller_knows_is_exact_and_not_counted_again(user, applications):
    queryset = application_search(user=user)
    first = keyset_page(queryset, cursor=None, size=SIZE)
    with CaptureQueriesContext(connection) as queries:
        page = keyset_page(queryset, cursor=first.next_cursor, size=SIZE, known_count=5_000)
    assert page.count == 5_000
    assert not page.more_than_limit  # exact: "5000 ...", never "More than 1,000"
    assert not any("COUNT" in query["sql"] for query in queries.captured_queries)
