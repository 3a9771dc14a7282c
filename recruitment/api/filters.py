"""Filters for the job list and the DBS check list, and the filter backend the API's lists use."""

import django_filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend

from recruitment.models import DbsCheck, DbsStage, Vacancy


class JobFilter(django_filters.FilterSet):
    """Filter jobs by reference-data codes, closing date and free text."""

    division = django_filters.CharFilter(field_name="division__code")
    department = django_filters.CharFilter(field_name="department__code")
    location = django_filters.CharFilter(field_name="location__code")
    category = django_filters.CharFilter(field_name="job_category__code")
    employment_type = django_filters.CharFilter(field_name="employment_type__code")
    closing_after = django_filters.DateFilter(field_name="closing_date", lookup_expr="gte")
    search = django_filters.CharFilter(method="filter_search", max_length=100)

    class Meta:
        model = Vacancy
        fields = ("division", "department", "location", "category", "employment_type", "closing_after", "search")

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(title_for_candidates__icontains=value)
            | Q(reference__iexact=value)
            | Q(attention_grabber__icontains=value)
        )


class DbsCheckFilter(django_filters.FilterSet):
    """`?stage=awaiting` (awaiting candidate) or any stage code."""

    stage = django_filters.ChoiceFilter(
        choices=[("awaiting", "Awaiting candidate (short form)"), *DbsStage.choices], method="filter_stage"
    )

    class Meta:
        model = DbsCheck
        fields = ("stage",)

    def filter_stage(self, queryset, name, value):
        return queryset.filter(stage=DbsStage.AWAITING_CANDIDATE if value == "awaiting" else value)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which leaves a list alone when the request names none of its filters: it would
    build and validate the filter form only to apply nothing (half a millisecond of every unfiltered page,
    `bench/api.py`). A request naming a filter is django-filter's alone, its errors (400) included."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not set(filterset_class.base_filters).intersection(request.query_params):
            return queryset
        return super().filter_queryset(request, queryset, view)
