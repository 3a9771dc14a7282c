"""Drift: the fields where a posting's saved values no longer match its vacancy, and what taking the vacancy's
values would do on the board.

A posting's values start as the vacancy's (the adapter's `initial_values`) and are kept as saved. When the vacancy
changes afterwards (its closing date moved, its title reworded), the posting still holds the old value and the board
still shows it. A field has drifted when the vacancy's value has changed since the posting's values were saved (the
baseline, `Posting.vacancy_values`) and the saved value differs from the vacancy's now. A field the recruiter changed
on purpose (the saved value differs, but the vacancy has not changed since) is not drift, so a title shortened to fit
a board is not flagged for ever. A posting saved before baselines were kept compares with the vacancy directly, for
the fields the vacancy fills.

Values are compared by meaning, the way the spec reads them: 31049.00 and 31,049 are one amount, a postcode is the
same however it is spaced, a list of choices is the same in any order, line endings and outer spaces do not count.
Pure functions of the adapter, the vacancy and the posting: `initial_values` is the only read.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from boards.base import BoardAdapter, Capability, FieldSpec, FieldType
from boards.types import BoardStatus
from recruitment.models import VacancyStatus
from recruitment.validators import normalise_postcode

if TYPE_CHECKING:
    from boards.models import Posting
    from recruitment.models import Vacancy

NOT_GIVEN = "(blank)"


@dataclass(frozen=True)
class FieldDrift:
    """One drifted field: its spec name and label, and the saved value and the vacancy's value now, both as people
    read them (choice labels, dates as "5 May 2026"). `long` marks free text, which pages shorten."""

    name: str
    label: str
    saved: str
    vacancy: str
    long: bool = False


class DriftAction(StrEnum):
    """What taking the vacancy's values does: update the job on the board, update it in the bulk board's feed,
    save the values here before anything is sent, or save them here only, because the board has the job but no
    longer takes updates of it (the recruiter makes the change on the board itself)."""

    UPDATE = "update"
    FEED = "feed"
    SAVE = "save"
    SAVE_HERE_ONLY = "save_here_only"


def vacancy_baseline(adapter: BoardAdapter, vacancy: "Vacancy") -> dict[str, Any]:
    """What the vacancy says now for each editable field the adapter fills from it, as JSON (text, or lists of
    text): the baseline stored with saved values (`Posting.vacancy_values`)."""
    editable = {spec.name for spec in adapter.spec.fields if spec.editable}
    return {name: _json(value) for name, value in adapter.initial_values(vacancy).items() if name in editable}


def posting_drift(*, adapter: BoardAdapter, vacancy: "Vacancy", posting: "Posting | None") -> tuple[FieldDrift, ...]:
    """The posting's drifted fields in form order (see the module). None when nothing has been saved yet, when the
    vacancy is not advertised externally (nothing can be sent: the posting page says why) or when the board has
    taken the job down."""
    if posting is None or not posting.values or posting.board_status == BoardStatus.CLOSED:
        return ()
    if vacancy.status != VacancyStatus.ADVERTISED_EXTERNAL:
        return ()
    now, saved, baseline = vacancy_baseline(adapter, vacancy), posting.values, posting.vacancy_values or {}
    drifted = []
    for spec in adapter.spec.fields:
        if spec.name not in now or not (spec.is_shown(saved) or spec.is_shown(now)):
            continue
        current = _comparable(spec, now[spec.name])
        if current == _comparable(spec, saved.get(spec.name)):
            continue
        changed = _comparable(spec, baseline[spec.name]) != current if spec.name in baseline else current is not None
        if changed:
            drifted.append(
                FieldDrift(
                    name=spec.name,
                    label=spec.label,
                    saved=_display(spec, saved.get(spec.name)),
                    vacancy=_display(spec, now[spec.name]),
                    long=spec.type == FieldType.TEXTAREA,
                )
            )
    return tuple(drifted)


def values_with_vacancy(*, adapter: BoardAdapter, vacancy: "Vacancy", posting: "Posting") -> dict[str, Any]:
    """The posting's saved values with the vacancy's in place of each drifted field (the others kept as saved)."""
    now = vacancy_baseline(adapter, vacancy)
    drifted = {field.name for field in posting_drift(adapter=adapter, vacancy=vacancy, posting=posting)}
    return {**posting.values, **{name: now[name] for name in drifted}}


def drift_action(adapter: BoardAdapter, posting: "Posting") -> DriftAction:
    """What taking the vacancy's values does for this posting now (see `DriftAction`)."""
    if Capability.BULK_IMPORT in adapter.capabilities:
        return DriftAction.FEED if posting.in_feed else DriftAction.SAVE
    if not posting.board_id:
        return DriftAction.SAVE
    return DriftAction.UPDATE if adapter.can_update(posting) else DriftAction.SAVE_HERE_ONLY


def _json(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return "" if value is None else str(value)


def _comparable(spec: FieldSpec, value: Any) -> Any:
    """The value as the spec means it (None when blank), so equal values compare equal however written."""
    if spec.type == FieldType.MULTI_CHOICE and isinstance(value, str):
        value = [value] if value else []
    if isinstance(value, list | tuple):
        return tuple(sorted(str(item) for item in value)) or None
    text = "" if value is None else str(value).replace("\r\n", "\n").strip()
    if not text:
        return None
    if spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
        try:
            amount = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return text
        return amount if amount.is_finite() else text
    if spec.type == FieldType.POSTCODE:
        try:
            return normalise_postcode(text)
        except ValidationError:
            return text.upper()
    return text


def _display(spec: FieldSpec, value: Any) -> str:
    """The value as people read it: choices by their labels, dates written out, blanks said so."""
    if _comparable(spec, value) is None:
        return NOT_GIVEN
    labels = dict(spec.choices)
    if isinstance(value, list | tuple):
        return ", ".join(str(labels.get(item, item)) for item in value)
    if spec.type == FieldType.CHOICE:
        return str(labels.get(value, value))
    if spec.type == FieldType.DATE:
        try:
            return date_format(datetime.date.fromisoformat(str(value).strip()), "j F Y")
        except ValueError:
            return str(value)
    return str(value).strip()
