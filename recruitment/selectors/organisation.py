"""The organisation's own settings."""

from recruitment.models import Organisation

_PLACEHOLDER_ABOUT = (
    "We are an NHS organisation committed to delivering safe, compassionate care. Tell candidates about "
    "your organisation here (Admin > Organisations)."
)


def organisation_get() -> Organisation:
    """The organisation's settings row (the first one), created with placeholder text when there is none yet."""
    organisation = Organisation.objects.order_by("pk").first()
    if organisation is None:
        organisation = Organisation.objects.create(name="Our organisation", about_organisation=_PLACEHOLDER_ABOUT)
    return organisation
