"""Pagination: 20 rows a page by default, at most 100. Numbered pages for the short lists; a cursor for the large
ones (all applications, the change export), whose cost does not grow with the page number.

Bad paging input is the caller's error: an invalid page number, cursor or page size (anything but a whole number
from 1 to 100) answers 400 with the parameter named. DRF would quietly use 20 rows for a page size it cannot read
and 100 for one too large; a caller who asked for 1,000 rows would then think 100 were all there are.
"""

import base64
import binascii
import datetime
import json

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

# The latest and earliest times a timestamp can hold, by whether a walk runs newest first.
_END_OF_TIME = {
    True: datetime.datetime.max.replace(tzinfo=datetime.UTC),
    False: datetime.datetime.min.replace(tzinfo=datetime.UTC),
}


class PageSizeRule:
    """`?page_size=`: a whole number from 1 to `max_page_size`, else 400; `page_size` rows without it (or with it
    empty). The schema says so (minimum and maximum)."""

    page_size: int
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        given = request.query_params.get(self.page_size_query_param)
        if not given:  # absent, or given empty (`?page_size=`, as a form with the box left blank sends it)
            return self.page_size
        if not (given.isascii() and given.isdigit()) or not 1 <= int(given) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: f"The page size must be a whole number from 1 to {self.max_page_size}."}
            )
        return int(given)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size, "default": self.page_size}
        return parameters


class StandardPagination(PageSizeRule, PageNumberPagination):
    """`?page=` and `?page_size=` (default 20, at most 100); a page number that is not a page is 400."""

    page_size = 20

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise ValidationError({self.page_query_param: "This page number is not a page of the list."}) from exc


class KeysetCursorPagination(PageSizeRule, CursorPagination):
    """A cursor on (timestamp, id) in both directions, so rows sharing a timestamp are each listed once, in order.

    `ordering` is (timestamp field, "pk"), both ascending or both descending; the rows are dicts (`.values()`)
    holding the timestamp field and "id". A cursor names the row a page starts after (or, going back, before) and
    the direction; the next page's rows are those strictly after it in the list's order, found through the
    (timestamp, id) index whatever the page's depth. The answer's shape is DRF's cursor pagination: `next`,
    `previous`, `results`.
    """

    page_size = 20
    ordering: tuple[str, str]
    invalid_cursor_message = "This cursor is not valid: follow the next or previous link of a page."

    def _field(self) -> tuple[str, bool]:
        """The timestamp field and whether the list runs newest first."""
        field = self.ordering[0]
        return field.lstrip("-"), field.startswith("-")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        if not self.page_size:
            return None
        self.base_url = request.build_absolute_uri()
        field, descending = self._field()
        self.cursor = self._decode(request.query_params.get(self.cursor_query_param))
        backwards = bool(self.cursor and self.cursor[2])
        walk_descending = descending != backwards
        prefix = "-" if walk_descending else ""
        queryset = queryset.order_by(f"{prefix}{field}", f"{prefix}pk")
        beyond = "lt" if walk_descending else "gt"
        if self.cursor:
            value, pk, _ = self.cursor
            # (t, id) beyond (value, pk), written so that the first condition bounds the index range on its own.
            queryset = queryset.filter(**{f"{field}__{beyond}e": value}).filter(
                Q(**{f"{field}__{beyond}": value}) | Q(**{f"pk__{beyond}": pk})
            )
        else:
            # The first page is bounded too, by the end of time: without a range on the timestamp, SQLite's planner
            # may start from a joined table (the vacancies in a user's scope) and sort every row in scope (150 ms
            # for 30,000) instead of walking the (timestamp, id) index for a page as it does for the next ones.
            queryset = queryset.filter(**{f"{field}__{beyond}e": _END_OF_TIME[walk_descending]})
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        self.rows = rows
        self.has_next = more if not backwards else True
        self.has_previous = more if backwards else self.cursor is not None
        return rows

    def _decode(self, raw: str | None):
        """(timestamp, pk, backwards) from the query parameter, or None for the first page; 400 when unreadable."""
        if not raw:
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"=" * (-len(raw) % 4)))
            value = parse_datetime(data["t"])
            pk = int(data["k"])
            backwards = bool(data["b"])
        except (UnicodeEncodeError, binascii.Error, ValueError, KeyError, TypeError) as exc:
            raise ValidationError({self.cursor_query_param: self.invalid_cursor_message}) from exc
        if value is None:
            raise ValidationError({self.cursor_query_param: self.invalid_cursor_message})
        return value, pk, backwards

    def _link(self, row, *, backwards: bool) -> str:
        field, _ = self._field()
        data = {"t": row[field].isoformat(), "k": row["id"], "b": int(backwards)}
        token = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def get_next_link(self):
        if not self.has_next:
            return None
        if not self.rows:  # nothing left on this side of the cursor (rows deleted): start again at the top
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.rows[-1], backwards=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.rows:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._link(self.rows[0], backwards=True)


class ChangesCursorPagination(KeysetCursorPagination):
    """Oldest change first, on (stage_changed_at, id), however large the export."""

    ordering = ("stage_changed_at", "pk")


class ApplicationsCursorPagination(KeysetCursorPagination):
    """Newest first, on (submitted_at, id)."""

    ordering = ("-submitted_at", "-pk")
