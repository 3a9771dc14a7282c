"""`manage.py seed_demo`: realistic demo data for an NHS trust, safe to run again (the second run changes nothing).

Reference data is upserted by code. The `admin` and `recruiter` logins are created once (their passwords are set only
then). Each demo vacancy is created and moved only through the services, together with its applications and DBS
checks, and is skipped when a vacancy with its internal title already exists. Candidates are found by email or
created. The whole run is one transaction.
"""

import datetime
import itertools
import os
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from boards.services.demo import demo_accounts_ensure, demo_postings_ensure
from recruitment.models import (
    ADVERTISED_STATUSES,
    Application,
    ApplicationSource,
    ApplicationStage,
    Candidate,
    ContractKind,
    DataScope,
    DbsCheck,
    DbsDecision,
    DbsLevel,
    DbsStage,
    DbsWorkforce,
    Department,
    Division,
    DurationUnit,
    EmploymentType,
    JobCategory,
    JobLevel,
    Location,
    Organisation,
    PayScheme,
    Region,
    RegistrationBody,
    SalaryBand,
    SalaryType,
    SchoolLocation,
    StaffGroup,
    Vacancy,
    VacancyStatus,
    WorkingPattern,
)
from recruitment.models.applications import AgeBand, Ethnicity, Religion, Sex, SexualOrientation, YesNo
from recruitment.services.applications import application_move, application_reject, application_submit
from recruitment.services.candidates import candidate_get_or_create
from recruitment.services.dbs import dbs_check_advance
from recruitment.services.vacancies import (
    vacancy_advertise,
    vacancy_approve,
    vacancy_cancel,
    vacancy_close,
    vacancy_create,
    vacancy_submit_for_approval,
)
from recruitment.sources import source_choices, source_label

SEED = 2026
SITE = settings.SITE_URL.rstrip("/")
ADMIN_URL = f"{SITE}/admin/"

# --- Organisation and reference data --------------------------------------------------------------------------------

ORGANISATION_NAME = "Riverside University Hospitals NHS Foundation Trust"
ORGANISATION_ABOUT = (
    "Riverside University Hospitals NHS Foundation Trust provides acute, maternity and community services to more "
    "than 900,000 people from eight sites. We employ over 11,000 staff and are a teaching trust, training the next "
    "generation of nurses, doctors and allied health professionals. Our values are compassion, respect and "
    "teamwork: we offer flexible working, NHS pension, generous annual leave and support to develop your career."
)
CAREERS_EMAIL = "careers@example.nhs.uk"
PRIVACY_NOTICE = f"""{ORGANISATION_NAME} is the data controller for the details you give us when you apply for a job.

We use them to assess your application, to contact you about it and, if we offer you the job, for pre-employment \
checks (identity, right to work, references, occupational health and, where the post needs one, a DBS check). The \
lawful basis is taking steps to enter into a contract with you (UK GDPR Article 6(1)(b)); for the equal \
opportunities questions, which are optional and kept apart from your application, it is our duty under the \
Equality Act 2010.

If you are not appointed we keep your application for 6 months after the decision, then anonymise it. If you are \
appointed, your application becomes part of your employment record.

You can ask for a copy of your details, ask us to correct them or, in some cases, to erase them. Write to \
{CAREERS_EMAIL}. You can also complain to the Information Commissioner's Office (ico.org.uk)."""

# Division code: (name, ((department code, department name), ...)).
DIVISIONS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "medicine": (
        "Medicine",
        (
            ("acute-medicine", "Acute and Emergency Medicine"),
            ("elderly-care", "Elderly Care"),
            ("respiratory", "Respiratory Medicine"),
            ("cardiology", "Cardiology"),
        ),
    ),
    "surgery": (
        "Surgery",
        (
            ("general-surgery", "General Surgery"),
            ("theatres-anaesthetics", "Theatres and Anaesthetics"),
            ("trauma-orthopaedics", "Trauma and Orthopaedics"),
        ),
    ),
    "women-children": (
        "Women and Children",
        (("maternity", "Maternity"), ("paediatrics", "Paediatrics"), ("neonatal", "Neonatal Unit")),
    ),
    "clinical-support": (
        "Clinical Support Services",
        (
            ("pathology", "Pathology"),
            ("radiology", "Radiology"),
            ("pharmacy", "Pharmacy"),
            ("therapies", "Therapies"),
        ),
    ),
    "corporate": (
        "Corporate",
        (
            ("human-resources", "Human Resources"),
            ("finance", "Finance"),
            ("estates-facilities", "Estates and Facilities"),
            ("digital-services", "Digital Services"),
        ),
    ),
}
RECRUITER_DIVISIONS = ("medicine", "women-children")

REGIONS = {
    "london": "London",
    "north-west": "North West",
    "yorkshire-humber": "Yorkshire and the Humber",
    "west-midlands": "West Midlands",
}


class LocationSpec(NamedTuple):
    code: str
    name: str
    address_line_1: str
    town: str
    postcode: str
    region: str


LOCATIONS = (
    LocationSpec("riverside-general", "Riverside General Hospital", "1 Riverside Way", "London", "SE1 7EH", "london"),
    LocationSpec("st-annes", "St Anne's Community Hospital", "St Ann's Road", "London", "N15 3TH", "london"),
    LocationSpec("trust-hq", "Trust Headquarters, Dockside House", "40 Marsh Wall", "London", "E14 9TP", "london"),
    LocationSpec("irwell-valley", "Irwell Valley Hospital", "Stott Lane", "Salford", "M6 8HD", "north-west"),
    LocationSpec("mersey-view", "Mersey View Treatment Centre", "Prescot Street", "Liverpool", "L7 8XP", "north-west"),
    LocationSpec("aire-valley", "Aire Valley Hospital", "Beckett Street", "Leeds", "LS9 7TF", "yorkshire-humber"),
    LocationSpec("humber-bank", "Humber Bank Health Centre", "Anlaby Road", "Hull", "HU3 2JZ", "yorkshire-humber"),
    LocationSpec("canal-side", "Canal Side Clinic", "Mindelsohn Way", "Birmingham", "B15 2TH", "west-midlands"),
)

# School code: (name, location code).
SCHOOL_LOCATIONS = {
    "riverside-hospital-school": ("Riverside Hospital School", "riverside-general"),
    "aire-valley-childrens-school": ("Aire Valley Children's Unit School", "aire-valley"),
    "irwell-education-centre": ("Irwell Valley Paediatric Education Centre", "irwell-valley"),
}

JOB_CATEGORIES = {
    "nursing": ("Nursing", StaffGroup.NURSING_AND_MIDWIFERY_REGISTERED),
    "midwifery": ("Midwifery", StaffGroup.NURSING_AND_MIDWIFERY_REGISTERED),
    "healthcare-support": ("Healthcare support", StaffGroup.ADDITIONAL_CLINICAL_SERVICES),
    "allied-health": ("Allied health professions", StaffGroup.ALLIED_HEALTH_PROFESSIONALS),
    "healthcare-science": ("Healthcare science", StaffGroup.HEALTHCARE_SCIENTISTS),
    "pharmacy": ("Pharmacy", StaffGroup.ADDITIONAL_PROFESSIONAL_SCIENTIFIC_AND_TECHNICAL),
    "medical": ("Medical and dental", StaffGroup.MEDICAL_AND_DENTAL),
    "admin-clerical": ("Administration and management", StaffGroup.ADMINISTRATIVE_AND_CLERICAL),
    "estates": ("Estates and facilities", StaffGroup.ESTATES_AND_ANCILLARY),
    "student-placements": ("Student placements", StaffGroup.STUDENTS),
}


class BandSpec(NamedTuple):
    code: str
    name: str
    pay_scheme: str
    band: str
    minimum: str
    maximum: str


# Agenda for Change 2025/26 pay points (England) and a few medical grades (2025/26 pay scales).
SALARY_BANDS = (
    *(
        BandSpec(f"afc-band-{band}", f"Agenda for Change band {band}", PayScheme.AGENDA_FOR_CHANGE, band, low, high)
        for band, low, high in (
            ("2", "24465", "24465"),
            ("3", "24937", "26598"),
            ("4", "27485", "30162"),
            ("5", "29970", "36483"),
            ("6", "37338", "44962"),
            ("7", "47810", "54710"),
            ("8a", "55690", "62682"),
            ("8b", "64455", "74896"),
            ("8c", "76965", "88682"),
            ("8d", "91342", "105337"),
            ("9", "109179", "125797"),
        )
    ),
    BandSpec("medical-fy1", "Foundation doctor, year 1", PayScheme.MEDICAL_AND_DENTAL, "FY1", "38831", "38831"),
    BandSpec("medical-st3", "Specialty registrar (ST3+)", PayScheme.MEDICAL_AND_DENTAL, "ST3", "63152", "73992"),
    BandSpec("medical-consultant", "Consultant", PayScheme.MEDICAL_AND_DENTAL, "Consultant", "109725", "145478"),
)

EMPLOYMENT_TYPES = {
    "permanent": ("Permanent", ContractKind.PERMANENT),
    "fixed-term": ("Fixed term", ContractKind.FIXED_TERM),
    "bank": ("Bank (staff bank)", ContractKind.BANK),
    "secondment": ("Secondment", ContractKind.SECONDMENT),
    "apprenticeship": ("Apprenticeship", ContractKind.APPRENTICESHIP),
    "honorary": ("Honorary contract", ""),
}

JOB_LEVELS = {
    "entry": "Entry level",
    "experienced": "Experienced practitioner",
    "team-leader": "Team leader",
    "manager": "Manager",
    "senior-manager": "Senior manager",
    "consultant": "Consultant or director",
}


@dataclass(frozen=True)
class Reference:
    """The reference rows vacancies are built from, by code."""

    departments: dict[str, Department]
    locations: dict[str, Location]
    categories: dict[str, JobCategory]
    employment_types: dict[str, EmploymentType]
    bands: dict[str, SalaryBand]
    levels: dict[str, JobLevel]
    schools: dict[str, SchoolLocation]


def _upsert[M: models.Model](model: type[M], code: str, **values: object) -> M:
    row, _ = model._default_manager.update_or_create(code=code, defaults=values)
    return row


def seed_reference_data() -> Reference:
    """Create or update the organisation and every reference list; returns the rows by code."""
    organisation = Organisation.objects.order_by("pk").first() or Organisation()
    organisation.name, organisation.about_organisation = ORGANISATION_NAME, ORGANISATION_ABOUT
    organisation.careers_email = CAREERS_EMAIL
    organisation.privacy_notice = PRIVACY_NOTICE
    organisation.save()
    departments = {}
    for division_code, (division_name, division_departments) in DIVISIONS.items():
        division = _upsert(Division, division_code, name=division_name)
        for code, name in division_departments:
            departments[code] = _upsert(Department, code, name=name, division=division)
    regions = {code: _upsert(Region, code, name=name) for code, name in REGIONS.items()}
    locations = {
        spec.code: _upsert(
            Location,
            spec.code,
            name=spec.name,
            address_line_1=spec.address_line_1,
            town=spec.town,
            postcode=spec.postcode,
            region=regions[spec.region],
        )
        for spec in LOCATIONS
    }
    return Reference(
        departments=departments,
        locations=locations,
        categories={
            code: _upsert(JobCategory, code, name=name, staff_group=group)
            for code, (name, group) in JOB_CATEGORIES.items()
        },
        employment_types={
            code: _upsert(EmploymentType, code, name=name, contract_kind=contract)
            for code, (name, contract) in EMPLOYMENT_TYPES.items()
        },
        bands={
            spec.code: _upsert(
                SalaryBand,
                spec.code,
                name=spec.name,
                pay_scheme=spec.pay_scheme,
                band=spec.band,
                min_amount=Decimal(spec.minimum),
                max_amount=Decimal(spec.maximum),
            )
            for spec in SALARY_BANDS
        },
        levels={code: _upsert(JobLevel, code, name=name) for code, name in JOB_LEVELS.items()},
        schools={
            code: _upsert(SchoolLocation, code, name=name, location=locations[location])
            for code, (name, location) in SCHOOL_LOCATIONS.items()
        },
    )


# --- Users, permissions and data scopes -----------------------------------------------------------------------------

RECRUITERS_GROUP = "Recruiters"
_REFERENCE_MODELS = (
    "division",
    "department",
    "region",
    "location",
    "jobcategory",
    "salaryband",
    "employmenttype",
    "joblevel",
    "schoollocation",
    "organisation",
)
# Day-to-day recruiting; deliberately not view_equalopportunities (monitoring data stays apart from hiring).
RECRUITER_PERMISSIONS = (
    *(
        f"{action}_{model}"
        for model in ("vacancy", "application", "candidate", "applicationdocument")
        for action in ("view", "add", "change")
    ),
    "approve_vacancy",
    "view_applicationstagechange",
    "view_dbscheck",
    "change_dbscheck",
    "view_dbscheckevent",
    *(f"view_{model}" for model in _REFERENCE_MODELS),
)


class Login(NamedTuple):
    username: str
    password_env: str
    default_password: str

    @property
    def password(self) -> str:
        return os.environ.get(self.password_env) or self.default_password


ADMIN_LOGIN = Login("admin", "DEMO_ADMIN_PASSWORD", "admin-demo-2026")
RECRUITER_LOGIN = Login("recruiter", "DEMO_RECRUITER_PASSWORD", "recruiter-demo-2026")
MANAGER_LOGIN = Login("manager", "DEMO_MANAGER_PASSWORD", "manager-demo-2026")


def _user(login: Login, *, first_name: str, last_name: str, superuser: bool) -> AbstractBaseUser:
    """The user with this username; created (with the login's password) only when missing."""
    user_model = get_user_model()
    existing = user_model.objects.filter(username=login.username).first()
    if existing is not None:
        return existing
    create = user_model.objects.create_superuser if superuser else user_model.objects.create_user
    return create(
        login.username,
        f"{first_name}.{last_name}@example.nhs.uk".lower(),
        login.password,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
    )


def _recruiters_group() -> Group:
    group, _ = Group.objects.get_or_create(name=RECRUITERS_GROUP)
    permissions = list(
        Permission.objects.filter(content_type__app_label="recruitment", codename__in=RECRUITER_PERMISSIONS)
    )
    missing = set(RECRUITER_PERMISSIONS) - {permission.codename for permission in permissions}
    if missing:
        raise CommandError(f"Permissions not found (run migrate first): {', '.join(sorted(missing))}.")
    group.permissions.set(permissions)
    return group


def seed_users() -> tuple[AbstractBaseUser, AbstractBaseUser, AbstractBaseUser]:
    """The superuser `admin` (all divisions), `recruiter` (the Recruiters group, two divisions) and `manager` (the
    Recruiters group, all divisions), who approves the demo vacancies: a vacancy's approver is another person than
    its recruiter (VACANCY_APPROVER_MUST_BE_ANOTHER_PERSON), so the demo shows the approval step with two people."""
    admin = _user(ADMIN_LOGIN, first_name="Alex", last_name="Morgan", superuser=True)
    recruiter = _user(RECRUITER_LOGIN, first_name="Priya", last_name="Shah", superuser=False)
    manager = _user(MANAGER_LOGIN, first_name="Sam", last_name="Okoye", superuser=False)
    group = _recruiters_group()
    recruiter.groups.add(group)
    manager.groups.add(group)
    for user in (admin, manager):
        DataScope.objects.update_or_create(user=user, defaults={"all_divisions": True})
    scope, _ = DataScope.objects.update_or_create(user=recruiter, defaults={"all_divisions": False})
    scope.divisions.set(Division.objects.filter(code__in=RECRUITER_DIVISIONS))
    return admin, recruiter, manager


# --- Candidates -----------------------------------------------------------------------------------------------------

CANDIDATE_COUNT = 200
FIRST_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Grace", "Freya", "Chloe", "Aisha", "Fatima", "Priya", "Zainab", "Niamh",
    "Siobhan", "Chidinma", "Adaeze", "Maria", "Joanna", "Mei", "Sophie", "Emily", "Hannah", "Rebecca", "Oliver",
    "George", "Harry", "Jack", "Noah", "Mohammed", "Yusuf", "Arjun", "Rohan", "Kwame", "Tunde", "Emeka", "Liam",
    "Connor", "Tomasz", "Jakub", "Daniel", "Samuel", "James", "Thomas",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan", "Ahmed",
    "Hussain", "Begum", "Singh", "Kaur", "Okafor", "Adeyemi", "Mensah", "Osei", "Nwosu", "O'Connor", "Murphy",
    "Kelly", "Evans", "Thomas", "Roberts", "Walker", "Wright", "Robinson", "Thompson", "Hughes", "Edwards",
    "Green", "Hall", "Wood", "Nowak", "Kowalski", "Chen", "Wong", "Fernandes", "Santos", "Reyes",
)  # fmt: skip
STREETS = (
    "High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Mill Lane", "Queen's Road",
    "Albert Street", "Green Lane", "Manor Way", "Chapel Street", "King Street",
)  # fmt: skip
# Town and outward code; the inward code is generated ("SE15" + "4QT").
TOWNS = (
    ("London", "SE15"), ("London", "E17"), ("London", "N16"), ("London", "SW9"), ("Croydon", "CR0"),
    ("Salford", "M6"), ("Manchester", "M14"), ("Liverpool", "L15"), ("Bolton", "BL1"), ("Leeds", "LS6"),
    ("Bradford", "BD7"), ("Hull", "HU5"), ("Wakefield", "WF1"), ("Birmingham", "B29"), ("Wolverhampton", "WV3"),
)  # fmt: skip
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's inward code uses


def _email_part(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def _registration(rng: random.Random) -> tuple[str, str]:
    """Some candidates are registered professionals: NMC PIN, HCPC or GMC number; most are not."""
    roll = rng.random()
    if roll < 0.25:
        return RegistrationBody.NMC, f"{rng.randint(10, 99)}{rng.choice('ABCDEFGHIJ')}{rng.randint(1000, 9999)}E"
    if roll < 0.35:
        return RegistrationBody.HCPC, f"{rng.choice(('PH', 'RA', 'OT', 'BS'))}{rng.randint(10000, 999999)}"
    if roll < 0.40:
        return RegistrationBody.GMC, str(rng.randint(6000000, 7999999))
    return "", ""


def seed_candidates(rng: random.Random) -> tuple[list[Candidate], int]:
    """Get or create the demo candidates (by email); returns them and how many were new."""
    candidates, created_count = [], 0
    for number in range(1, CANDIDATE_COUNT + 1):
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        town, outward = rng.choice(TOWNS)
        inward = f"{rng.randint(1, 9)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
        body, registration_number = _registration(rng)
        candidate, created = candidate_get_or_create(
            email=f"{_email_part(first_name)}.{_email_part(last_name)}{number}@example.com",
            first_name=first_name,
            last_name=last_name,
            phone=f"07700 900{number:03d}",
            address_line_1=f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
            town=town,
            postcode=f"{outward} {inward}",
            registration_body=body,
            registration_number=registration_number,
            privacy_notice_accepted_at=timezone.now(),
        )
        candidates.append(candidate)
        created_count += created
    return candidates, created_count


# --- Vacancies ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VacancySpec:
    """One demo vacancy; `title` (the internal title) identifies it between runs, so it is unique."""

    title: str
    title_for_candidates: str
    department: str
    location: str
    category: str
    employment_type: str
    band: str | None
    level: str
    status: VacancyStatus
    attention_grabber: str
    working_patterns: tuple[str, ...] = (WorkingPattern.FULL_TIME, WorkingPattern.FLEXIBLE)
    hours_per_week: str = "37.5"
    duration_months: int | None = None
    dbs_level: str = DbsLevel.NONE
    dbs_workforce: str = ""
    school: str | None = None


V = VacancyStatus
VACANCIES = (
    VacancySpec(
        "Staff Nurse - Ward 7 Elderly Care",
        "Staff Nurse",
        "elderly-care",
        "riverside-general",
        "nursing",
        "permanent",
        "afc-band-5",
        "experienced",
        V.ADVERTISED_EXTERNAL,
        "Ward 7 is a 28-bed elderly care ward with a strong team ethos. We welcome newly qualified nurses and offer a "
        "full preceptorship programme, rotation opportunities and flexible self-rostering.",
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_workforce=DbsWorkforce.ADULT,
    ),
    VacancySpec(
        "Healthcare Assistant - Acute Medical Unit",
        "Healthcare Assistant",
        "acute-medicine",
        "riverside-general",
        "healthcare-support",
        "permanent",
        "afc-band-3",
        "entry",
        V.ADVERTISED_EXTERNAL,
        "Are you caring and calm under pressure? Join our busy Acute Medical Unit as a Healthcare Assistant. Full "
        "training and the Care Certificate are provided, so no previous NHS experience is needed.",
        working_patterns=(WorkingPattern.FULL_TIME, WorkingPattern.PART_TIME),
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_workforce=DbsWorkforce.ADULT,
    ),
    VacancySpec(
        "Band 6 Physiotherapist - MSK Outpatients",
        "Band 6 Physiotherapist",
        "therapies",
        "aire-valley",
        "allied-health",
        "permanent",
        "afc-band-6",
        "experienced",
        V.ADVERTISED_EXTERNAL,
        "Our musculoskeletal outpatient physiotherapy team in Leeds is growing. Enjoy protected CPD time, "
        "in-service training and the chance to develop first-contact practitioner skills.",
        dbs_level=DbsLevel.ENHANCED,
        dbs_workforce=DbsWorkforce.ADULT,
    ),
    VacancySpec(
        "Midwife - Delivery Suite (Band 6)",
        "Midwife - Delivery Suite",
        "maternity",
        "irwell-valley",
        "midwifery",
        "permanent",
        "afc-band-6",
        "experienced",
        V.ADVERTISED_EXTERNAL,
        "Our delivery suite supports 5,500 births a year. We are looking for registered midwives who want to work in "
        "a supportive team with continuity of carer and a dedicated practice development midwife.",
        working_patterns=(WorkingPattern.FULL_TIME, WorkingPattern.PART_TIME, WorkingPattern.FLEXIBLE),
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_workforce=DbsWorkforce.CHILD_AND_ADULT,
    ),
    VacancySpec(
        "Paediatric Staff Nurse - Rainbow Children's Ward (12 months)",
        "Paediatric Staff Nurse",
        "paediatrics",
        "aire-valley",
        "nursing",
        "fixed-term",
        "afc-band-5",
        "experienced",
        V.ADVERTISED_EXTERNAL,
        "Rainbow Ward cares for children and young people with medical and surgical needs. This 12-month post suits "
        "a registered children's nurse looking for broad experience in a friendly team.",
        duration_months=12,
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_workforce=DbsWorkforce.CHILD,
    ),
    VacancySpec(
        "Specialty Registrar ST3+ Emergency Medicine (fixed term)",
        "Specialty Registrar in Emergency Medicine",
        "acute-medicine",
        "riverside-general",
        "medical",
        "fixed-term",
        "medical-st3",
        "experienced",
        V.ADVERTISED_EXTERNAL,
        "A 12-month registrar post in a major trauma unit seeing 140,000 attendances a year, with consultant "
        "presence 16 hours a day, simulation training and support towards CESR.",
        working_patterns=(WorkingPattern.FULL_TIME,),
        hours_per_week="40",
        duration_months=12,
        dbs_level=DbsLevel.ENHANCED,
        dbs_workforce=DbsWorkforce.CHILD_AND_ADULT,
    ),
    VacancySpec(
        "Pharmacy Technician - Inpatient Dispensary",
        "Pharmacy Technician",
        "pharmacy",
        "mersey-view",
        "pharmacy",
        "permanent",
        "afc-band-4",
        "experienced",
        V.ADVERTISED_EXTERNAL,
        "Join our inpatient dispensary in Liverpool as a registered Pharmacy Technician. You will support "
        "medicines reconciliation on the wards and help train our pre-registration trainees.",
        dbs_level=DbsLevel.STANDARD,
        dbs_workforce=DbsWorkforce.OTHER,
    ),
    VacancySpec(
        "Medical Secretary - Cardiology (internal)",
        "Medical Secretary",
        "cardiology",
        "riverside-general",
        "admin-clerical",
        "permanent",
        "afc-band-4",
        "experienced",
        V.ADVERTISED_INTERNAL,
        "An opportunity for current trust staff to join the cardiology secretarial team, managing consultant "
        "correspondence, clinic letters and patient queries for a busy outpatient service.",
    ),
    VacancySpec(
        "Ward Manager - Ward 12 Respiratory (Band 7)",
        "Ward Manager - Respiratory",
        "respiratory",
        "st-annes",
        "nursing",
        "permanent",
        "afc-band-7",
        "manager",
        V.ADVERTISED_INTERNAL,
        "Lead a 24-bed respiratory ward with a non-invasive ventilation bay. We are looking for an experienced "
        "Band 6 or Band 7 nurse ready to lead, inspire and develop a committed team.",
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_workforce=DbsWorkforce.ADULT,
    ),
    VacancySpec(
        "Bank Healthcare Assistant - Surgical Wards",
        "Bank Healthcare Assistant",
        "general-surgery",
        "irwell-valley",
        "healthcare-support",
        "bank",
        "afc-band-2",
        "entry",
        V.ADVERTISED_INTERNAL,
        "Pick up flexible shifts on our surgical wards through the staff bank. Choose when you work, get paid "
        "weekly and gain experience across general, vascular and orthopaedic surgery.",
        working_patterns=(WorkingPattern.FLEXIBLE, WorkingPattern.PART_TIME),
        hours_per_week="15",
        duration_months=12,
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_workforce=DbsWorkforce.ADULT,
    ),
    VacancySpec(
        "Senior Biomedical Scientist - Blood Sciences",
        "Senior Biomedical Scientist",
        "pathology",
        "aire-valley",
        "healthcare-science",
        "permanent",
        "afc-band-6",
        "experienced",
        V.CLOSED,
        "Our UKAS-accredited blood sciences laboratory runs 24/7 on modern automation. We need an HCPC-registered "
        "biomedical scientist to lead a section and support training and quality.",
        working_patterns=(WorkingPattern.FULL_TIME, WorkingPattern.ANNUALISED_HOURS),
    ),
    VacancySpec(
        "Diagnostic Radiographer - CT (secondment)",
        "Diagnostic Radiographer - CT",
        "radiology",
        "humber-bank",
        "allied-health",
        "secondment",
        "afc-band-6",
        "experienced",
        V.CLOSED,
        "A nine-month secondment into our CT department in Hull, with training in cardiac and trauma CT and the "
        "chance to help set up our new community diagnostic centre.",
        duration_months=9,
        dbs_level=DbsLevel.ENHANCED,
        dbs_workforce=DbsWorkforce.ADULT,
    ),
    VacancySpec(
        "Consultant Anaesthetist - Theatres",
        "Consultant Anaesthetist",
        "theatres-anaesthetics",
        "riverside-general",
        "medical",
        "permanent",
        "medical-consultant",
        "consultant",
        V.APPROVED,
        "Join 38 consultant anaesthetists in a department with dedicated regional, obstetric and paediatric lists, "
        "a strong teaching culture and job plans that protect time for supporting activities.",
        working_patterns=(WorkingPattern.FULL_TIME,),
        hours_per_week="40",
        dbs_level=DbsLevel.ENHANCED,
        dbs_workforce=DbsWorkforce.CHILD_AND_ADULT,
    ),
    VacancySpec(
        "Apprentice Healthcare Support Worker - Elderly Care",
        "Apprentice Healthcare Support Worker",
        "elderly-care",
        "st-annes",
        "healthcare-support",
        "apprenticeship",
        "afc-band-2",
        "entry",
        V.APPROVED,
        "Start your NHS career with an 18-month Level 3 Senior Healthcare Support Worker apprenticeship: learn on "
        "the ward, study one day a week and get paid while you train.",
        duration_months=18,
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_workforce=DbsWorkforce.ADULT,
    ),
    VacancySpec(
        "HR Advisor - Recruitment and Resourcing",
        "HR Advisor",
        "human-resources",
        "trust-hq",
        "admin-clerical",
        "permanent",
        "afc-band-6",
        "experienced",
        V.AWAITING_APPROVAL,
        "Help us attract and keep great people. You will advise managers on recruitment, pre-employment checks and "
        "safer recruitment, and support our international recruitment programme.",
        working_patterns=(WorkingPattern.FULL_TIME, WorkingPattern.COMPRESSED_HOURS),
    ),
    VacancySpec(
        "Finance Business Partner - Surgery (Band 8a)",
        "Finance Business Partner",
        "finance",
        "trust-hq",
        "admin-clerical",
        "permanent",
        "afc-band-8a",
        "manager",
        V.AWAITING_APPROVAL,
        "Partner the Surgery division's leadership team on budgets, activity and cost improvement. A qualified "
        "accountant (CCAB or CIMA) with strong communication skills.",
    ),
    VacancySpec(
        "Estates Maintenance Electrician",
        "Maintenance Electrician",
        "estates-facilities",
        "mersey-view",
        "estates",
        "permanent",
        "afc-band-4",
        "experienced",
        V.DRAFT,
        "Keep our hospital running safely. We are looking for a qualified electrician (18th Edition) to maintain "
        "electrical systems across our Liverpool sites, with a share of the on-call rota.",
    ),
    VacancySpec(
        "Honorary Research Fellow - Respiratory Medicine",
        "Honorary Research Fellow",
        "respiratory",
        "st-annes",
        "medical",
        "honorary",
        None,
        "experienced",
        V.DRAFT,
        "An honorary contract for a university-employed research fellow joining our respiratory clinical trials "
        "unit, with access to clinics and patient records for approved studies.",
        working_patterns=(WorkingPattern.PART_TIME,),
        hours_per_week="15",
        dbs_level=DbsLevel.ENHANCED,
        dbs_workforce=DbsWorkforce.ADULT,
    ),
    VacancySpec(
        "Hospital School Teaching Assistant (term time)",
        "Teaching Assistant - Hospital School",
        "paediatrics",
        "riverside-general",
        "healthcare-support",
        "fixed-term",
        "afc-band-3",
        "entry",
        V.DRAFT,
        "Support children and young people to keep learning while they are in hospital. Term time only, working "
        "alongside teachers on the wards and in our hospital school classroom.",
        working_patterns=(WorkingPattern.TERM_TIME, WorkingPattern.PART_TIME),
        hours_per_week="30",
        duration_months=12,
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_workforce=DbsWorkforce.CHILD,
        school="riverside-hospital-school",
    ),
    VacancySpec(
        "Head of Digital Services (Band 8c)",
        "Head of Digital Services",
        "digital-services",
        "trust-hq",
        "admin-clerical",
        "permanent",
        "afc-band-8c",
        "senior-manager",
        V.CANCELLED,
        "Lead a team of 120 through the roll-out of our new electronic patient record, shaping digital services "
        "with clinicians and patients and reporting to the Chief Information Officer.",
    ),
)
# The moves (after creation as a draft) that bring a vacancy to its demo status; a closed vacancy is advertised
# first and closed once its applications are in.
_STATUS_PATH: dict[str, tuple[VacancyStatus, ...]] = {
    V.DRAFT: (),
    V.AWAITING_APPROVAL: (V.AWAITING_APPROVAL,),
    V.APPROVED: (V.AWAITING_APPROVAL, V.APPROVED),
    V.ADVERTISED_INTERNAL: (V.AWAITING_APPROVAL, V.APPROVED, V.ADVERTISED_INTERNAL),
    V.ADVERTISED_EXTERNAL: (V.AWAITING_APPROVAL, V.APPROVED, V.ADVERTISED_EXTERNAL),
    V.CLOSED: (V.AWAITING_APPROVAL, V.APPROVED, V.ADVERTISED_EXTERNAL),
    V.CANCELLED: (V.AWAITING_APPROVAL, V.APPROVED, V.CANCELLED),
}

ADVERT_HTML = """
<h2>Job overview</h2>
<p>{attention_grabber}</p>
<h2>Main duties of the job</h2>
<ul>
<li>Deliver safe, high-quality, compassionate care and services within the {department} team.</li>
<li>Work closely with colleagues across {division} and the wider multidisciplinary team.</li>
<li>Take part in training, appraisal and continuous improvement.</li>
</ul>
<h2>About us</h2>
<p>{organisation} is proud to be an equal opportunities employer and a Disability Confident Leader.</p>
<h3>Working for our organisation</h3>
<p>Read more on our <a href="https://www.example.nhs.uk/careers">careers pages</a>.</p>
"""


CANCEL_REASON = "The post was not funded in this year's workforce plan."
CLOSE_REASON = "Enough applications to shortlist."

# How each demo move is made, given the vacancy, its recruiter and the approver (another person: the approval rule).
_VACANCY_MOVES: dict[str, Callable[[Vacancy, AbstractBaseUser, AbstractBaseUser], Vacancy]] = {
    V.AWAITING_APPROVAL: lambda vacancy, owner, _: vacancy_submit_for_approval(vacancy=vacancy, actor=owner),
    V.APPROVED: lambda vacancy, _, approver: vacancy_approve(vacancy=vacancy, approver=approver),
    V.ADVERTISED_INTERNAL: lambda vacancy, owner, _: vacancy_advertise(vacancy=vacancy, external=False, actor=owner),
    V.ADVERTISED_EXTERNAL: lambda vacancy, owner, _: vacancy_advertise(vacancy=vacancy, external=True, actor=owner),
    V.CANCELLED: lambda vacancy, owner, _: vacancy_cancel(vacancy=vacancy, actor=owner, reason=CANCEL_REASON),
}


def create_vacancy(
    spec: VacancySpec, ref: Reference, *, recruiter: AbstractBaseUser, approver: AbstractBaseUser, rng: random.Random
) -> Vacancy:
    """Create the spec's vacancy as a draft through the services and move it on towards its demo status."""
    department = ref.departments[spec.department]
    division = department.division
    vacancy = vacancy_create(
        recruiter=recruiter,
        title=spec.title,
        title_for_candidates=spec.title_for_candidates,
        division=division,
        department=department,
        location=ref.locations[spec.location],
        job_category=ref.categories[spec.category],
        employment_type=ref.employment_types[spec.employment_type],
        salary_band=ref.bands[spec.band] if spec.band else None,
        salary_type=SalaryType.RANGE if spec.band else SalaryType.NEGOTIABLE,
        job_level=ref.levels[spec.level],
        school_location=ref.schools[spec.school] if spec.school else None,
        working_patterns=list(spec.working_patterns),
        hours_per_week=Decimal(spec.hours_per_week),
        contract_duration_length=spec.duration_months,
        contract_duration_unit=DurationUnit.MONTHS if spec.duration_months else "",
        closing_date=timezone.localdate() + datetime.timedelta(days=rng.randint(30, 60)),
        attention_grabber=spec.attention_grabber,
        advert_html=ADVERT_HTML.format(
            attention_grabber=spec.attention_grabber,
            department=department.name,
            division=division.name,
            organisation=ORGANISATION_NAME,
        ),
        reply_to_email=f"{division.code}.recruitment@example.nhs.uk",
        dbs_level=spec.dbs_level,
        dbs_workforce=spec.dbs_workforce,
    )
    for status in _STATUS_PATH[spec.status]:
        vacancy = _VACANCY_MOVES[status](vacancy, recruiter, approver)
    return vacancy


# --- Applications and DBS checks ------------------------------------------------------------------------------------

S = ApplicationStage
_PIPELINE = (S.SCREENING, S.SHORTLISTED, S.INTERVIEW, S.OFFER, S.PRE_EMPLOYMENT_CHECKS)


class Outcome(NamedTuple):
    """How far an application gets through the pipeline, and how it ends there (hired, rejected, withdrawn)."""

    reached: ApplicationStage
    ending: str = ""


# A vacancy takes the first N outcomes (N at least 11), shuffled: the first eleven cover every stage, including
# two still at pre-employment checks (whose DBS checks are left at the in-progress stages in turn).
_OUTCOMES = (
    Outcome(S.NEW),
    Outcome(S.SCREENING),
    Outcome(S.SHORTLISTED),
    Outcome(S.INTERVIEW),
    Outcome(S.OFFER),
    Outcome(S.PRE_EMPLOYMENT_CHECKS),
    Outcome(S.PRE_EMPLOYMENT_CHECKS),
    Outcome(S.PRE_EMPLOYMENT_CHECKS, S.HIRED),
    Outcome(S.SCREENING, S.REJECTED),
    Outcome(S.PRE_EMPLOYMENT_CHECKS, S.REJECTED),
    Outcome(S.PRE_EMPLOYMENT_CHECKS, S.WITHDRAWN),
    *(Outcome(S.NEW),) * 6,
    *(Outcome(S.SCREENING),) * 3,
    Outcome(S.NEW, S.REJECTED),
    *(Outcome(S.SHORTLISTED),) * 2,
    Outcome(S.SCREENING, S.REJECTED),
    Outcome(S.INTERVIEW),
    Outcome(S.SHORTLISTED, S.WITHDRAWN),
    Outcome(S.SHORTLISTED, S.REJECTED),
    Outcome(S.INTERVIEW),
    Outcome(S.INTERVIEW, S.REJECTED),
    Outcome(S.OFFER),
    *(Outcome(S.NEW),) * 3,
)
MIN_APPLICATIONS = 22
# DBS checks of applications still at pre-employment checks are left at these stages, in turn.
DBS_IN_PROGRESS = (
    DbsStage.AWAITING_CANDIDATE,
    DbsStage.ID_VERIFIED,
    DbsStage.SUBMITTED,
    DbsStage.WITH_DBS,
    DbsStage.CERTIFICATE_ISSUED,
    DbsStage.CLEAR,
    DbsStage.NEEDS_REVIEW,
)
_DBS_LINE = (DbsStage.ID_VERIFIED, DbsStage.SUBMITTED, DbsStage.WITH_DBS, DbsStage.CERTIFICATE_ISSUED)

# How often each source appears: our careers site and NHS Jobs adverts (which link back to it) bring most; every
# other registered board and partner systems a few each.
SOURCE_WEIGHTS = {ApplicationSource.DIRECT: 35, "nhs-jobs": 35}
OTHER_SOURCE_WEIGHT = 8
PARTNER_NAMES = ("Riverside Careers Hub", "Northern Care Staffing Partnership", "Trust Bank Office")
EQUAL_OPPORTUNITIES_QUESTIONS: dict[str, type[models.TextChoices]] = {
    "age_band": AgeBand,
    "sex": Sex,
    "gender_same_as_at_birth": YesNo,
    "ethnicity": Ethnicity,
    "disability": YesNo,
    "sexual_orientation": SexualOrientation,
    "religion": Religion,
}
STAGE_NOTES = {
    S.SCREENING: "Meets the essential criteria of the person specification.",
    S.SHORTLISTED: "Shortlisted by the recruiting manager.",
    S.INTERVIEW: "Invited to interview.",
    S.OFFER: "Successful at interview: conditional offer made.",
    S.PRE_EMPLOYMENT_CHECKS: "Offer accepted: references, occupational health and right to work requested.",
    S.HIRED: "All checks complete: start date agreed.",
    S.WITHDRAWN: "The candidate withdrew their application.",
}
REJECTION_REASONS = {
    S.NEW: "Does not meet the essential criteria (professional registration).",
    S.SCREENING: "Does not demonstrate the essential experience in the supporting information.",
    S.SHORTLISTED: "Not taken forward: stronger applications met more of the desirable criteria.",
    S.INTERVIEW: "Unsuccessful at interview.",
    S.PRE_EMPLOYMENT_CHECKS: "Pre-employment checks not satisfactory.",
}


def _source(vacancy: Vacancy, number: int, rng: random.Random) -> dict[str, str]:
    """Where an application came from: internal adverts only take direct applications."""
    if vacancy.status == V.ADVERTISED_INTERNAL:
        return {"source": ApplicationSource.DIRECT}
    sources = [code for code, _ in source_choices()]
    source = rng.choices(sources, [SOURCE_WEIGHTS.get(code, OTHER_SOURCE_WEIGHT) for code in sources])[0]
    if source == ApplicationSource.DIRECT:
        return {"source": source}
    if source == ApplicationSource.PARTNER:
        return {"source": source, "source_name": rng.choice(PARTNER_NAMES)}
    # A board's applications carry its name, as those taken in from its webhooks do (boards.services.events).
    reference = f"{vacancy.reference}-{number:03d}"
    return {"source": source, "source_name": source_label(source), "source_reference": reference}


def _equal_opportunities(rng: random.Random) -> dict[str, str] | None:
    """Monitoring answers for three applications in four; the others skipped the form."""
    if rng.random() >= 0.75:
        return None
    return {name: rng.choice(choices.values) for name, choices in EQUAL_OPPORTUNITIES_QUESTIONS.items()}


def _dbs_steps(target: DbsStage, decision: str) -> tuple[DbsStage, ...]:
    """The DBS moves from awaiting candidate to `target` (a decision goes through clear or needs review)."""
    if target in _DBS_LINE:
        return _DBS_LINE[: _DBS_LINE.index(target) + 1]
    if target in (DbsStage.CLEAR, DbsStage.NEEDS_REVIEW):
        return (*_DBS_LINE, target)
    if target == DbsStage.DECISION_RECORDED:
        review = DbsStage.CLEAR if decision == DbsDecision.PROCEED else DbsStage.NEEDS_REVIEW
        return (*_DBS_LINE, review, target)
    return ()  # awaiting candidate: where a check starts


def advance_dbs_check(
    check: DbsCheck, target: DbsStage, *, actor: AbstractBaseUser, rng: random.Random, decision: str = ""
) -> None:
    """Move an open DBS check through dbs_check_advance to `target`, with a certificate and decision as needed."""
    for stage in _dbs_steps(target, decision):
        issued = stage == DbsStage.CERTIFICATE_ISSUED
        check = dbs_check_advance(
            check=check,
            to_stage=stage,
            actor=actor,
            certificate_number=f"{rng.randrange(10**12):012d}" if issued else None,
            certificate_issue_date=timezone.localdate() - datetime.timedelta(days=rng.randint(2, 20))
            if issued
            else None,
            decision=decision if stage == DbsStage.DECISION_RECORDED else None,
        )


def play_outcome(
    application: Application,
    outcome: Outcome,
    *,
    actor: AbstractBaseUser,
    rng: random.Random,
    dbs_targets: Iterator[DbsStage],
) -> None:
    """Move an application to its outcome; on a DBS vacancy, its check (opened at pre-employment) goes along."""
    reached = () if outcome.reached == S.NEW else _PIPELINE[: _PIPELINE.index(outcome.reached) + 1]
    for stage in reached:
        application = application_move(application=application, to_stage=stage, actor=actor, note=STAGE_NOTES[stage])
    check = DbsCheck.objects.filter(application=application).first()
    if outcome.ending == S.REJECTED:
        if check is not None:
            advance_dbs_check(
                check, DbsStage.DECISION_RECORDED, actor=actor, rng=rng, decision=DbsDecision.DO_NOT_PROCEED
            )
        application_reject(application=application, actor=actor, reason=REJECTION_REASONS[outcome.reached])
        return
    if check is not None:
        # Hired needs "proceed"; a withdrawal cancels a check still early on; others wait at an in-progress stage.
        if outcome.ending == S.HIRED:
            advance_dbs_check(check, DbsStage.DECISION_RECORDED, actor=actor, rng=rng, decision=DbsDecision.PROCEED)
        else:
            target = DbsStage.SUBMITTED if outcome.ending == S.WITHDRAWN else next(dbs_targets)
            advance_dbs_check(check, target, actor=actor, rng=rng)
    if outcome.ending:
        application_move(
            application=application, to_stage=outcome.ending, actor=actor, note=STAGE_NOTES[outcome.ending]
        )


def seed_applications(
    vacancy: Vacancy,
    candidates: Sequence[Candidate],
    *,
    actor: AbstractBaseUser,
    rng: random.Random,
    dbs_targets: Iterator[DbsStage],
) -> int:
    """Apply a sample of candidates to an advertised vacancy and move each to its outcome; returns how many."""
    outcomes = list(_OUTCOMES[: rng.randint(MIN_APPLICATIONS, len(_OUTCOMES))])
    rng.shuffle(outcomes)
    applicants = rng.sample(list(candidates), len(outcomes))
    for number, (candidate, outcome) in enumerate(zip(applicants, outcomes, strict=True), start=1):
        application = application_submit(
            candidate=candidate,
            vacancy=vacancy,
            cover_letter=f"I would love to join your team as {vacancy.title_for_candidates}."
            if rng.random() < 0.4
            else "",
            equal_opportunities=_equal_opportunities(rng),
            **_source(vacancy, number, rng),
        )
        play_outcome(application, outcome, actor=actor, rng=rng, dbs_targets=dbs_targets)
    return len(outcomes)


# --- The command ----------------------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Create realistic demo data for an NHS trust (reference data, the admin and recruiter logins, vacancies in "
        "every status, candidates, applications in every stage, DBS checks in every stage). Running it again "
        "changes nothing."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            ref = seed_reference_data()
            admin, recruiter, manager = seed_users()
            candidates, new_candidates = seed_candidates(random.Random(SEED))
            dbs_targets = itertools.cycle(DBS_IN_PROGRESS)
            new_vacancies = new_applications = 0
            for spec in VACANCIES:
                if Vacancy.objects.filter(title=spec.title).exists():
                    continue
                rng = random.Random(f"{SEED}:{spec.title}")
                owner = recruiter if ref.departments[spec.department].division.code in RECRUITER_DIVISIONS else admin
                vacancy = create_vacancy(spec, ref, recruiter=owner, approver=manager, rng=rng)
                if vacancy.status in ADVERTISED_STATUSES:
                    new_applications += seed_applications(
                        vacancy, candidates, actor=owner, rng=rng, dbs_targets=dbs_targets
                    )
                if spec.status == V.CLOSED:
                    vacancy_close(vacancy=vacancy, actor=owner, reason=CLOSE_REASON)
                new_vacancies += 1
            # An account on every fake board of the sandbox, and a few live jobs on the boards that send
            # applications back; made once, so a second run changes nothing.
            demo_accounts_ensure()
            demo_postings_ensure(user=admin)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {new_vacancies} new vacancies, {new_applications} new applications, "
                f"{new_candidates} new candidates ({len(VACANCIES) - new_vacancies} vacancies already there)."
            )
        )
        self.stdout.write(f"Back-office: {SITE}/  Careers site: {SITE}/careers/  Board sandbox: {SITE}/sandbox/")
        self.stdout.write(f"Admin: {ADMIN_URL} (passwords are those set when the users were first created)")
        for login, what in (
            (ADMIN_LOGIN, "superuser, all divisions"),
            (RECRUITER_LOGIN, "Recruiters group, two divisions"),
            (MANAGER_LOGIN, "Recruiters group, all divisions: approves the demo vacancies"),
        ):
            self.stdout.write(f"  login {login.username} / {login.password}  ({what})")
