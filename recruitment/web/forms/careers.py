"""The public apply form: candidate details, CV, cover letter, equal-opportunities questions, privacy notice."""

from django import forms
from django.core.exceptions import ValidationError

from recruitment.formfields import EmailAddressFormField, PostcodeFormField
from recruitment.models import ApplicationSource, EqualOpportunities
from recruitment.models.applications import PREFER_NOT_TO_SAY
from recruitment.sources import is_source
from recruitment.uploads import ALLOWED_DESCRIPTION, CheckedDocument, check_document
from recruitment.web.forms.base import NhsForm

# The monitoring questions, in the order the form asks them.
EQUAL_OPPORTUNITIES_FIELDS = (
    "age_band",
    "sex",
    "gender_same_as_at_birth",
    "ethnicity",
    "disability",
    "sexual_orientation",
    "religion",
)
_EO_LABELS = {
    "age_band": "Age",
    "sex": "Sex",
    "gender_same_as_at_birth": "Is the gender you identify with the same as your sex registered at birth?",
    "ethnicity": "Ethnic group",
    "disability": "Do you consider yourself to have a disability under the Equality Act 2010?",
    "sexual_orientation": "Sexual orientation",
    "religion": "Religion or belief",
}


def application_source(value: str | None) -> str:
    """A board code from the advert link (`?source=`), or "direct": partners never apply through this page."""
    if value and is_source(value) and value != ApplicationSource.PARTNER:
        return value
    return ApplicationSource.DIRECT


class ApplyForm(NhsForm):
    """What a candidate sends; the equal-opportunities answers are a separate, optional part."""

    first_name = forms.CharField(max_length=100, error_messages={"required": "Enter your first name."})
    last_name = forms.CharField(max_length=100, error_messages={"required": "Enter your last name."})
    email = EmailAddressFormField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address in the correct format, like name@example.com.",
        },
    )
    phone = forms.CharField(label="Phone number", max_length=30, required=False)
    postcode = PostcodeFormField(required=False, help_text="A UK postcode or a BFPO number, if you have one.")
    cv = forms.FileField(
        label="Upload your CV",
        help_text=f"A {ALLOWED_DESCRIPTION} file, smaller than 5 MB.",
        error_messages={"required": "Select your CV."},
    )
    cover_letter = forms.CharField(
        label="Cover letter",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Tell us why you want this job and what you would bring to it.",
    )
    privacy_notice = forms.BooleanField(
        label="I have read the privacy notice and agree that my details are used to process my application.",
        error_messages={"required": "Confirm that you have read the privacy notice."},
    )
    source = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in EQUAL_OPPORTUNITIES_FIELDS:
            model_field = EqualOpportunities._meta.get_field(name)
            self.fields[name] = forms.ChoiceField(
                label=_EO_LABELS[name],
                choices=model_field.choices,
                required=False,
                initial=PREFER_NOT_TO_SAY,
                widget=forms.Select(attrs={"class": "nhsuk-select"}),
            )

    def clean_cv(self) -> CheckedDocument:
        try:
            return check_document(self.cleaned_data["cv"], field="cv")
        except ValidationError as error:
            raise ValidationError(error.message_dict["cv"]) from error

    def clean_source(self) -> str:
        return application_source(self.cleaned_data.get("source"))

    def equal_opportunities(self) -> dict[str, str]:
        """The monitoring answers, unanswered ones as "prefer not to say"."""
        return {name: self.cleaned_data.get(name) or PREFER_NOT_TO_SAY for name in EQUAL_OPPORTUNITIES_FIELDS}

    def candidate_fields(self) -> list[forms.BoundField]:
        """The bound fields of the candidate's part of the form, for the template."""
        return [self[name] for name in ("first_name", "last_name", "email", "phone", "postcode")]

    def monitoring_fields(self) -> list[forms.BoundField]:
        """The bound fields of the equal-opportunities part of the form."""
        return [self[name] for name in EQUAL_OPPORTUNITIES_FIELDS]
