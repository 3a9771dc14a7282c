"""Sanitising advert HTML with nh3."""

import nh3

# What an advert may contain: structure and emphasis, links, no scripts, styles or images.
ADVERT_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "a",
    "blockquote",
}
ADVERT_ATTRIBUTES = {"a": {"href", "title"}}


def sanitise_advert_html(value: str) -> str:
    """Keep the advert's formatting and drop everything else (scripts, event handlers, styles, iframes)."""
    return nh3.clean(
        value or "",
        tags=ADVERT_TAGS,
        attributes=ADVERT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()
