"""Jobs: advertised vacancies as partners see them."""

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recruitment.models import Vacancy


class NamedRefSerializer(serializers.Serializer):
    """A reference-data entry by code and name."""

    code = serializers.CharField()
    name = serializers.CharField()


class JobLocationSerializer(serializers.Serializer):
    """Where the job is."""

    code = serializers.CharField()
    name = serializers.CharField()
    town = serializers.CharField()
    postcode = serializers.CharField()
    region = serializers.CharField(source="region.code")


class SalarySerializer(serializers.Serializer):
    """The salary offered."""

    type = serializers.CharField(source="salary_type")
    min = serializers.DecimalField(source="salary_min", max_digits=10, decimal_places=2, allow_null=True)
    max = serializers.DecimalField(source="salary_max", max_digits=10, decimal_places=2, allow_null=True)
    period = serializers.CharField(source="salary_period")
    band = serializers.CharField(source="salary_band.code", allow_null=True, default=None)


class JobSerializer(serializers.ModelSerializer):
    """An advertised vacancy."""

    title = serializers.CharField(source="title_for_candidates")
    division = NamedRefSerializer()
    department = NamedRefSerializer()
    location = JobLocationSerializer()
    job_category = NamedRefSerializer()
    employment_type = NamedRefSerializer()
    job_level = NamedRefSerializer(allow_null=True)
    salary = SalarySerializer(source="*")
    apply_url = serializers.SerializerMethodField()

    class Meta:
        model = Vacancy
        fields = (
            "reference",
            "title",
            "status",
            "division",
            "department",
            "location",
            "job_category",
            "employment_type",
            "job_level",
            "salary",
            "working_patterns",
            "hours_per_week",
            "contract_duration_length",
            "contract_duration_unit",
            "closing_date",
            "attention_grabber",
            "advert_html",
            "dbs_level",
            "dbs_workforce",
            "advertised_at",
            "apply_url",
        )

    @extend_schema_field(serializers.URLField())
    def get_apply_url(self, vacancy: Vacancy) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("careers-apply", args=[vacancy.reference])
