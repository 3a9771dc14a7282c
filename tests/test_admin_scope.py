"""Data scope in the admin: every add and change form, autocomplete, inline and list keeps to the user's divisions.

The walk goes through the admin registry (`admin.site._registry`), so a new ModelAdmin is covered as soon as it is
registered; `test_the_walk_has_an_object_of_every_registered_model` fails until the world below holds one of its
objects. The user walked with holds every permission of every model, and a data scope of two divisions; a third
division holds one of everything too, which no form may offer, no autocomplete may find and no change page may show.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_q.models import Failure, OrmQ, Schedule, Success

from boards.models import BulkImport, InboundEvent, PublishAttempt
from boards.sandbox.models import (
    SandboxApplication,
    SandboxBoardSettings,
    SandboxDelivery,
    SandboxFault,
    SandboxImport,
    SandboxJob,
    SandboxToken,
)
from recruitment.models import (
    Application,
    ApplicationDocument,
    Candidate,
    DbsCheck,
    DbsViewLog,
    Department,
    Division,
    DocumentKind,
    LegalHold,
    RemovalAudit,
    Vacancy,
    VacancyReferenceCounter,
)
from tests.boards.factories import BoardAccountFactory, PostingFactory
from tests.factories import (
    PDF_BYTES,
    ApiTokenFactory,
    ApplicationDocumentFactory,
    ApplicationFactory,
    ApplicationStageChangeFactory,
    CandidateFactory,
    DataScopeFactory,
    DbsCheckEventFactory,
    DbsCheckFactory,
    DbsVacancyFactory,
    DepartmentFactory,
    DivisionFactory,
    EmploymentTypeFactory,
    EqualOpportunitiesFactory,
    IdempotencyRecordFactory,
    JobCategoryFactory,
    JobLevelFactory,
    LocationFactory,
    OrganisationFactory,
    RegionFactory,
    SalaryBandFactory,
    SchoolLocationFactory,
    StaffUserFactory,
    VacancyEventFactory,
)

pytestmark = pytest.mark.django_db

REGISTRY = admin.site._registry


@dataclass
class World:
    """One of everything: `inside` the recruiter's two divisions, `outside` them, and organisation-wide objects."""

    user: object
    client: Client
    inside: dict[type[Model], Model] = field(default_factory=dict)
    outside: dict[type[Model], Model] = field(default_factory=dict)
    shared: dict[type[Model], Model] = field(default_factory=dict)

    def instance(self, model: type[Model]) -> Model | None:
        """The object whose change page the recruiter may open."""
        return self.inside.get(model) or self.shared.get(model)


def _division_with_everything(division: Division, tag: str) -> dict[type[Model], Model]:
    """A division with a vacancy needing a DBS check, an application to it (documents, history, EO answers, DBS
    check and its log) by a candidate who applied nowhere else, and a board posting with one call logged."""
    department = DepartmentFactory(division=division)
    vacancy = DbsVacancyFactory(division=division, department=department)
    candidate = CandidateFactory(last_name=f"Applicant{tag}")
    application = ApplicationFactory(vacancy=vacancy, candidate=candidate, source_reference=f"ref-{tag}")
    document = ApplicationDocumentFactory(application=application)
    dbs_check = DbsCheckFactory(application=application)
    posting = PostingFactory(vacancy=vacancy, account=BoardAccountFactory())
    attempt = PublishAttempt.objects.create(
        account=posting.account,
        posting=posting,
        operation="publish",
        method="POST",
        url="http://127.0.0.1:9/jobs",
        outcome="success",
        duration_ms=5,
    )
    objects = [
        division,
        department,
        vacancy,
        candidate,
        application,
        document,
        ApplicationStageChangeFactory(application=application),
        EqualOpportunitiesFactory(application=application),
        dbs_check,
        DbsCheckEventFactory(dbs_check=dbs_check),
        VacancyEventFactory(vacancy=vacancy),
        posting,
        attempt,
        LegalHold.objects.create(application=application, reason="Tribunal claim", set_by=StaffUserFactory()),
        DbsViewLog.objects.create(dbs_check_id=dbs_check.pk, viewer_username="someone", channel="admin"),
        InboundEvent.objects.create(
            account=posting.account,
            board=posting.account.board,
            event_id=f"evt-{tag}",
            kind="application.received",
            posting=posting,
            application=application,
        ),
    ]
    return {type(obj): obj for obj in objects}


def _organisation_wide(user) -> dict[type[Model], Model]:
    """One object of every model that belongs to no division."""
    now = timezone.now()
    token = ApiTokenFactory(user=user, api_password__user=user)
    sandbox_job = SandboxJob.objects.create(board="nhs-jobs", reference="J1")
    objects = [
        user,
        Group.objects.create(name="Recruiters"),
        user.data_scope,
        token,
        token.client,
        token.api_password,
        IdempotencyRecordFactory(client=token.client),
        RegionFactory(),
        LocationFactory(),
        SchoolLocationFactory(),
        BoardAccountFactory(),
        JobCategoryFactory(),
        SalaryBandFactory(),
        EmploymentTypeFactory(),
        JobLevelFactory(),
        OrganisationFactory(),
        RemovalAudit.objects.create(trigger="retention", category="idempotency_records", action="deleted"),
        VacancyReferenceCounter.objects.create(year=2031, last_number=4),
        Schedule.objects.create(name="Upkeep", func="math.floor", args="1"),
        Success.objects.create(id="s1", name="done", func="math.floor", started=now, stopped=now, success=True),
        Failure.objects.create(id="f1", name="failed", func="math.floor", started=now, stopped=now, success=False),
        OrmQ.objects.create(key="recruitment", payload="x"),
        sandbox_job,
        SandboxApplication.objects.create(board="jobsphere", public_id="app_1", job=sandbox_job),
        SandboxDelivery.objects.create(
            board="jobsphere", event_id="evt_1", event_type="job.created", url="http://x/", body="{}"
        ),
        SandboxBoardSettings.for_board("jobsphere"),
        BulkImport.objects.create(account=BoardAccountFactory(board="locumjobsonline"), due_at=now),
        SandboxImport.objects.create(board="locumjobsonline", public_id="imp_1", body="{}"),
        SandboxToken.objects.create(
            board="nhsjob", token_hash="0" * 64, client_id="c", expires_at=now + datetime.timedelta(hours=1)
        ),
        SandboxFault.objects.create(board="nhs-jobs", kind="503"),
        AccessAttempt.objects.create(
            username="someone", ip_address="192.0.2.1", user_agent="x", failures_since_start=1, attempt_time=now
        ),
        AccessLog.objects.create(username="someone", ip_address="192.0.2.1", user_agent="x", attempt_time=now),
    ]
    return {type(obj): obj for obj in objects}


@pytest.fixture
def world() -> World:
    first, second, third = DivisionFactory(name="Surgery"), DivisionFactory(name="Medicine"), DivisionFactory()
    recruiter = StaffUserFactory(username="limited")
    recruiter.user_permissions.add(*Permission.objects.all())
    DataScopeFactory(user=recruiter, divisions=[first, second])
    client = Client()
    client.force_login(recruiter)
    world = World(user=recruiter, client=client)
    world.inside = _division_with_everything(first, "in")
    _division_with_everything(second, "in2")
    world.outside = _division_with_everything(third, "out")
    world.shared = _organisation_wide(recruiter)
    return world


def _reaches_a_division(model: type[Model], depth: int = 4) -> bool:
    """Whether the model belongs to a division: it is one, or a chain of foreign keys leads to one."""
    if model is Division:
        return True
    if depth == 0:
        return False
    return any(
        _reaches_a_division(f.related_model, depth - 1)
        for f in model._meta.get_fields()
        if (f.many_to_one or f.one_to_one) and f.concrete and f.related_model is not model
    )


# Every registered model that belongs to a division, candidates (seen through their applications) and the DBS viewer
# log (it names its check by id, so that it outlives the check).
DIVISION_SCOPED = sorted(
    {model for model in REGISTRY if _reaches_a_division(model)} | {Candidate, DbsViewLog}, key=lambda m: m._meta.label
)


def _request(world):
    """A request by the walked user, to ask a model admin what it allows."""
    request = RequestFactory().get("/admin/")
    request.user = world.user
    return request


def admin_url(model: type[Model], view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def choice_fields(response):
    """(where, field) for every choice field with a queryset on the page's form and its inline forms."""
    found = []
    adminform = response.context.get("adminform")
    if adminform is not None:
        found += [(f"form.{name}", f) for name, f in adminform.form.fields.items() if hasattr(f, "queryset")]
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        # The hidden key of each inline row is the formset's own: saving only ever finds rows of the parent object.
        own_key = formset.model._meta.pk.name
        for form in [*formset.forms, formset.empty_form]:
            found += [
                (f"{formset.prefix}.{name}", f)
                for name, f in form.fields.items()
                if hasattr(f, "queryset") and name != own_key
            ]
    return found


def assert_choices_in_scope(world: World, response) -> None:
    for where, choice in choice_fields(response):
        model = choice.queryset.model
        offered = set(choice.queryset.values_list("pk", flat=True))
        if model in world.outside:
            assert world.outside[model].pk not in offered, f"{where} offers an object outside the scope"
            assert world.inside[model].pk in offered, f"{where} does not offer the object inside the scope"


def test_the_walk_has_an_object_of_every_registered_model(world):
    missing = [model._meta.label for model in REGISTRY if world.instance(model) is None]
    assert missing == []


def test_the_walk_has_an_object_outside_the_scope_of_every_model_that_belongs_to_a_division(world):
    assert sorted(world.outside, key=lambda m: m._meta.label) == DIVISION_SCOPED


@pytest.mark.parametrize("model", list(REGISTRY), ids=lambda m: m._meta.label)
def test_add_form_offers_only_choices_in_scope(world, model):
    response = world.client.get(admin_url(model, "add"))
    if response.status_code == 403:  # written only by services: no add form
        assert not REGISTRY[model].has_add_permission(_request(world))
        return
    assert response.status_code == 200
    assert_choices_in_scope(world, response)


@pytest.mark.parametrize("model", list(REGISTRY), ids=lambda m: m._meta.label)
def test_change_form_offers_only_choices_in_scope(world, model):
    obj = world.instance(model)
    response = world.client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert_choices_in_scope(world, response)


@pytest.mark.parametrize("model", DIVISION_SCOPED, ids=lambda m: m._meta.label)
def test_objects_outside_scope_are_not_found_nor_listed(world, model):
    obj = world.outside[model]
    response = world.client.get(admin_url(model, "change", obj.pk), follow=True)
    assert response.redirect_chain[0][0] == reverse("admin:index")
    assert "doesn\u2019t exist" in response.text  # Django: "... doesn't exist. Perhaps it was deleted?"
    listing = world.client.get(admin_url(model, "changelist"))
    assert listing.status_code == 200
    assert admin_url(model, "change", obj.pk) not in listing.text
    assert admin_url(model, "change", world.inside[model].pk) in listing.text


def _autocomplete_cases():
    return [(model, name) for model, model_admin in REGISTRY.items() for name in model_admin.autocomplete_fields]


@pytest.mark.parametrize(
    ("model", "field_name"), _autocomplete_cases(), ids=lambda v: v if isinstance(v, str) else v._meta.label
)
def test_autocompletes_find_only_objects_in_scope(world, model, field_name):
    target = model._meta.get_field(field_name).related_model
    query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field_name}
    response = world.client.get(f"{reverse('admin:autocomplete')}?{urlencode({**query, 'term': ''})}")
    assert response.status_code == 200
    found = {int(row["id"]) for row in response.json()["results"]}
    if target in world.outside:
        assert world.outside[target].pk not in found
        assert world.inside[target].pk in found
        # Not by searching for it either.
        term = str(world.outside[target])[:20]
        searched = world.client.get(f"{reverse('admin:autocomplete')}?{urlencode({**query, 'term': term})}")
        assert world.outside[target].pk not in {int(row["id"]) for row in searched.json()["results"]}


# What the probe did, each refused with nothing written and nothing revealed.

INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


def vacancy_form_data(world, division) -> dict:
    inside = world.inside[Vacancy]
    return {
        "title": "Theatre nurse",
        "title_for_candidates": "Theatre Staff Nurse",
        "recruiter": world.user.pk,
        "division": division.pk,
        "department": DepartmentFactory(division=division).pk,
        "location": inside.location_id,
        "job_category": inside.job_category_id,
        "employment_type": inside.employment_type_id,
        "working_patterns": ["full_time"],
        "salary_type": "range",
        "salary_min": "29970",
        "salary_max": "36483",
        "salary_period": "annum",
        "closing_date": inside.closing_date.isoformat(),
        "attention_grabber": "Join us.",
        "advert_html": "<p>A role.</p>",
        "about_organisation": "We care.",
        "reply_to_email": "jobs@example.nhs.uk",
        "dbs_level": "none",
        "dbs_workforce": "",
        "contract_duration_unit": "",
        "applications-TOTAL_FORMS": "0",
        "applications-INITIAL_FORMS": "0",
    }


def test_a_vacancy_cannot_be_created_in_a_division_outside_scope(world):
    before = Vacancy.objects.count()
    response = world.client.post(admin_url(Vacancy, "add"), vacancy_form_data(world, world.outside[Division]))
    assert response.status_code == 200
    assert INVALID_CHOICE in response.text
    assert Vacancy.objects.count() == before


def test_a_vacancy_is_created_in_a_division_inside_scope(world):
    """The control: the same form goes through for the recruiter's own division."""
    response = world.client.post(admin_url(Vacancy, "add"), vacancy_form_data(world, world.inside[Division]))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Vacancy.objects.filter(title="Theatre nurse", division=world.inside[Division]).exists()


def application_form_data(candidate: Candidate, vacancy: Vacancy) -> dict:
    return {
        "candidate": candidate.pk,
        "vacancy": vacancy.pk,
        "source": "direct",
        "source_name": "",
        "source_reference": "",
        "cover_letter": "",
        **{
            f"{prefix}-{suffix}": "0"
            for prefix in ("stage_changes", "documents", "dbs_check")
            for suffix in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }


def test_an_application_cannot_be_made_to_a_vacancy_outside_scope_nor_reveal_one_exists(world):
    """The outside candidate already applied to the outside vacancy: the form says nothing of it."""
    before = Application.objects.count()
    data = application_form_data(world.outside[Candidate], world.outside[Vacancy])
    response = world.client.post(admin_url(Application, "add"), data)
    assert response.status_code == 200
    assert INVALID_CHOICE in response.text
    assert "already" not in response.text
    assert Application.objects.count() == before


def test_an_outside_candidate_cannot_be_attached_to_an_inside_job_and_then_read(world):
    before = Application.objects.count()
    outsider = world.outside[Candidate]
    vacancy = DbsVacancyFactory(division=world.inside[Division])
    response = world.client.post(admin_url(Application, "add"), application_form_data(outsider, vacancy))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors == {"candidate": [INVALID_CHOICE]}
    assert Application.objects.count() == before
    assert world.client.get(admin_url(Candidate, "change", outsider.pk)).status_code == 302
    assert outsider.email not in world.client.get(admin_url(Candidate, "changelist")).text


def test_an_inside_candidate_applies_to_an_inside_job(world):
    """The control."""
    vacancy = DbsVacancyFactory(division=world.inside[Division])
    response = world.client.post(admin_url(Application, "add"), application_form_data(world.inside[Candidate], vacancy))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Application.objects.filter(candidate=world.inside[Candidate], vacancy=vacancy).exists()


def test_a_document_cannot_be_added_to_an_application_outside_scope(world):
    application = world.outside[Application]
    ApplicationDocument.objects.filter(application=application).delete()
    upload = SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf")
    response = world.client.post(
        admin_url(ApplicationDocument, "add"),
        {"application": application.pk, "kind": DocumentKind.CV, "file": upload},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"application": [INVALID_CHOICE]}
    assert not ApplicationDocument.objects.filter(application=application).exists()


def test_a_dbs_check_cannot_be_opened_for_an_application_outside_scope(world):
    application = ApplicationFactory(vacancy=world.outside[Vacancy])
    response = world.client.post(admin_url(DbsCheck, "add"), {"application": application.pk})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"application": [INVALID_CHOICE]}
    assert not DbsCheck.objects.filter(application=application).exists()


def test_a_department_cannot_be_added_to_a_division_outside_scope(world):
    response = world.client.post(
        admin_url(Department, "add"),
        {"name": "Theatres", "code": "theatres", "division": world.outside[Division].pk, "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"division": [INVALID_CHOICE]}
    assert not Department.objects.filter(code="theatres").exists()


def test_a_limited_user_cannot_widen_a_data_scope(world):
    scope = world.user.data_scope
    url = admin_url(type(scope), "change", scope.pk)
    response = world.client.post(url, {"user": world.user.pk, "all_divisions": "on"})
    assert response.status_code == 403
    scope.refresh_from_db()
    assert not scope.all_divisions
    assert world.client.get(admin_url(type(scope), "add")).status_code == 403


def test_division_filters_list_only_divisions_in_scope(world):
    for model in (Vacancy, Application):
        listing = world.client.get(admin_url(model, "changelist"))
        assert "Surgery" in listing.text
        assert world.outside[Division].name not in listing.text
