"""The registry of personal data: every model of the project's own apps is either registered here, with how its rows
are found from a person, exported and erased, or declared as holding no personal data, with the reason.

Each app registers its models when it is ready (`recruitment.apps`, `boards.apps`, `boards.sandbox.apps`), so a
layer above `recruitment` (the boards) registers its own without `recruitment` importing it. A new model is covered
by one line in its app's privacy module:

    no_personal_data("boards.Thing", reason="Board settings only.")
    register(PersonalData(model="boards.Thing", category="board_things", ...))

`tests/privacy/test_registry.py` walks every installed model of the project's apps (those whose code lives in this
repository) and fails for one that is neither registered nor declared.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.utils.text import capfirst

from recruitment.models import Candidate


@dataclass(frozen=True)
class Person:
    """Whose data we are looking for: an email address and, when one exists, the candidate with that address
    (whatever its case). Data from boards or partners can carry the email of someone who never became a candidate.
    """

    email: str
    candidate: Candidate | None

    @classmethod
    def by_email(cls, email: str) -> "Person":
        """The person with this email address (a candidate or not). Stand-ins left by anonymisation never match."""
        email = email.strip()
        candidate = Candidate.objects.filter(email__iexact=email, anonymised_at__isnull=True).first()
        return cls(email=email, candidate=candidate)

    @classmethod
    def of(cls, candidate: Candidate) -> "Person":
        return cls(email=candidate.email, candidate=candidate)

    def __str__(self) -> str:
        return f"candidate #{self.candidate.pk} <{self.email}>" if self.candidate else f"<{self.email}>"


ExportFile = tuple[str, Callable[[], BinaryIO]]
"""A file for the subject access ZIP: its path inside the ZIP's `files/` folder, and how to open it for reading."""


@dataclass(frozen=True)
class PersonalData:
    """How one model's personal data is found, exported and erased.

    - `category`: the name people and the ZIP see (`<category>.json`) and the erasure report's key.
    - `find(person)`: the rows that are this person's (an empty queryset when there are none).
    - `erase(pks, now)`: erase those rows (delete or anonymise) inside the caller's transaction; returns how many.
      `None` means erasure keeps them, and `kept_because` must say why.
    - `erasure`: what erasure does, in words (shown before an erasure and in the README).
    - `export_exclude`: fields left out of the export (binary data, secrets, other people's names).
    - `files(row)`: the row's original files for the ZIP.
    - `describe(row)`: what else a person needs to read the record (e.g. the job's reference and title beside a
      vacancy id); `find` should select what it reads.
    """

    model: str
    category: str
    description: str
    find: Callable[[Person], QuerySet]
    erase: Callable[[Sequence[int], datetime.datetime], int] | None
    erasure: str
    kept_because: str = ""
    export_exclude: tuple[str, ...] = ()
    files: Callable[[Model], Iterable[ExportFile]] | None = field(default=None)
    describe: Callable[[Model], dict[str, Any]] | None = field(default=None)

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)

    @property
    def staff_label(self) -> str:
        """The category as staff call it (the model's plural name): `description` speaks to the person."""
        return capfirst(self.model_class._meta.verbose_name_plural)


_ENTRIES: dict[str, PersonalData] = {}
_NO_PERSONAL_DATA: dict[str, str] = {}


def _label(model: str) -> str:
    app_label, _, name = model.partition(".")
    return f"{app_label}.{name.lower()}"


def register(entry: PersonalData) -> None:
    """Add a model holding personal data. A model is registered once, and a category names one model."""
    label = _label(entry.model)
    if label in _ENTRIES or label in _NO_PERSONAL_DATA:
        raise ImproperlyConfigured(f"{entry.model} is already in the personal data registry.")
    if any(existing.category == entry.category for existing in _ENTRIES.values()):
        raise ImproperlyConfigured(f"The personal data category {entry.category!r} is already used.")
    if entry.erase is None and not entry.kept_because:
        raise ImproperlyConfigured(f"{entry.model}: say why erasure keeps its rows (kept_because).")
    _ENTRIES[label] = entry


def no_personal_data(model: str, *, reason: str) -> None:
    """Declare that a model holds no personal data of the people who apply, and why."""
    label = _label(model)
    if label in _ENTRIES or label in _NO_PERSONAL_DATA:
        raise ImproperlyConfigured(f"{model} is already in the personal data registry.")
    if not reason.strip():
        raise ImproperlyConfigured(f"{model}: say why it holds no personal data.")
    _NO_PERSONAL_DATA[label] = reason


def entries() -> tuple[PersonalData, ...]:
    """Every registered model, in registration order (an app's dependants after what they depend on)."""
    return tuple(_ENTRIES.values())


def declared_without_personal_data() -> dict[str, str]:
    """Model label -> why it holds no personal data."""
    return dict(_NO_PERSONAL_DATA)


def project_models() -> list[type[Model]]:
    """Every installed model whose app's code lives in this repository (not in the virtualenv's site-packages)."""
    root = Path(settings.BASE_DIR).resolve()
    ours = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root) and "site-packages" not in path.parts:
            ours.extend(config.get_models())
    return ours


def unclassified_models() -> list[str]:
    """Project models neither registered nor declared as holding no personal data (should be none)."""
    known = set(_ENTRIES) | set(_NO_PERSONAL_DATA)
    return sorted(model._meta.label_lower for model in project_models() if model._meta.label_lower not in known)


def unknown_models() -> list[str]:
    """Registered or declared labels that name no installed model (a typo, or a model since removed)."""
    installed = {model._meta.label_lower for model in apps.get_models()}
    return sorted(label for label in (*_ENTRIES, *_NO_PERSONAL_DATA) if label not in installed)
