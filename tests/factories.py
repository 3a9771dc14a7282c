"""factory-boy factories for every model in `recruitment.models`, valid against every database constraint.

`VacancyFactory` builds a draft; `AdvertisedVacancyFactory` an externally advertised one; `DbsVacancyFactory` an
advertised one needing an enhanced (adult workforce) DBS check. An application defaults to an advertised vacancy;
a DBS check to an application, at pre-employment checks, whose vacancy needs one.
"""

import datetime
import hashlib
import secrets
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from recruitment.keyhash import key_hash
from recruitment.models import (
    ApiPassword,
    ApiToken,
    Application,
    ApplicationDocument,
    ApplicationSource,
    ApplicationStage,
    ApplicationStageChange,
    Candidate,
    ContractKind,
    DataScope,
    DbsCheck,
    DbsCheckEvent,
    DbsLevel,
    DbsStage,
    DbsViewChannel,
    DbsViewLog,
    DbsWorkforce,
    Department,
    Division,
    DocumentKind,
    EmploymentType,
    EqualOpportunities,
    IdempotencyRecord,
    JobCategory,
    JobLevel,
    LegalHold,
    Location,
    Organisation,
    PartnerClient,
    PayScheme,
    Region,
    RemovalAudit,
    RemovalTrigger,
    SalaryBand,
    SalaryPeriod,
    SalaryType,
    SchoolLocation,
    StaffGroup,
    Vacancy,
    VacancyEvent,
    VacancyStatus,
    WorkingPattern,
)

PASSWORD = "a-Strong-pass-123"
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


# --- Users ----------------------------------------------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    """An active, non-staff user whose password is `PASSWORD`."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.nhs.uk")
    is_active = True
    password = factory.django.Password(PASSWORD)  # hashed as set_password would, with the configured hasher


class StaffUserFactory(UserFactory):
    """A user who may sign in to the admin (permissions are granted by each test)."""

    is_staff = True


class SuperUserFactory(UserFactory):
    """A superuser: every permission and every division."""

    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True


# --- Reference data -------------------------------------------------------------------------------------------------


class DivisionFactory(factory.django.DjangoModelFactory):
    """A division (directorate)."""

    class Meta:
        model = Division

    code = factory.Sequence(lambda n: f"division-{n}")
    name = factory.Sequence(lambda n: f"Division {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    """A department within a division."""

    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"department-{n}")
    name = factory.Sequence(lambda n: f"Department {n}")
    division = factory.SubFactory(DivisionFactory)


class RegionFactory(factory.django.DjangoModelFactory):
    """A geographical region."""

    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"region-{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class LocationFactory(factory.django.DjangoModelFactory):
    """A workplace in Leeds with a valid, normalised postcode."""

    class Meta:
        model = Location

    code = factory.Sequence(lambda n: f"location-{n}")
    name = factory.Sequence(lambda n: f"Site {n}")
    address_line_1 = factory.Sequence(lambda n: f"{n + 1} Great George Street")
    town = "Leeds"
    postcode = "LS1 4AP"
    region = factory.SubFactory(RegionFactory)


class JobCategoryFactory(factory.django.DjangoModelFactory):
    """A job category mapped to the registered nursing staff group."""

    class Meta:
        model = JobCategory

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    staff_group = StaffGroup.NURSING_AND_MIDWIFERY_REGISTERED


class SalaryBandFactory(factory.django.DjangoModelFactory):
    """An Agenda for Change band with a valid annual range."""

    class Meta:
        model = SalaryBand

    code = factory.Sequence(lambda n: f"band-{n}")
    name = factory.Sequence(lambda n: f"Band {n}")
    pay_scheme = PayScheme.AGENDA_FOR_CHANGE
    band = factory.Sequence(lambda n: f"B{n}")
    min_amount = Decimal("29970.00")
    max_amount = Decimal("36483.00")
    period = SalaryPeriod.ANNUM


class EmploymentTypeFactory(factory.django.DjangoModelFactory):
    """A permanent employment type (so no contract duration is needed)."""

    class Meta:
        model = EmploymentType

    code = factory.Sequence(lambda n: f"employment-{n}")
    name = factory.Sequence(lambda n: f"Employment type {n}")
    contract_kind = ContractKind.PERMANENT


class JobLevelFactory(factory.django.DjangoModelFactory):
    """A seniority level."""

    class Meta:
        model = JobLevel

    code = factory.Sequence(lambda n: f"level-{n}")
    name = factory.Sequence(lambda n: f"Level {n}")


class SchoolLocationFactory(factory.django.DjangoModelFactory):
    """A school site at a location."""

    class Meta:
        model = SchoolLocation

    code = factory.Sequence(lambda n: f"school-{n}")
    name = factory.Sequence(lambda n: f"School {n}")
    location = factory.SubFactory(LocationFactory)


# --- Organisation and access ----------------------------------------------------------------------------------------


class OrganisationFactory(factory.django.DjangoModelFactory):
    """The employer's settings row."""

    class Meta:
        model = Organisation

    name = "Leeds Teaching Hospitals NHS Trust"
    about_organisation = (
        "We are one of the largest teaching trusts in Europe, caring for people across Yorkshire and beyond."
    )
    careers_email = "careers@example.nhs.uk"


class DataScopeFactory(factory.django.DjangoModelFactory):
    """A user's data scope; pass `divisions=[...]` to grant divisions, or `all_divisions=True`."""

    class Meta:
        model = DataScope
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    all_divisions = False

    @factory.post_generation
    def divisions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.divisions.add(*extracted)


# --- Vacancies ------------------------------------------------------------------------------------------------------


class VacancyFactory(factory.django.DjangoModelFactory):
    """A complete draft vacancy, valid for every check constraint and for `vacancy_validate`."""

    class Meta:
        model = Vacancy

    class Params:
        advertised = factory.Trait(
            status=VacancyStatus.ADVERTISED_EXTERNAL,
            submitted_at=factory.LazyFunction(timezone.now),
            approved_at=factory.LazyFunction(timezone.now),
            approved_by=factory.SubFactory(UserFactory),
            advertised_at=factory.LazyFunction(timezone.now),
        )
        needs_dbs = factory.Trait(dbs_level=DbsLevel.ENHANCED, dbs_workforce=DbsWorkforce.ADULT)

    reference = factory.Sequence(lambda n: f"VAC-2026-9{n:03d}")
    status = VacancyStatus.DRAFT
    title = factory.Sequence(lambda n: f"Staff Nurse {n}")
    title_for_candidates = factory.LazyAttribute(lambda o: f"{o.title} (Band 5)")
    division = factory.SubFactory(DivisionFactory)
    department = factory.SubFactory(DepartmentFactory, division=factory.SelfAttribute("..division"))
    location = factory.SubFactory(LocationFactory)
    job_category = factory.SubFactory(JobCategoryFactory)
    employment_type = factory.SubFactory(EmploymentTypeFactory)
    salary_type = SalaryType.RANGE
    salary_min = Decimal("29970.00")
    salary_max = Decimal("36483.00")
    salary_period = SalaryPeriod.ANNUM
    working_patterns = factory.LazyFunction(lambda: [WorkingPattern.FULL_TIME.value])
    closing_date = factory.LazyFunction(lambda: _in_days(30))
    attention_grabber = "Join our friendly ward team."
    advert_html = "<p>A rewarding role in acute care.</p>"
    about_organisation = "We care for people across Yorkshire."
    reply_to_email = "recruitment@example.nhs.uk"
    dbs_level = DbsLevel.NONE
    dbs_workforce = ""
    recruiter = factory.SubFactory(UserFactory)


class AdvertisedVacancyFactory(VacancyFactory):
    """A vacancy advertised externally, open for applications."""

    advertised = True


class DbsVacancyFactory(VacancyFactory):
    """An advertised vacancy whose post needs an enhanced DBS check for the adult workforce."""

    advertised = True
    needs_dbs = True


# --- Candidates and applications ------------------------------------------------------------------------------------


class CandidateFactory(factory.django.DjangoModelFactory):
    """A candidate with a unique email address and a valid postcode."""

    class Meta:
        model = Candidate

    first_name = "Amara"
    last_name = factory.Sequence(lambda n: f"Okafor{n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    phone = "0113 243 2799"
    address_line_1 = "1 Park Row"
    town = "Leeds"
    postcode = "LS1 4AP"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A new, direct application to an advertised vacancy."""

    class Meta:
        model = Application

    candidate = factory.SubFactory(CandidateFactory)
    vacancy = factory.SubFactory(AdvertisedVacancyFactory)
    stage = ApplicationStage.NEW
    source = ApplicationSource.DIRECT
    cover_letter = "I would love to join your team."
    submitted_at = factory.LazyFunction(timezone.now)
    stage_changed_at = factory.LazyFunction(timezone.now)


class ApplicationDocumentFactory(factory.django.DjangoModelFactory):
    """A small PDF CV attached to an application (stored in the private storage)."""

    class Meta:
        model = ApplicationDocument

    application = factory.SubFactory(ApplicationFactory)
    kind = DocumentKind.CV
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="cv.pdf"))
    original_name = "cv.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)


class ApplicationStageChangeFactory(factory.django.DjangoModelFactory):
    """The first entry of an application's stage history."""

    class Meta:
        model = ApplicationStageChange

    application = factory.SubFactory(ApplicationFactory)
    from_stage = ""
    to_stage = ApplicationStage.NEW
    changed_at = factory.LazyFunction(timezone.now)
    note = "Applied"


class EqualOpportunitiesFactory(factory.django.DjangoModelFactory):
    """Equal-opportunities answers for an application (every answer 'prefer not to say' unless given)."""

    class Meta:
        model = EqualOpportunities

    application = factory.SubFactory(ApplicationFactory)


# --- DBS checks -----------------------------------------------------------------------------------------------------


class DbsCheckFactory(factory.django.DjangoModelFactory):
    """A DBS check awaiting the candidate, for an application at pre-employment checks on a vacancy needing one."""

    class Meta:
        model = DbsCheck

    application = factory.SubFactory(
        ApplicationFactory,
        vacancy=factory.SubFactory(DbsVacancyFactory),
        stage=ApplicationStage.PRE_EMPLOYMENT_CHECKS,
    )
    level = factory.LazyAttribute(lambda o: o.application.vacancy.dbs_level)
    workforce = factory.LazyAttribute(lambda o: o.application.vacancy.dbs_workforce or DbsWorkforce.OTHER)
    stage = DbsStage.AWAITING_CANDIDATE
    stage_changed_at = factory.LazyFunction(timezone.now)


class VacancyEventFactory(factory.django.DjangoModelFactory):
    """A step of a vacancy's history: its creation."""

    class Meta:
        model = VacancyEvent

    vacancy = factory.SubFactory(VacancyFactory)
    action = VacancyEvent.Action.CREATED
    from_status = ""
    to_status = VacancyStatus.DRAFT
    at = factory.LazyFunction(timezone.now)
    note = ""


class DbsCheckEventFactory(factory.django.DjangoModelFactory):
    """The 'check opened' entry of a DBS check's log."""

    class Meta:
        model = DbsCheckEvent

    dbs_check = factory.SubFactory(DbsCheckFactory)
    from_stage = ""
    to_stage = DbsStage.AWAITING_CANDIDATE
    at = factory.LazyFunction(timezone.now)
    note = "Check opened"


# --- Partner API ----------------------------------------------------------------------------------------------------


class PartnerClientFactory(factory.django.DjangoModelFactory):
    """A partner client; its API key is `api-key-<client_id>` (only the hash is stored)."""

    class Meta:
        model = PartnerClient

    name = factory.Sequence(lambda n: f"Partner system {n}")
    client_id = factory.Sequence(lambda n: f"client-{n:06d}")
    api_key_hash = factory.LazyAttribute(lambda o: key_hash(f"api-key-{o.client_id}"))
    api_key_hint = factory.LazyAttribute(lambda o: f"api-key-{o.client_id}"[:12])
    key_issued_at = factory.LazyFunction(timezone.now)


class ApiPasswordFactory(factory.django.DjangoModelFactory):
    """A user's active API password, `PASSWORD` (only the hash is stored)."""

    class Meta:
        model = ApiPassword

    user = factory.SubFactory(UserFactory)
    password_hash = factory.LazyFunction(lambda: make_password(PASSWORD))


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A bearer token valid for an hour (its raw value is not kept)."""

    class Meta:
        model = ApiToken

    digest = factory.LazyFunction(lambda: hashlib.sha256(secrets.token_bytes(32)).hexdigest())
    client = factory.SubFactory(PartnerClientFactory)
    client_key_version = factory.SelfAttribute("client.key_version")
    api_password = factory.SubFactory(ApiPasswordFactory)
    user = factory.SelfAttribute("api_password.user")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=1))


class IdempotencyRecordFactory(factory.django.DjangoModelFactory):
    """The stored first answer to a POST with an Idempotency-Key."""

    class Meta:
        model = IdempotencyRecord

    client = factory.SubFactory(PartnerClientFactory)
    key = factory.Sequence(lambda n: f"idempotency-key-{n}")
    request_fingerprint = factory.LazyFunction(lambda: hashlib.sha256(secrets.token_bytes(16)).hexdigest())
    response_status = 201
    response_body = factory.LazyFunction(lambda: {"id": 1})


# --- Data protection ------------------------------------------------------------------------------------------------


class LegalHoldFactory(factory.django.DjangoModelFactory):
    """An active legal hold on a candidate (pass `candidate=None, application=...` for one on an application)."""

    class Meta:
        model = LegalHold

    candidate = factory.SubFactory(CandidateFactory)
    application = None
    reason = "Employment tribunal claim 1234/2026"
    set_by = factory.SubFactory(UserFactory)


class RemovalAuditFactory(factory.django.DjangoModelFactory):
    """One category's count in a retention run."""

    class Meta:
        model = RemovalAudit

    trigger = RemovalTrigger.RETENTION
    category = "unsuccessful_applications"
    action = "anonymised"
    removed = 3


class DbsViewLogFactory(factory.django.DjangoModelFactory):
    """A member of staff shown a DBS check's details on the back-office page."""

    class Meta:
        model = DbsViewLog

    dbs_check_id = factory.LazyFunction(lambda: DbsCheckFactory().pk)
    viewer = factory.SubFactory(UserFactory)
    viewer_username = factory.SelfAttribute("viewer.username")
    channel = DbsViewChannel.BACKOFFICE
