"""Pagination: numbered pages of 20 (at most 100) for lists, a cursor for the large change export."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (default 20, at most 100)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ChangesCursorPagination(CursorPagination):
    """A stable cursor over (stage_changed_at, id): pages of up to 100 however large the export."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("stage_changed_at", "pk")
