"""Jobs: advertised vacancies as partners see them."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recruitment.api.rows import TEXT_MARKER, decimal_text, iso_datetime, link_template
from recruitment.models import Vacancy

# Decimals as the serializer writes them: as many places as the model keeps.
_PLACES = {
    name: Vacancy._meta.get_field(name).decimal_places for name in ("salary_min", "salary_max", "hours_per_week")
}


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


class JobBodies:
    """JobSerializer's bodies built from `recruitment.selectors.vacancies.job_rows` dict rows, for the lean job list.

    The same values in the same shape as JobSerializer writes (`tests/api/test_lean_bodies.py` holds them equal),
    without model or field objects.
    """

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.apply_url = (settings.SITE_URL.rstrip("/") + link_template("careers-apply", reference=TEXT_MARKER)).format

    def body(self, row: dict) -> dict:
        """One job's body from its row."""
        return {
            "reference": row["reference"],
            "title": row["title_for_candidates"],
            "status": row["status"],
            "division": {"code": row["division__code"], "name": row["division__name"]},
            "department": {"code": row["department__code"], "name": row["department__name"]},
            "location": {
                "code": row["location__code"],
                "name": row["location__name"],
                "town": row["location__town"],
                "postcode": row["location__postcode"],
                "region": row["location__region__code"],
            },
            "job_category": {"code": row["job_category__code"], "name": row["job_category__name"]},
            "employment_type": {"code": row["employment_type__code"], "name": row["employment_type__name"]},
            "job_level": None
            if row["job_level__code"] is None
            else {"code": row["job_level__code"], "name": row["job_level__name"]},
            "salary": {
                "type": row["salary_type"],
                "min": decimal_text(row["salary_min"], _PLACES["salary_min"]),
                "max": decimal_text(row["salary_max"], _PLACES["salary_max"]),
                "period": row["salary_period"],
                "band": row["salary_band__code"],
            },
            "working_patterns": row["working_patterns"],
            "hours_per_week": decimal_text(row["hours_per_week"], _PLACES["hours_per_week"]),
            "contract_duration_length": row["contract_duration_length"],
            "contract_duration_unit": row["contract_duration_unit"],
            "closing_date": row["closing_date"].isoformat(),
            "attention_grabber": row["attention_grabber"],
            "advert_html": row["advert_html"],
            "dbs_level": row["dbs_level"],
            "dbs_workforce": row["dbs_workforce"],
            "advertised_at": iso_datetime(row["advertised_at"], self.zone),
            "apply_url": self.apply_url(reference=row["reference"]),
        }
