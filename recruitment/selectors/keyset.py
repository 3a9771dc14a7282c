"""Keyset paging for the back-office lists that can grow: a page is the rows just after (or, going back, just
before) the edge row of the page the user came from, in the list's own order, so page 1,300 costs what page 1
costs (no OFFSET, no COUNT of every matching row).

The order is the queryset's own `order_by`: names of model fields or annotations, each ascending or descending,
ending with the primary key as the tiebreaker (so every row has one place). Its columns must never be NULL. A
cursor is those values of the edge row and the direction, as URL-safe base64 of JSON; it is read back through each
key's model field, so a tampered, cut or stale cursor is never an error: it is reported (`KeysetPage.stale`) and the
first page is shown instead.

A page takes two queries (with its count and the queryset's prefetches): the keys of the page's rows (on the list's
table with only the joins its filters need, so the planner walks the ordering's index), then those rows with
everything they show, by primary key. As one query with the joins for display, SQLite sorted every matching row
even for page 1 (42 ms against 0.1 ms on 100,000 applications).
"""

import base64
import binascii
import datetime
import decimal
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Field, Q, QuerySet
from django.utils import timezone

CURSOR_PARAMETER = "cursor"
# How far a list counts its rows ("more than 1,000"): counting every match is what made pages cost more as the table
# grows.
COUNT_LIMIT = 1_000


@dataclass(frozen=True)
class KeysetPage:
    """One page of a keyset-paged list, shaped for `includes/pagination.html` (like Django's `Page`).

    `count` is the number of matching rows up to `count_limit` + 1 (`more_than_limit` says it went past the limit),
    or exactly when `count_limit` is None; `stale` is true when the cursor asked for could not be read or led to no
    rows, so this is the first page.
    """

    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""
    count: int = 0
    count_limit: int | None = COUNT_LIMIT
    stale: bool = False

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def more_than_limit(self) -> bool:
        return self.count_limit is not None and self.count > self.count_limit


class InvalidCursor(ValueError):
    """A cursor that is not one this module wrote for this list's order."""


def _keys(queryset: QuerySet) -> list[tuple[str, bool]]:
    """(name, descending) for each term of the queryset's order, whose last term must be the primary key."""
    keys = []
    for term in queryset.query.order_by:
        if not isinstance(term, str) or "__" in term or term.lstrip("-") == "?":
            raise ValueError(f"Keyset paging needs plain field or annotation names to order by, not {term!r}.")
        keys.append((term.lstrip("-"), term.startswith("-")))
    if not keys or keys[-1][0] not in ("pk", queryset.model._meta.pk.name):
        raise ValueError("Keyset paging needs the primary key as the last term of the order.")
    return keys


def _field(queryset: QuerySet, name: str) -> Field:
    """The model field (or the annotation's output field) that reads a key's value back from a cursor."""
    if name in queryset.query.annotations:
        return queryset.query.annotations[name].output_field
    return queryset.model._meta.pk if name == "pk" else queryset.model._meta.get_field(name)


def _plain(value):
    """A key's value as JSON can hold it, exactly (Django's JSON encoder would cut microseconds)."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def encode_cursor(values: tuple, *, backwards: bool) -> str:
    """The cursor of the row with these key values: the page after it, or before it when `backwards`."""
    data = {"v": [_plain(value) for value in values], "b": int(backwards)}
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(queryset: QuerySet, cursor: str) -> tuple[list, bool]:
    """(key values, backwards) of a cursor for this queryset's order; InvalidCursor when it is not one."""
    keys = _keys(queryset)
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4)))
        raw, backwards = data["v"], data["b"]
        if not isinstance(raw, list) or len(raw) != len(keys) or backwards not in (0, 1):
            raise InvalidCursor(cursor)
        values = [_value(_field(queryset, name), value) for (name, _), value in zip(keys, raw, strict=True)]
    except (UnicodeEncodeError, binascii.Error, ValueError, ValidationError, KeyError, TypeError, OverflowError) as exc:
        raise InvalidCursor(cursor) from exc
    return values, bool(backwards)


def _value(model_field: Field, raw):
    """A key's value read back through its field: its type, choices and range (an id beyond the column's range
    would make SQLite raise), never NULL; a date and time must say its offset and is taken to UTC."""
    if raw is None or isinstance(raw, list | dict):
        raise InvalidCursor(raw)
    value = model_field.to_python(raw)
    model_field.validate(value, None)
    model_field.run_validators(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            raise InvalidCursor(raw)
        value = value.astimezone(datetime.UTC)
    return value


def _beyond(keys: list[tuple[str, bool]], values: list, *, backwards: bool) -> Q:
    """Rows strictly after the cursor's row in the list's order (before it when `backwards`): for keys k1..kn,
    k1 beyond v1, or k1 = v1 and k2 beyond v2, and so on; with a redundant bound on k1 alone, which the database
    can use as the start of an index range."""
    condition = Q()
    equal = Q()
    for (name, descending), value in zip(keys, values, strict=True):
        lookup = "lt" if descending != backwards else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    first, descending = keys[0]
    return Q(**{f"{first}__{'lte' if descending != backwards else 'gte'}": values[0]}) & condition


def count_up_to(queryset: QuerySet, limit: int = COUNT_LIMIT) -> int:
    """How many rows the queryset has, counting no further than `limit` + 1 (one query whose cost stops there)."""
    return queryset.order_by().values("pk")[: limit + 1].count()


def _take(keyed: QuerySet, size: int) -> tuple[list[tuple], bool]:
    """Up to `size` key tuples, and whether there were more."""
    found = list(keyed[: size + 1])
    return found[:size], len(found) > size


def keyset_page(
    queryset: QuerySet, *, cursor: str | None, size: int, count: bool = True, known_count: int | None = None
) -> KeysetPage:
    """The page of `queryset` (ordered as `_keys` needs) that `cursor` names, or the first page without one.

    With `count`, the page carries `count_up_to(queryset)` (no query when the first page holds every row), or
    `known_count`, exact, when the caller has it from a query it makes anyway. Going back to the start always lands
    on a full first page, however the rows changed meanwhile.
    """
    keys = _keys(queryset)
    keyed = queryset.prefetch_related(None).values_list(*(name for name, _ in keys))
    values, backwards, stale = None, False, False
    if cursor:
        try:
            values, backwards = decode_cursor(queryset, cursor)
        except InvalidCursor:
            stale = True
    if values is None:
        found, more = _take(keyed, size)
    else:
        beyond = keyed.filter(_beyond(keys, values, backwards=backwards))
        found, more = _take(beyond.reverse() if backwards else beyond, size)
        if not found or (backwards and not more):
            # Nothing on that side of the cursor (its rows are gone), or back at the start: the first page.
            stale = not found
            values, backwards = None, False
            found, more = _take(keyed, size)
    if backwards:
        found.reverse()
    rows = {row.pk: row for row in queryset.filter(pk__in=[key[-1] for key in found])} if found else {}
    has_next = more or backwards
    has_previous = values is not None and (more or not backwards)
    limit: int | None = COUNT_LIMIT
    if known_count is not None:
        total, limit = known_count, None
    elif not count:
        total = 0
    elif values is None and not more:
        total = len(found)
    else:
        total = count_up_to(queryset)
    return KeysetPage(
        object_list=[rows[key[-1]] for key in found if key[-1] in rows],
        has_next=has_next,
        has_previous=has_previous,
        next_cursor=encode_cursor(found[-1], backwards=False) if has_next else "",
        previous_cursor=encode_cursor(found[0], backwards=True) if has_previous else "",
        count=total,
        count_limit=limit,
        stale=stale,
    )
