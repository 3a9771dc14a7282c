"""Vacancy forms: the list filters and create / edit."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse

from recruitment.formfields import DateInputField
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
from recruitment.services.vacancies import VACANCY_FIELDS, vacancy_validate
from recruitment.web.forms.base import NhsForm, NhsModelForm


def _scoped_divisions(user) -> QuerySet[Division]:
    """Active divisions within the user's data scope: a recruiter cannot place a vacancy outside it."""
    divisions = Division.objects.filter(is_active=True)
    ids = scope_division_ids(user)
    return divisions if ids is None else divisions.filter(pk__in=ids)


class DivisionDepartmentMixin:
    """The department list narrowed by the chosen division, with and without JavaScript.

    Without a division the departments are grouped by division; once one is chosen (in the submitted or initial
    data, or the vacancy's own) only its departments are offered. With JavaScript, changing the division fetches
    the department field again (htmx, `vacancy-departments`); without it, the page is submitted (the filter's
    "Apply filters", the vacancy form's "Update the department list" button) and comes back narrowed. The services
    still check that the department is in the division.
    """

    department_empty_label = "Select a department"

    def _narrow_departments(self, departments: QuerySet[Department], divisions: QuerySet[Division]) -> None:
        field = self.fields["department"]
        field.empty_label = self.department_empty_label
        field.queryset = departments
        division = self._chosen_division(divisions)
        if division is not None:
            field.queryset = departments.filter(division=division)
            self.relabel("department", help_text=f"The departments of {division.name}.")
            return
        grouped: dict[str, list[tuple[int, str]]] = {}
        for department in departments.select_related("division").order_by("division__name", "name"):
            grouped.setdefault(department.division.name, []).append((department.pk, department.name))
        field.choices = [("", self.department_empty_label), *grouped.items()]

    def _chosen_division(self, divisions: QuerySet[Division]) -> Division | None:
        """The division the person chose (or the vacancy has), if it is one they may use."""
        key = self.add_prefix("division")
        if self.is_bound:
            value = self.data.get(key)
        else:
            value = self.initial.get("division") or getattr(getattr(self, "instance", None), "division_id", None)
        if isinstance(value, Division):
            value = value.pk
        try:
            return divisions.get(pk=int(value)) if value else None
        except (TypeError, ValueError, Division.DoesNotExist):
            return None

    def _division_fetches_departments(self, *, listing: bool) -> None:
        """The htmx attributes that fetch the narrowed department field when the division changes."""
        self.fields["division"].widget.attrs.update(
            {
                "hx-get": reverse("vacancy-departments"),
                "hx-trigger": "change",
                "hx-target": "#department-field",
                "hx-swap": "outerHTML",
                "hx-include": f"#id_{self.add_prefix('department')}",
                "hx-vals": '{"list": "1"}' if listing else '{"list": ""}',
            }
        )


class VacancyFilterForm(DivisionDepartmentMixin, NhsForm):
    """Search and filters of the vacancy list (a GET form; invalid values are ignored)."""

    department_empty_label = "Any department"

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
    closing_from = DateInputField(label="Closing on or after", required=False, help_text="For example, 1 4 2026")
    closing_to = DateInputField(label="Closing on or before", required=False, help_text="For example, 30 4 2026")
    mine = forms.BooleanField(label="Only vacancies I recruit for", required=False)
    board_attention = forms.BooleanField(label="Only with job-board postings needing attention", required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        divisions = _scoped_divisions(user)
        self.fields["division"].queryset = divisions
        self._narrow_departments(Department.objects.filter(division__in=divisions).order_by("name"), divisions)
        self._division_fetches_departments(listing=True)

    def filters(self) -> VacancyFilters:
        """The valid filters (fields with errors are left out, so a bad date never breaks the list; a department of
        another division than the chosen one is left out, as the narrowed list no longer offers it)."""
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


class VacancyForm(DivisionDepartmentMixin, NhsModelForm):
    """Create or edit a vacancy. Cross-field rules and HTML sanitising live in the vacancy services.

    Fields needed only in some cases (`conditional_fields`) say when in their hint; the services' rules
    (`vacancy_validate`) put each error on the field that caused it, and run with the form's (`_post_clean`).
    """

    # The page's order (the error summary lists errors in it).
    field_order = (
        "title",
        "title_for_candidates",
        "division",
        "department",
        "location",
        "job_category",
        "employment_type",
        "job_level",
        "school_location",
        "closing_date",
        "reply_to_email",
        "salary_band",
        "salary_type",
        "salary_min",
        "salary_max",
        "salary_period",
        "working_patterns",
        "hours_per_week",
        "contract_duration_length",
        "contract_duration_unit",
    )
    conditional_fields = (
        "salary_min",
        "salary_max",
        "hours_per_week",
        "contract_duration_length",
        "contract_duration_unit",
        "dbs_workforce",
    )

    working_patterns = forms.MultipleChoiceField(
        choices=WorkingPattern.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select one or more working patterns."},
    )
    closing_date = DateInputField(
        label="Closing date",
        help_text="The last day candidates can apply (until midnight, UK time). For example, 27 3 2026",
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
            "contract_duration_unit": "Contract length unit",
            "reply_to_email": "Reply-to email address",
            "dbs_level": "DBS check needed",
            "dbs_workforce": "DBS workforce",
        }
        help_texts = {
            "advert_html": "You can use simple HTML: paragraphs, headings, lists, bold, italics and links. "
            "Anything else is removed when you save.",
            "about_organisation": "Leave blank on a new vacancy to use the organisation's standard text.",
            "reply_to_email": "Where candidates' questions about the job go, for example a team mailbox.",
            "salary_min": "Needed for a salary range or a fixed salary: the fixed salary goes here.",
            "salary_max": "Needed for a salary range.",
            "hours_per_week": "Needed when the post is part time.",
            "contract_duration_length": "Needed for fixed-term and other temporary contracts (locum, bank, "
            "secondment, apprenticeship, training), with its unit below.",
            "contract_duration_unit": "Needed with the contract length: days, weeks, months or years.",
            "dbs_workforce": "Needed when the post needs a DBS check.",
        }
        error_messages = {
            "dbs_level": {"required": "Select the DBS check the post needs."},
            "salary_type": {"required": "Select how the salary is given: a range, fixed or negotiable."},
        }
        widgets = {
            "attention_grabber": forms.Textarea(attrs={"rows": 3}),
            "advert_html": forms.Textarea(attrs={"rows": 10}),
            "about_organisation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        divisions = _scoped_divisions(user)
        if self.instance.pk:  # keep an edited vacancy's current division selectable
            divisions = (divisions | Division.objects.filter(pk=self.instance.division_id)).distinct()
        active = {
            "division": divisions,
            "location": Location.objects.filter(is_active=True),
            "job_category": JobCategory.objects.filter(is_active=True),
            "employment_type": EmploymentType.objects.filter(is_active=True),
            "salary_band": SalaryBand.objects.filter(is_active=True),
            "job_level": JobLevel.objects.filter(is_active=True),
            "school_location": SchoolLocation.objects.filter(is_active=True),
        }
        for name, queryset in active.items():
            self.fields[name].queryset = queryset
        self._narrow_departments(
            Department.objects.filter(division__in=divisions, is_active=True).order_by("name"), divisions
        )
        self._division_fetches_departments(listing=False)
        self.fields["dbs_workforce"].choices = [("", "Not needed"), *DbsWorkforce.choices]
        self.fields["dbs_level"].choices = DbsLevel.choices
        self.fields["about_organisation"].required = False

    def validate_constraints(self) -> None:
        """Leave the database constraints to the vacancy services, which word the same rules for people."""

    def _post_clean(self) -> None:
        """The services' rules that span fields (`vacancy_validate`) run with the form's own, so every error of the
        form is reported on the same save; a field with an error of its own keeps that one."""
        super()._post_clean()
        try:
            vacancy_validate(self.instance)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)

    def service_arguments(self) -> dict:
        """The cleaned values as keyword arguments of vacancy_create / vacancy_update."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# What the close and cancel confirmation pages say.
END_WORDING = {
    "close": {
        "past": "closed",
        "heading": "Close this vacancy?",
        "effect": "Closing stops applications at once: the careers site and the partner API stop taking them and "
        "the job boards take the adverts down. This cannot be undone: to advertise again, copy the vacancy into a "
        "new draft.",
        "label": "Why are you closing the vacancy?",
        "hint": "For example: enough applications to shortlist, or the post is no longer needed. It is recorded in "
        "the vacancy's history.",
        "required": "Enter the reason for closing the vacancy.",
        "button": "Close the vacancy",
        "keep": "Keep the vacancy open",
    },
    "cancel": {
        "past": "cancelled",
        "heading": "Cancel this vacancy?",
        "effect": "Cancelling ends the vacancy before it is advertised. This cannot be undone: to go on later, copy "
        "it into a new draft.",
        "label": "Why are you cancelling the vacancy?",
        "hint": "For example: the post was not funded, or the service changed. It is recorded in the vacancy's "
        "history.",
        "required": "Enter the reason for cancelling the vacancy.",
        "button": "Cancel the vacancy",
        "keep": "Keep the vacancy",
    },
}


class EndVacancyForm(NhsForm):
    """The confirmation of closing or cancelling a vacancy: the reason, which goes in the vacancy's history."""

    reason = forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, action: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.wording = END_WORDING[action]
        self.relabel("reason", label=self.wording["label"], help_text=self.wording["hint"])
        self.fields["reason"].error_messages["required"] = self.wording["required"]
