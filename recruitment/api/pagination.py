"""Pagination: 20 rows a page by default, at most 100. Numbered pages for the short lists; a cursor for the large
ones (all applications, the change export), whose cost does not grow with the page number."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (default 20, at most 100)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class _Cursor(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ChangesCursorPagination(_Cursor):
    """A stable cursor over (stage_changed_at, id), oldest change first, however large the export."""

    ordering = ("stage_changed_at", "pk")


class ApplicationsCursorPagination(_Cursor):
    """A stable cursor over (submitted_at, id), newest first."""

    ordering = ("-submitted_at", "-pk")
