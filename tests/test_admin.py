"""Every model is in the admin, and every changelist and add page renders for a superuser."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    AdvertisedVacancyFactory,
    ApplicationFactory,
    DbsCheckFactory,
    EqualOpportunitiesFactory,
    SuperUserFactory,
)

REGISTRY = admin.site._registry


def test_every_project_model_is_in_the_admin():
    missing = [
        model._meta.label
        for app_label in ("recruitment", "boards", "sandbox")
        for model in apps.get_app_config(app_label).get_models()
        if model not in REGISTRY
    ]
    assert missing == []


def test_every_admin_has_search_and_filters():
    """Each changelist can be searched and (where the model has something to filter on) filtered."""
    lacking = []
    for model, model_admin in REGISTRY.items():
        if model._meta.app_label not in ("recruitment", "boards", "sandbox"):
            continue
        if not model_admin.search_fields:
            lacking.append(f"{model._meta.label}: no search")
        if not model_admin.list_filter and model._meta.model_name not in ("organisation", "vacancyreferencecounter"):
            lacking.append(f"{model._meta.label}: no filters")
    assert lacking == []


@pytest.fixture
def populated(db):
    """One of everything, so changelists render real rows (and inlines on change pages)."""
    application = ApplicationFactory(vacancy=AdvertisedVacancyFactory())
    EqualOpportunitiesFactory(application=application)
    DbsCheckFactory()
    return application


@pytest.mark.parametrize("model", list(REGISTRY), ids=lambda m: m._meta.label)
def test_changelist_renders_for_superuser(client, populated, model):
    client.force_login(SuperUserFactory())
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    search = client.get(url, {"q": "x"})
    assert search.status_code == 200


# Written only by services, the task queue or the sign-in lockout: viewable in the admin, never added there.
ADD_REFUSED = {
    "recruitment.ApplicationStageChange",
    "recruitment.DbsCheckEvent",
    "recruitment.EqualOpportunities",
    "recruitment.VacancyReferenceCounter",
    "recruitment.ApiPassword",
    "recruitment.ApiToken",
    "recruitment.IdempotencyRecord",
    "recruitment.RemovalAudit",
    "recruitment.DbsViewLog",
    "django_q.Success",
    "django_q.Failure",
    "django_q.OrmQ",
    "boards.Posting",
    "boards.PublishAttempt",
    "boards.InboundEvent",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "boards.BulkImport",
    "recruitment.VacancyEvent",
}


@pytest.mark.parametrize("model", list(REGISTRY), ids=lambda m: m._meta.label)
def test_add_page_renders_for_superuser(client, populated, model):
    """Every add page renders, except for the records that only services write, which refuse adding."""
    client.force_login(SuperUserFactory())
    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
    assert response.status_code == (403 if model._meta.label in ADD_REFUSED else 200)


def test_change_pages_render_with_inlines(client, populated):
    client.force_login(SuperUserFactory())
    response = client.get(reverse("admin:recruitment_application_change", args=[populated.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Application stage changes" in body or "stage change" in body.lower()
    vacancy_page = client.get(reverse("admin:recruitment_vacancy_change", args=[populated.vacancy.pk]))
    assert vacancy_page.status_code == 200
    assert populated.candidate.last_name in vacancy_page.content.decode()
