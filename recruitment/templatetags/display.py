"""Template filters for what every page writes the same way: `{% load display %}`, then `{{ amount|money }}`,
`{{ user|person:"System" }}`, `{{ vacancy|salary }}` ... The rules are in `recruitment.formatting`."""

from django import template

from recruitment import formatting
from recruitment.sources import source_label

register = template.Library()

register.filter("money", formatting.money)
register.filter("salary", formatting.salary)
register.filter("working_patterns", formatting.working_patterns)
register.filter("hours", formatting.hours)
register.filter("contract_length", formatting.contract_length)
register.filter("contract", formatting.contract)
register.filter("band", formatting.band)
# `{{ application.source|source_label }}`: a fraction of `get_source_display`'s cost (its choices are a callable,
# normalised on every call), which a pipeline of 225 rows feels.
register.filter("source_label", source_label)


@register.filter
def person(user, default: str = "") -> str:
    """The person's full name (else username); `default` when there is nobody (a task, a candidate)."""
    return formatting.person_name(user, default)
