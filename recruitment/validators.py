"""Validators and normalisers shared by models, forms, the admin, the API and the services.

One normaliser per kind of value, and every path calls it: `normalise_email`, `normalise_postcode` and
`normalise_certificate_number` each return the canonical form or raise `ValidationError`; `validate_plain_text`
refuses the invisible characters a person never means to type.
"""

import re
import unicodedata

import idna
from confusable_homoglyphs import categories
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_email

# --- Text a person types ------------------------------------------------------------------------------------------

# Unicode's Bidi_Control characters (PropList.txt): marks, embeddings, overrides and isolates. They reorder what is
# shown ("Trojan Source", CVE-2021-42574), so a name can display as something else; a form never needs them.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible format characters that make two strings look the same: zero width space, word joiner, invisible
# operators, deprecated format characters, byte order mark, interlinear annotation. Zero width (non-)joiners stay:
# Persian, Indic scripts and emoji need them.
_INVISIBLE = frozenset(
    "\u200b\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufff9\ufffa\ufffb"
)
# Multi-line text (cover letters, notes, adverts) keeps its line breaks and tabs.
_MULTILINE_WHITESPACE = frozenset("\t\n\r")


def _describe(character: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE'; control characters have no Unicode name, only their code point."""
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X} {name}".strip()


def validate_plain_text(value: str, *, multiline: bool = False) -> None:
    """Refuse control characters (Unicode category Cc), bidirectional controls and invisible format characters.

    `multiline` allows tabs and line breaks (CR, LF), which text areas send. Raises ValidationError (code
    "control_character") naming the first offending character, so the person can find and remove it.
    """
    for character in value or "":
        if multiline and character in _MULTILINE_WHITESPACE:
            continue
        if unicodedata.category(character) == "Cc" or character in _BIDI_CONTROLS or character in _INVISIBLE:
            raise ValidationError(
                "Remove the invisible control character (%(character)s) from this text.",
                code="control_character",
                params={"character": _describe(character)},
            )


def normalise_line_endings(value: str) -> str:
    """Every line break as one LF: browsers send a text area's breaks as CRLF (two characters) while the page's
    character count sees one, so forms, the API and the models call this once, before any length check."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value


def validate_single_line_text(value: str) -> None:
    """Field validator for one-line text: names, titles, references, phone numbers."""
    validate_plain_text(value, multiline=False)


def validate_multiline_text(value: str) -> None:
    """Field validator for text areas: cover letters, notes, advert text."""
    validate_plain_text(value, multiline=True)


# --- Email addresses ----------------------------------------------------------------------------------------------

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com."
# Script mixes that UTS #39 ("highly restrictive") allows within one label: Japanese, Chinese and Korean writing.
_ALLOWED_SCRIPT_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
_SCRIPT_NEUTRAL = frozenset({"COMMON", "INHERITED"})


def _mixes_scripts(label: str) -> bool:
    """True when a domain label mixes writing systems, as "ex\u0430mple" (a Cyrillic "a" among Latin letters) does."""
    scripts = set(categories.unique_aliases(label)) - _SCRIPT_NEUTRAL
    return len(scripts) > 1 and not any(scripts <= allowed for allowed in _ALLOWED_SCRIPT_MIXES)


def normalise_email(value: str) -> str:
    """The key one email address is known by, whatever way it was typed; raises ValidationError if it is not valid.

    The local part is NFC-normalised and case-folded; the domain goes through IDNA (UTS #46 mapping, so
    "ZOË.EXAMPLE", "zoe\\u0308.example" and "xn--zo-ija.example" agree) and is kept in its ASCII form. So
    "Zoe@ZOË.example" and "zoe@xn--zo-ija.example" both give "zoe@xn--zo-ija.example". A domain label mixing
    scripts (UTS #39: Latin with Cyrillic, say) is refused: it imitates another address.
    """
    text = unicodedata.normalize("NFC", (value or "").strip())
    try:
        validate_email(text)
    except ValidationError as exc:
        raise ValidationError(EMAIL_MESSAGE, code="invalid") from exc
    local, _, domain = text.rpartition("@")
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
        unicode_domain = idna.decode(ascii_domain)
    except idna.IDNAError as exc:
        raise ValidationError(EMAIL_MESSAGE, code="invalid") from exc
    if any(_mixes_scripts(label) for label in unicode_domain.split(".")):
        raise ValidationError(
            "This email address's domain mixes alphabets (for example a Cyrillic letter among Latin ones). "
            "Check the address and type it again.",
            code="mixed_script_domain",
        )
    return f"{unicodedata.normalize('NFC', local.casefold())}@{ascii_domain}"


def validate_email_address(value: str) -> None:
    """Field validator: accept any address `normalise_email` accepts."""
    normalise_email(value)


# --- Postcodes ------------------------------------------------------------------------------------------------------

# What Royal Mail delivers to with a UK-format postcode, compacted (no spaces), upper case:
# - the UK and the Crown Dependencies (outward code + inward code), and GIR 0AA;
# - British Forces Post Office numbers, "BFPO 1234" (1 to 4 digits);
# - the British Overseas Territories that use UK-format postcodes: Ascension (ASCN 1ZZ), St Helena (STHL 1ZZ),
#   Tristan da Cunha (TDCU 1ZZ), British Indian Ocean Territory (BBND 1ZZ), British Antarctic Territory (BIQQ 1ZZ),
#   Falkland Islands (FIQQ 1ZZ), Pitcairn (PCRN 1ZZ), South Georgia (SIQQ 1ZZ), Turks and Caicos (TKCA 1ZZ);
#   Gibraltar's GX11 1AA already has the UK shape.
# Territories with postcodes of their own shape (Cayman KY1-1234, Bermuda HM 12, Anguilla AI-2640, Montserrat
# MSR 1110, Virgin Islands VG1110) are not UK postcodes: candidates there leave the postcode blank.
OVERSEAS_TERRITORY_POSTCODES = (
    "ASCN 1ZZ",
    "BBND 1ZZ",
    "BIQQ 1ZZ",
    "FIQQ 1ZZ",
    "PCRN 1ZZ",
    "SIQQ 1ZZ",
    "STHL 1ZZ",
    "TDCU 1ZZ",
    "TKCA 1ZZ",
)
_TERRITORIES = "|".join(code.replace(" ", "") for code in OVERSEAS_TERRITORY_POSTCODES)
_POSTCODE_RE = re.compile(rf"^(GIR0AA|[A-Z]{{1,2}}[0-9][A-Z0-9]?[0-9][A-Z]{{2}}|BFPO[0-9]{{1,4}}|{_TERRITORIES})$")
# Dashes people put between the outward and inward codes, besides spaces of every kind (no-break, thin, ...).
_POSTCODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")

# The same rule for the database check constraints, on the normalised value (one space before the inward code, or
# after "BFPO"). The longest normalised value, "BFPO 1234", has 9 characters.
POSTCODE_DB_REGEX = r"^(GIR 0AA|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|BFPO [0-9]{1,4}|[A-Z]{4} 1ZZ)$"
POSTCODE_MAX_LENGTH = 9
POSTCODE_MESSAGE = "Enter a real UK postcode, like SW1A 1AA (or a BFPO number, like BFPO 123)."


def normalise_postcode(value: str) -> str:
    """Return a postcode upper-cased with one space before the inward code (or after BFPO), or raise ValidationError.

    "sw1a1aa", " SW1A  1AA ", "sw1a-1aa" and "SW1A\\u00a01AA" all become "SW1A 1AA"; "bfpo123" becomes "BFPO 123".
    """
    compact = _POSTCODE_SEPARATORS.sub("", value or "").upper()
    if not _POSTCODE_RE.match(compact):
        raise ValidationError(POSTCODE_MESSAGE, code="invalid_postcode")
    if compact.startswith("BFPO"):
        return f"BFPO {compact[4:]}"
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(value: str) -> None:
    """Field validator: accept anything `normalise_postcode` accepts."""
    normalise_postcode(value)


# --- DBS certificate numbers ----------------------------------------------------------------------------------------

CERTIFICATE_NUMBER_REGEX = r"^[0-9]{12}$"
CERTIFICATE_MESSAGE = "Enter the certificate number: exactly 12 digits."
# Spaces of every kind and dashes between groups of digits, as people copy the number from a certificate.
_CERTIFICATE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")

validate_certificate_number = RegexValidator(
    CERTIFICATE_NUMBER_REGEX,
    message=CERTIFICATE_MESSAGE,
    code="invalid_certificate",
)


def normalise_certificate_number(value: str) -> str:
    """The 12 digits of a DBS certificate number, or raise ValidationError.

    Groups separated by spaces (including no-break and thin spaces) or dashes are joined: "0012 3456 7890",
    "001234-567890" and "001234\\u00a0567890" all become "001234567890". Only ASCII digits count.
    """
    number = _CERTIFICATE_SEPARATORS.sub("", value or "")
    validate_certificate_number(number)
    return number


# --- Professional registration numbers ----------------------------------------------------------------------------

# The shape of each regulator's number, as its register search shows it: an NMC PIN is two digits, a letter, four
# digits and a letter (12A3456E); a GMC reference number is seven digits; an HCPC registration number is the
# profession's two-letter prefix and up to six digits (PH123456). "Other" registers are not checked.
REGISTRATION_FORMATS = {
    "nmc": (
        re.compile(r"^[0-9]{2}[A-Z][0-9]{4}[A-Z]$"),
        "an NMC PIN is 2 numbers, a letter, 4 numbers and a letter, like 12A3456E",
    ),
    "gmc": (re.compile(r"^[0-9]{7}$"), "a GMC number is 7 numbers, like 7012345"),
    "hcpc": (re.compile(r"^[A-Z]{2}[0-9]{1,6}$"), "an HCPC number is 2 letters and up to 6 numbers, like PH123456"),
}


def normalise_registration_number(body: str, number: str) -> str:
    """The number upper-cased without spaces or dashes, or ValidationError when it does not have the shape of the
    body's numbers (`REGISTRATION_FORMATS`)."""
    compact = re.sub(r"[\s\-]+", "", number or "").upper()
    rule = REGISTRATION_FORMATS.get(body)
    if rule and not rule[0].match(compact):
        raise ValidationError(f"Enter a real registration number: {rule[1]}.", code="invalid_registration")
    return compact
