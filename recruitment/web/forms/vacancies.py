"""Vacancy forms: the list filters and create / edit."""

from django import forms
from django.db.models import QuerySet

from recruitment.models import (
    DbsLevel,
    DbsWorkforce,
    Department,
    Division,
    EmploymentType,
    JobCategory,
    JobLevel,
    Location,
    SalaryBand,
    SchoolLocation,
    Vacancy,
    VacancyStatus,
    WorkingPattern,
)
from recruitment.selectors.backoffice import VacancyFilters
from recruitment.selectors.scope import scope_division_ids
from recruitment.services.vacancies import VACANCY_FIELDS
from recruitment.web.forms.base import NhsForm, NhsModelForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _scoped_divisions(user) -> QuerySet[Division]:
    """Active divisions within the user's data scope: a recruiter cannot place a vacancy outside it."""
    divisions = Division.objects.filter(is_active=True)
    ids = scope_division_ids(user)
    return divisions if ids is None else divisions.filter(pk__in=ids)


class VacancyFilterForm(NhsForm):
    """Search and filters of the vacancy list (a GET form; invalid values are ignored)."""

    q = forms.CharField(label="Search", required=False, help_text="Reference or job title")
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any status"),
            ("open", "Open (not closed or cancelled)"),
            ("advertised", "Advertised (internally or externally)"),
            *VacancyStatus.choices,
        ],
    )
    division = forms.ModelChoiceField(queryset=Division.objects.none(), required=False, empty_label="Any division")
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, empty_label="Any department"
    )
    closing_from = forms.DateField(label="Closing on or after", required=False, widget=DATE_WIDGET)
    closing_to = forms.DateField(label="Closing on or before", required=False, widget=DATE_WIDGET)
    mine = forms.BooleanField(label="Only vacancies I recruit for", required=False)
    board_attention = forms.BooleanField(label="Only with job-board postings needing attention", required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        divisions = _scoped_divisions(user)
        self.fields["division"].queryset = divisions
        self.fields["department"].queryset = Department.objects.filter(division__in=divisions).order_by("name")

    def filters(self) -> VacancyFilters:
        """The valid filters (fields with errors are left out, so a bad date never breaks the list)."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return VacancyFilters(
            q=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            division_id=data["division"].pk if data.get("division") else None,
            department_id=data["department"].pk if data.get("department") else None,
            closing_from=data.get("closing_from"),
            closing_to=data.get("closing_to"),
            mine=bool(data.get("mine")),
            board_attention=bool(data.get("board_attention")),
        )


class VacancyForm(NhsModelForm):
    """Create or edit a vacancy. Cross-field rules and HTML sanitising live in the vacancy services."""

    working_patterns = forms.MultipleChoiceField(
        choices=WorkingPattern.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose one or more working patterns."},
    )

    class Meta:
        model = Vacancy
        fields = list(VACANCY_FIELDS)
        labels = {
            "title": "Internal job title",
            "advert_html": "Advert text",
            "salary_min": "Lowest salary (£)",
            "salary_max": "Highest salary (£)",
            "hours_per_week": "Hours per week",
            "contract_duration_length": "Contract length",
            "dbs_level": "DBS check needed",
            "dbs_workforce": "DBS workforce",
        }
        help_texts = {
            "advert_html": "You can use simple HTML: paragraphs, headings, lists, bold, italics and links. "
            "Anything else is removed when you save.",
            "about_organisation": "Leave blank on a new vacancy to use the organisation's standard text.",
            "hours_per_week": "Needed for part-time posts.",
            "contract_duration_length": "Needed for fixed-term and other temporary contracts.",
        }
        widgets = {
            "closing_date": DATE_WIDGET,
            "attention_grabber": forms.Textarea(attrs={"rows": 3}),
            "advert_html": forms.Textarea(attrs={"rows": 10}),
            "about_organisation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        divisions = _scoped_divisions(user)
        if self.instance.pk:  # keep an edited vacancy's current division selectable
            divisions = divisions | Division.objects.filter(pk=self.instance.division_id)
        active = {
            "division": divisions.distinct(),
            "department": Department.objects.filter(division__in=divisions, is_active=True).order_by("name"),
            "location": Location.objects.filter(is_active=True),
            "job_category": JobCategory.objects.filter(is_active=True),
            "employment_type": EmploymentType.objects.filter(is_active=True),
            "salary_band": SalaryBand.objects.filter(is_active=True),
            "job_level": JobLevel.objects.filter(is_active=True),
            "school_location": SchoolLocation.objects.filter(is_active=True),
        }
        for name, queryset in active.items():
            self.fields[name].queryset = queryset
        self.fields["dbs_workforce"].choices = [("", "Not needed"), *DbsWorkforce.choices]
        self.fields["dbs_level"].choices = DbsLevel.choices
        self.fields["about_organisation"].required = False

    def validate_constraints(self) -> None:
        """Leave the database constraints to the vacancy services, which word the same rules for people."""

    def service_arguments(self) -> dict:
        """The cleaned values as keyword arguments of vacancy_create / vacancy_update."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
