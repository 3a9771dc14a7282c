"""Applications: create (candidate + application + CV in one call), read, stage, and the change export."""

import operator

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recruitment.api.rows import PK_MARKER, TEXT_MARKER, iso_datetime, link_template
from recruitment.api.serializers.base import EmailAddressSerializerField, InputSerializer, PostcodeSerializerField
from recruitment.models import (
    Application,
    ApplicationDocument,
    ApplicationStage,
    Candidate,
    DocumentKind,
    EqualOpportunities,
    RegistrationBody,
)
from recruitment.selectors.applications import EQUAL_OPPORTUNITIES_FIELDS
from recruitment.services.candidates import CANDIDATE_FIELDS

# Documents are listed (as links) only to callers who may open them.
DOCUMENT_VIEW_PERMISSION = "recruitment.view_applicationdocument"


class CandidateSerializer(serializers.ModelSerializer):
    """The applicant."""

    class Meta:
        model = Candidate
        fields = ("id", *CANDIDATE_FIELDS)


class JobRefSerializer(serializers.Serializer):
    """The job applied for."""

    reference = serializers.CharField()
    title = serializers.CharField(source="title_for_candidates")


class DocumentLinkSerializer(serializers.ModelSerializer):
    """A document and the API link that downloads it (same credentials needed)."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationDocument
        fields = ("kind", "original_name", "content_type", "size", "url")

    @extend_schema_field(serializers.URLField())
    def get_url(self, document: ApplicationDocument) -> str:
        path = reverse("api:application-document", args=[document.application_id, document.kind])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EqualOpportunitiesSerializer(serializers.ModelSerializer):
    """Equal-opportunities answers (only for callers with their own permission)."""

    class Meta:
        model = EqualOpportunities
        exclude = ("id", "application")


class ApplicationSerializer(serializers.ModelSerializer):
    """An application with its current stage, candidate, job and document links."""

    candidate = CandidateSerializer()
    job = JobRefSerializer(source="vacancy")
    stage_label = serializers.CharField(source="get_stage_display")
    documents = DocumentLinkSerializer(many=True)
    partner_client = serializers.CharField(source="partner_client.name", allow_null=True, default=None)

    class Meta:
        model = Application
        fields = (
            "id",
            "stage",
            "stage_label",
            "stage_changed_at",
            "submitted_at",
            "source",
            "source_name",
            "partner_client",
            "candidate",
            "job",
            "cover_letter",
            "documents",
        )

    def to_representation(self, instance):
        """Documents are listed only for callers who may open them."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not request.user.has_perm(DOCUMENT_VIEW_PERMISSION):
            data["documents"] = []
        return data


class ApplicationCreatedSerializer(serializers.ModelSerializer):
    """The answer to a new application: what was created, never the stored details of a matched candidate."""

    candidate_id = serializers.IntegerField()
    job = JobRefSerializer(source="vacancy")
    stage_label = serializers.CharField(source="get_stage_display")
    documents = DocumentLinkSerializer(many=True)

    class Meta:
        model = Application
        fields = ("id", "stage", "stage_label", "submitted_at", "source", "candidate_id", "job", "documents")


class ApplicationWithEqualOpportunitiesSerializer(ApplicationSerializer):
    """An application in the change export, with EO answers for callers permitted to read them."""

    equal_opportunities = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = (*ApplicationSerializer.Meta.fields, "equal_opportunities")

    @extend_schema_field(EqualOpportunitiesSerializer(allow_null=True))
    def get_equal_opportunities(self, application: Application):
        if not self.context.get("include_equal_opportunities"):
            return None
        record = getattr(application, "equal_opportunities", None)
        return EqualOpportunitiesSerializer(record).data if record else None


# The nested objects of ApplicationBodies: their keys, and a getter of their values from a row.
_CANDIDATE_KEYS = ("id", *CANDIDATE_FIELDS)
_candidate_values = operator.itemgetter("candidate_id", *(f"candidate__{name}" for name in CANDIDATE_FIELDS))
_answer_values = operator.itemgetter(*(f"equal_opportunities__{name}" for name in EQUAL_OPPORTUNITIES_FIELDS))
_NO_ANSWERS = (None,) * len(EQUAL_OPPORTUNITIES_FIELDS)
_RECORDED_AT = EQUAL_OPPORTUNITIES_FIELDS.index("recorded_at")
_DOCUMENT_KINDS = tuple(DocumentKind.values)
# The flat form of an export object (the streamed CSV): nested keys joined by "_", a document as its link by kind.
FLAT_COLUMNS = (
    "id",
    "stage",
    "stage_label",
    "stage_changed_at",
    "submitted_at",
    "source",
    "source_name",
    "partner_client",
    *(f"candidate_{name}" for name in _CANDIDATE_KEYS),
    "job_reference",
    "job_title",
    "cover_letter",
    *(f"{kind}_url" for kind in _DOCUMENT_KINDS),
)
FLAT_EQUAL_OPPORTUNITIES_COLUMNS = tuple(f"equal_opportunities_{name}" for name in EQUAL_OPPORTUNITIES_FIELDS)


class ApplicationBodies:
    """ApplicationSerializer's bodies built from `recruitment.selectors.applications.application_rows` dict rows
    (with `export`, ApplicationWithEqualOpportunitiesSerializer's), for the lean list pages and the streamed export;
    and the same objects flat (`cells`), for the CSV export.

    The same values in the same shape as the serializers write (`tests/api/test_lean_bodies.py` holds them equal),
    an order of magnitude faster: no model objects, no field objects, links from one template. `with_documents` and
    `with_equal_opportunities` say what the caller may see (DOCUMENT_VIEW_PERMISSION, EO_VIEW_PERMISSION); rows
    read without the answers give `equal_opportunities: null`.
    """

    def __init__(self, request, *, export: bool = False, with_equal_opportunities: bool = False) -> None:
        self.zone = timezone.get_current_timezone()
        self.document_url = link_template(
            "api:application-document", request=request, pk=PK_MARKER, kind=TEXT_MARKER
        ).format
        self.with_documents = request.user.has_perm(DOCUMENT_VIEW_PERMISSION)
        self.export = export
        self.with_equal_opportunities = export and with_equal_opportunities
        self.stage_labels = {value: str(label) for value, label in ApplicationStage.choices}

    def body(self, row: dict, documents: list[dict]) -> dict:
        """One application's body from its row and its documents (`application_documents`' dicts, in kind order)."""
        pk = row["id"]
        body = {
            "id": pk,
            "stage": row["stage"],
            "stage_label": self.stage_labels[row["stage"]],
            "stage_changed_at": iso_datetime(row["stage_changed_at"], self.zone),
            "submitted_at": iso_datetime(row["submitted_at"], self.zone),
            "source": row["source"],
            "source_name": row["source_name"],
            "partner_client": row["partner_client__name"],
            "candidate": dict(zip(_CANDIDATE_KEYS, _candidate_values(row), strict=True)),
            "job": {"reference": row["vacancy__reference"], "title": row["vacancy__title_for_candidates"]},
            "cover_letter": row["cover_letter"],
            "documents": [
                {**document, "url": self.document_url(pk=pk, kind=document["kind"])} for document in documents
            ]
            if self.with_documents
            else [],
        }
        if self.export:
            body["equal_opportunities"] = self._answers(row)
        return body

    def cells(self, row: dict, documents: list[dict]) -> list:
        """The export object of `body` flat, in the order of FLAT_COLUMNS (+ FLAT_EQUAL_OPPORTUNITIES_COLUMNS with
        `with_equal_opportunities`); None for no partner client, no document of a kind, no answers."""
        pk = row["id"]
        kinds = {document["kind"] for document in documents} if self.with_documents else set()
        cells = [
            pk,
            row["stage"],
            self.stage_labels[row["stage"]],
            iso_datetime(row["stage_changed_at"], self.zone),
            iso_datetime(row["submitted_at"], self.zone),
            row["source"],
            row["source_name"],
            row["partner_client__name"],
            *_candidate_values(row),
            row["vacancy__reference"],
            row["vacancy__title_for_candidates"],
            row["cover_letter"],
            *(self.document_url(pk=pk, kind=kind) if kind in kinds else None for kind in _DOCUMENT_KINDS),
        ]
        if self.with_equal_opportunities:
            cells.extend(self._answer_values(row) or _NO_ANSWERS)
        return cells

    def _answers(self, row: dict) -> dict | None:
        """The equal-opportunities answers of an export row, or None (none given, or the caller may not read them)."""
        values = self._answer_values(row)
        return None if values is None else dict(zip(EQUAL_OPPORTUNITIES_FIELDS, values, strict=True))

    def _answer_values(self, row: dict) -> list | None:
        """The answers' values in EQUAL_OPPORTUNITIES_FIELDS order (times written out), or None as `_answers`."""
        if not self.with_equal_opportunities or row["equal_opportunities__id"] is None:
            return None
        values = list(_answer_values(row))
        values[_RECORDED_AT] = iso_datetime(values[_RECORDED_AT], self.zone)
        return values


class StageSerializer(serializers.ModelSerializer):
    """Just the stage of an application."""

    stage_label = serializers.CharField(source="get_stage_display")

    class Meta:
        model = Application
        fields = ("id", "stage", "stage_label", "stage_changed_at")


class ApplicationCreateSerializer(InputSerializer):
    """Create or match the candidate (by normalised email) and apply to a job, with a CV, in one multipart call."""

    multiline_fields = ("cover_letter",)

    job = serializers.CharField(max_length=20, help_text="The job's reference, e.g. VAC-2026-0042.")
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = EmailAddressSerializerField(max_length=254)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    address_line_1 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    address_line_2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    town = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    postcode = PostcodeSerializerField(required=False, allow_blank=True, default="")
    registration_body = serializers.ChoiceField(
        choices=RegistrationBody.choices, required=False, allow_blank=True, default=""
    )
    registration_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    cover_letter = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    cv = serializers.FileField(help_text="PDF, DOC, DOCX, ODT, RTF or TXT; at most 5 MB.")
    cover_letter_file = serializers.FileField(required=False, help_text="Optional; same rules as the CV.")
    privacy_notice_accepted = serializers.BooleanField(
        help_text="The candidate accepted the privacy notice (must be true)."
    )

    def validate_privacy_notice_accepted(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("The candidate must accept the privacy notice.")
        return value

    def validate(self, attrs):
        if bool(attrs.get("registration_body")) != bool(attrs.get("registration_number")):
            raise serializers.ValidationError(
                {"registration_number": "Give both the registration body and number, or neither."}
            )
        return attrs
