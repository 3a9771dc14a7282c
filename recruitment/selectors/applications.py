"""Read queries for applications, shared by the back-office, the API and the 24-hour change export."""

import contextlib
import datetime
import functools
import itertools
import operator
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet

from recruitment.models import Application, ApplicationDocument, EqualOpportunities
from recruitment.selectors.scope import applications_visible_to
from recruitment.services.candidates import CANDIDATE_FIELDS

# The columns of an application row (`application_rows`): the application's own, then related ones by their paths.
APPLICATION_ROW_FIELDS = (
    "id",
    "stage",
    "stage_changed_at",
    "submitted_at",
    "source",
    "source_name",
    "partner_client__name",
    "candidate_id",
    *(f"candidate__{name}" for name in CANDIDATE_FIELDS),
    "vacancy__reference",
    "vacancy__title_for_candidates",
    "cover_letter",
)
# The equal-opportunities answers as the export shows them (every field but the keys), and the row's columns for them.
EQUAL_OPPORTUNITIES_FIELDS = tuple(
    field.name for field in EqualOpportunities._meta.concrete_fields if field.name not in ("id", "application")
)
EQUAL_OPPORTUNITIES_ROW_FIELDS = (
    "equal_opportunities__id",
    *(f"equal_opportunities__{n}" for n in EQUAL_OPPORTUNITIES_FIELDS),
)
DOCUMENT_FIELDS = ("kind", "original_name", "content_type", "size")


def application_list(*, user) -> QuerySet[Application]:
    """Applications the user may see, with candidate, vacancy and documents fetched up front (no N+1)."""
    queryset = applications_visible_to(user).select_related(
        "candidate", "vacancy", "vacancy__division", "partner_client"
    )
    return queryset.prefetch_related(
        Prefetch("documents", queryset=ApplicationDocument.objects.order_by("kind"))
    ).order_by("-submitted_at", "-pk")


def _row_fields(with_equal_opportunities: bool) -> tuple[str, ...]:
    return APPLICATION_ROW_FIELDS + (EQUAL_OPPORTUNITIES_ROW_FIELDS if with_equal_opportunities else ())


@functools.cache
def _rows_template(with_equal_opportunities: bool) -> QuerySet[dict]:
    """Every application as a dict row: resolving the row's 22 to 40 column paths into joins is a third of the cost
    of building a page's query (0.2 ms of 0.5, SQLite), so it is done once per process. Never evaluated itself:
    every use filters or orders it, which makes a copy (Django querysets are cloned on every change)."""
    return Application.objects.values(*_row_fields(with_equal_opportunities))


def application_rows(*, user, with_equal_opportunities: bool = False) -> QuerySet[dict]:
    """Applications the user may see as dict rows (APPLICATION_ROW_FIELDS, plus EQUAL_OPPORTUNITIES_ROW_FIELDS when
    asked: None where there are no answers), newest first: the partner API's lists, without model objects.

    Documents are not joined (a page's come from `application_documents`, one query).
    """
    return applications_visible_to(user, _rows_template(with_equal_opportunities)).order_by("-submitted_at", "-pk")


def application_change_rows(
    *, user, since: datetime.datetime, with_equal_opportunities: bool = False
) -> QuerySet[dict]:
    """`application_rows` whose stage changed at or after `since`, oldest change first (stable for cursor paging)."""
    return (
        application_rows(user=user, with_equal_opportunities=with_equal_opportunities)
        .filter(stage_changed_at__gte=since)
        .order_by("stage_changed_at", "pk")
    )


@functools.cache
def _documents_template() -> QuerySet[tuple]:
    """Every document as (application id, *DOCUMENT_FIELDS), in order: built once per process, like
    `_rows_template`, and never evaluated itself."""
    documents = ApplicationDocument.objects.order_by("application_id", "kind")
    return documents.values_list("application_id", *DOCUMENT_FIELDS)


def application_documents(*, application_ids: Iterable[int]) -> dict[int, list[dict]]:
    """The documents (DOCUMENT_FIELDS) of these applications by application id, each list in kind order; one query.

    The ids must come from a scoped query: this reads no scope of its own.
    """
    found: dict[int, list[dict]] = {}
    for application_id, *values in _documents_template().filter(application_id__in=list(application_ids)):
        found.setdefault(application_id, []).append(dict(zip(DOCUMENT_FIELDS, values, strict=True)))
    return found


def application_change_stream(
    *,
    user,
    since: datetime.datetime,
    with_equal_opportunities: bool,
    with_documents: bool,
    chunk_size: int = 2000,
) -> Iterator[tuple[dict, list[dict]]]:
    """Every `application_change_rows` row with its documents (as `application_documents` gives them; [] without
    `with_documents`), oldest change first, read by one query through one server-side cursor (PostgreSQL; SQLite
    fetches `chunk_size` rows at a time): memory stays flat however many rows there are.

    The documents are joined in (a row per document, or one with None where there are none), so an application's
    rows come one after another and are put back into one here. Measured on 100,000 applications, the join costs
    half what a documents query per chunk or a correlated subquery per row does.
    """
    document_columns = tuple(f"documents__{name}" for name in DOCUMENT_FIELDS) if with_documents else ()
    rows = (
        applications_visible_to(user)
        .filter(stage_changed_at__gte=since)
        .values(*_row_fields(with_equal_opportunities), *document_columns)
        .order_by("stage_changed_at", "pk")  # not by document kind too: that costs SQLite a sort of every row
    )
    with _whole_result_plan():
        if not with_documents:
            for row in rows.iterator(chunk_size=chunk_size):
                yield row, []
            return
        columns = tuple(zip(DOCUMENT_FIELDS, document_columns, strict=True))
        for _pk, group in itertools.groupby(rows.iterator(chunk_size=chunk_size), key=operator.itemgetter("id")):
            documents = []
            for row in group:
                document = {name: row.pop(column) for name, column in columns}
                if document["kind"] is not None:
                    documents.append(document)
            if len(documents) > 1:
                documents.sort(key=operator.itemgetter("kind"))
            yield row, documents


@contextlib.contextmanager
def _whole_result_plan() -> Iterator[None]:
    """On PostgreSQL, a read transaction whose planner aims at the whole result (`cursor_tuple_fraction` 1): a
    server-side cursor is planned by default for its first 10% of rows (nested loops), which costs a read of every
    row about twice the time of the hash joins a whole result gets. On SQLite nothing (a transaction there would
    hold the write lock while the rows are sent)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
        yield
