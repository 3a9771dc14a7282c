"""The public apply form: candidate details, CV, cover letter, equal-opportunities questions, privacy notice."""

import contextlib

from django import forms
from django.core.exceptions import ValidationError

from recruitment.formfields import EmailAddressFormField, PostcodeFormField
from recruitment.held_uploads import (
    HeldUpload,
    held_upload_claim,
    held_upload_describe,
    held_upload_keep,
    held_upload_release,
)
from recruitment.models import ApplicationSource, EqualOpportunities, RegistrationBody
from recruitment.models.applications import PREFER_NOT_TO_SAY
from recruitment.sources import is_source
from recruitment.uploads import ALLOWED_DESCRIPTION, CheckedDocument, check_document
from recruitment.validators import normalise_registration_number
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
    """What a candidate sends; the equal-opportunities answers are a separate, optional part.

    The CV survives an error elsewhere in the form: `keep_cv` holds the checked file (`recruitment.held_uploads`)
    and the re-displayed form carries its token in `cv_token`, shows it as attached and offers to replace it. The
    registration body and number go together (each error on the field that is missing), and the number must have
    the shape of that body's numbers.
    """

    conditional_fields = ("registration_number",)

    first_name = forms.CharField(
        max_length=100,
        error_messages={"required": "Enter your first name."},
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
    )
    last_name = forms.CharField(
        max_length=100,
        error_messages={"required": "Enter your last name."},
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
    )
    email = EmailAddressFormField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter your email address in the correct format, like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=30,
        required=False,
        help_text="For international numbers include the country code, like +44.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    postcode = PostcodeFormField(required=False, help_text="A UK postcode or a BFPO number, if you have one.")
    registration_body = forms.ChoiceField(
        label="Professional registration",
        required=False,
        choices=[("", "Not registered, or not needed for this job"), *RegistrationBody.choices],
        help_text="If you are registered with a regulator, for example as a nurse, a doctor or an allied health "
        "professional.",
    )
    registration_number = forms.CharField(
        label="Registration number",
        max_length=30,
        required=False,
        help_text="Needed if you chose a registration above: your NMC PIN (like 12A3456E), GMC number (7 numbers) "
        "or HCPC number (like PH123456).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    cv = forms.FileField(
        label="Upload your CV",
        required=False,
        help_text=f"A {ALLOWED_DESCRIPTION} file, smaller than 5 MB.",
    )
    cv_token = forms.CharField(widget=forms.HiddenInput, required=False)
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
        self.held: HeldUpload | None = None
        self._held_path = ""
        for name in EQUAL_OPPORTUNITIES_FIELDS:
            model_field = EqualOpportunities._meta.get_field(name)
            self.fields[name] = forms.ChoiceField(
                label=_EO_LABELS[name],
                choices=model_field.choices,
                required=False,
                initial=PREFER_NOT_TO_SAY,
                widget=forms.Select(attrs={"class": "nhsuk-select"}),
            )
        token = self.data.get(self.add_prefix("cv_token")) if self.is_bound else ""
        if token:
            with contextlib.suppress(ValidationError):  # an expired or unknown token is said when the form is cleaned
                self._show_held(held_upload_describe(token))

    def clean_cv(self) -> CheckedDocument | None:
        upload = self.cleaned_data.get("cv")
        if not upload:
            return None
        try:
            return check_document(upload, field="cv")
        except ValidationError as error:
            raise ValidationError(error.message_dict["cv"]) from error

    def clean_source(self) -> str:
        return application_source(self.cleaned_data.get("source"))

    def clean(self) -> dict:
        cleaned = super().clean()
        if "cv" not in self.errors and cleaned.get("cv") is None:
            self._claim_held_cv(cleaned)
        body, number = cleaned.get("registration_body"), cleaned.get("registration_number")
        if body and not number and "registration_number" not in self.errors:
            self.add_error("registration_number", "Enter your registration number, or choose 'Not registered'.")
        elif number and not body and "registration_body" not in self.errors:
            self.add_error("registration_body", "Select the regulator you are registered with.")
        elif body and number:
            try:
                cleaned["registration_number"] = normalise_registration_number(body, number)
            except ValidationError as error:
                self.add_error("registration_number", error)
        return cleaned

    def _claim_held_cv(self, cleaned: dict) -> None:
        """No new file: take the held one, checked again; an expired or unknown one asks for the file again."""
        token = cleaned.get("cv_token")
        if not token:
            self.add_error("cv", "Select your CV.")
            return
        try:
            cleaned["cv"], self._held_path = held_upload_claim(token)
        except ValidationError as error:
            self.held = None
            self._set_token("")
            self.add_error("cv", error.message_dict["cv"] if hasattr(error, "error_dict") else error.messages)

    def keep_cv(self) -> None:
        """After an error: hold the CV that passed its checks (a new upload) so the form can show it as attached and
        send it again; a CV already held stays held."""
        document = self.cleaned_data.get("cv") if hasattr(self, "cleaned_data") else None
        if document is None or "cv" in self.errors:
            return
        if not self._held_path:  # a new upload, not the held one
            self._show_held(held_upload_keep(document))
            self._set_token(self.held.token)

    def release_held_cv(self) -> None:
        """The application is made: delete the held file it was sent from, if any."""
        if self._held_path:
            held_upload_release(self._held_path)

    def _show_held(self, held: HeldUpload) -> None:
        self.held = held
        self.relabel(
            "cv",
            label="Choose a different CV (optional)",
            help_text=f"Only if you want to replace {held.original_name}. {self.base_fields['cv'].help_text}",
        )

    def _set_token(self, token: str) -> None:
        self.data = self.data.copy()
        self.data[self.add_prefix("cv_token")] = token

    def equal_opportunities(self) -> dict[str, str]:
        """The monitoring answers, unanswered ones as "prefer not to say"."""
        return {name: self.cleaned_data.get(name) or PREFER_NOT_TO_SAY for name in EQUAL_OPPORTUNITIES_FIELDS}

    def candidate_fields(self) -> list[forms.BoundField]:
        """The bound fields of the candidate's part of the form, for the template."""
        return [self[name] for name in ("first_name", "last_name", "email", "phone", "postcode")]

    def registration_fields(self) -> list[forms.BoundField]:
        """The professional registration: the regulator and the number."""
        return [self[name] for name in ("registration_body", "registration_number")]

    def monitoring_fields(self) -> list[forms.BoundField]:
        """The bound fields of the equal-opportunities part of the form."""
        return [self[name] for name in EQUAL_OPPORTUNITIES_FIELDS]
