"""Reference lists partners read: divisions, departments, locations, regions, categories, bands, types, levels."""

from rest_framework import serializers

from recruitment.models import (
    Department,
    Division,
    EmploymentType,
    JobCategory,
    JobLevel,
    Location,
    Region,
    SalaryBand,
    SchoolLocation,
)

_BASE = ("code", "name", "is_active")


class DivisionSerializer(serializers.ModelSerializer):
    """A division."""

    class Meta:
        model = Division
        fields = _BASE


class RegionSerializer(serializers.ModelSerializer):
    """A region."""

    class Meta:
        model = Region
        fields = _BASE


class JobLevelSerializer(serializers.ModelSerializer):
    """A job level."""

    class Meta:
        model = JobLevel
        fields = _BASE


class DepartmentSerializer(serializers.ModelSerializer):
    """A department and the code of its division."""

    division = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Department
        fields = (*_BASE, "division")


class LocationSerializer(serializers.ModelSerializer):
    """A workplace address."""

    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Location
        fields = (*_BASE, "address_line_1", "address_line_2", "town", "postcode", "region")


class JobCategorySerializer(serializers.ModelSerializer):
    """A job category with its NHS staff group."""

    class Meta:
        model = JobCategory
        fields = (*_BASE, "staff_group")


class SalaryBandSerializer(serializers.ModelSerializer):
    """A pay band or grade with its range."""

    class Meta:
        model = SalaryBand
        fields = (*_BASE, "pay_scheme", "band", "min_amount", "max_amount", "period")


class EmploymentTypeSerializer(serializers.ModelSerializer):
    """An employment type and the kind of contract it is (permanent, fixed term, locum, bank, ...)."""

    class Meta:
        model = EmploymentType
        fields = (*_BASE, "contract_kind")


class SchoolLocationSerializer(serializers.ModelSerializer):
    """A school site."""

    location = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SchoolLocation
        fields = (*_BASE, "location")
