"""The personal data registry: every model of the project is either registered (found from a person, exported,
erased) or declared as holding no personal data, so a new model cannot slip through."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from recruitment.privacy import registry
from recruitment.privacy.registry import (
    Person,
    PersonalData,
    declared_without_personal_data,
    entries,
    no_personal_data,
    project_models,
    unclassified_models,
    unknown_models,
)


def test_every_model_of_the_project_is_registered_or_declared_without_personal_data():
    assert unclassified_models() == []
    assert unknown_models() == []


def test_the_walk_covers_every_app_of_ours_and_none_of_the_libraries():
    labels = {model._meta.app_label for model in project_models()}
    assert labels == {"recruitment", "boards", "sandbox"}
    assert len(project_models()) == len(entries()) + len(declared_without_personal_data())


def test_a_model_that_is_neither_is_caught(monkeypatch):
    monkeypatch.setattr(
        registry,
        "_NO_PERSONAL_DATA",
        {k: v for k, v in declared_without_personal_data().items() if k != "boards.posting"},
    )
    assert unclassified_models() == ["boards.posting"]


def test_a_model_of_a_new_app_of_ours_is_caught(monkeypatch):
    class Thing(models.Model):
        """A model a future app might add."""

        class Meta:
            app_label = "sandbox"

    try:
        assert "sandbox.thing" in unclassified_models()
        no_personal_data("sandbox.Thing", reason="A test model.")
        assert "sandbox.thing" not in unclassified_models()
    finally:
        registry._NO_PERSONAL_DATA.pop("sandbox.thing", None)
        del apps.all_models["sandbox"]["thing"]
        apps.clear_cache()


def test_a_model_is_registered_once_and_every_kept_category_says_why():
    with pytest.raises(ImproperlyConfigured, match="already"):
        no_personal_data("recruitment.Candidate", reason="No.")
    with pytest.raises(ImproperlyConfigured, match="kept_because"):
        registry.register(
            PersonalData(
                model="recruitment.Thing",
                category="things",
                description="",
                find=lambda p: None,
                erase=None,
                erasure="kept",
            )
        )
    for entry in entries():
        assert entry.erase is not None or entry.kept_because, entry.model
        assert entry.description
        assert entry.erasure


@pytest.mark.django_db
def test_every_finder_returns_a_queryset_of_its_model_with_or_without_a_candidate():
    from tests.factories import CandidateFactory

    for person in (Person.by_email("nobody@example.com"), Person.of(CandidateFactory())):
        for entry in entries():
            found = entry.find(person)
            assert found.model is entry.model_class, entry.category
            assert list(found) == [] or entry.category == "candidate"
