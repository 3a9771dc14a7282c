"""DBS checks for partners such as a DBS umbrella body."""

from rest_framework import serializers

from recruitment.api.serializers.base import CertificateNumberSerializerField, InputSerializer
from recruitment.models import DbsCheck, DbsDecision, DbsStage


class DbsCandidateSerializer(serializers.Serializer):
    """Who the check is for."""

    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField()


class DbsCheckSerializer(serializers.ModelSerializer):
    """A DBS check: what is required and where it is."""

    application = serializers.IntegerField(source="application_id")
    candidate = DbsCandidateSerializer(source="application.candidate")
    job = serializers.CharField(source="application.vacancy.reference")
    stage_label = serializers.CharField(source="get_stage_display")

    class Meta:
        model = DbsCheck
        fields = (
            "id",
            "application",
            "candidate",
            "job",
            "level",
            "workforce",
            "barred_list_children",
            "barred_list_adults",
            "stage",
            "stage_label",
            "stage_changed_at",
            "certificate_number",
            "certificate_issue_date",
            "update_service_subscriber",
            "update_service_result",
            "decision",
            "decision_at",
        )


class DbsCheckAdvanceSerializer(InputSerializer):
    """Move a check to its next stage, with what that stage needs (same rules as the back-office)."""

    multiline_fields = ("note",)

    stage = serializers.ChoiceField(choices=DbsStage.choices)
    certificate_number = CertificateNumberSerializerField(required=False)
    certificate_issue_date = serializers.DateField(required=False)
    decision = serializers.ChoiceField(choices=DbsDecision.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
