"""Identifiers as people type them and as registers write them: California CDS codes and US EINs (organizations),
and 360Giving prefixes (the grants a program publishes). Each `clean_*` returns the one stored form or raises a
ValidationError saying what is wrong; each `validate_*` is the same check for a model field."""

import re

from django.core.exceptions import ValidationError

# CDS codes begin with the county's number: California's 58 counties in alphabetical order, 01 (Alameda) to
# 58 (Yuba), the order of consortia.california.COUNTIES.
CDS_COUNTIES = 58
CDS_EXAMPLE = "34 67439 0000000"
EIN_EXAMPLE = "94-1234567"
PREFIX_EXAMPLE = "360G-CDE-CCPT"

_SEPARATORS = re.compile(r"[\s.-]")
# 360Giving's guidance: a registered prefix starts "360G-"; identifiers avoid spaces and slashes (a hyphen separates
# the parts; other characters become underscores).
_PREFIX = re.compile(r"360G-[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*")


def clean_cds_code(value: str) -> str:
    """14 digits. Spaces, dots and hyphens between the parts are dropped; a district's 7-digit county-district
    code gets the school part 0000000 that its CDS code carries."""
    digits = _SEPARATORS.sub("", value or "")
    if not digits:
        return ""
    if not digits.isdigit():
        raise ValidationError(f"A CDS code has only digits, e.g. {CDS_EXAMPLE}.", code="cds_digits")
    if len(digits) == 7:
        digits += "0000000"
    if len(digits) != 14:
        raise ValidationError(
            f"A CDS code is 14 digits (this has {len(digits)}): 2 for the county, 5 for the district and 7 for the "
            f"school, which is 0000000 for a district or county office, e.g. {CDS_EXAMPLE}.",
            code="cds_length",
        )
    if not 1 <= int(digits[:2]) <= CDS_COUNTIES:
        raise ValidationError(
            f"A CDS code starts with its county's number, 01 to {CDS_COUNTIES}; {digits[:2]} is not one.",
            code="cds_county",
        )
    return digits


def format_cds_code(code: str) -> str:
    """As the California Department of Education writes it: county, district, school."""
    return f"{code[:2]} {code[2:7]} {code[7:]}" if len(code) == 14 else code


def clean_ein(value: str) -> str:
    """NN-NNNNNNN, as the IRS writes it; typed with or without the hyphen."""
    digits = _SEPARATORS.sub("", value or "")
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) != 9:
        raise ValidationError(
            f"An EIN is 9 digits, written like {EIN_EXAMPLE} (this has {sum(c.isdigit() for c in digits)} digits"
            f"{' and other characters' if not digits.isdigit() else ''}).",
            code="ein_format",
        )
    if digits.startswith("00"):
        raise ValidationError("No EIN starts with 00: check the first two digits.", code="ein_prefix")
    return f"{digits[:2]}-{digits[2:]}"


def clean_360g_prefix(value: str) -> str:
    """The prefix as 360Giving registers it ("360G-" and the publisher's code), without a trailing hyphen: the
    export joins it to each identifier with one."""
    prefix = (value or "").strip().rstrip("-")
    if prefix[:5].upper() == "360G-":
        prefix = "360G-" + prefix[5:]
    if not prefix.startswith("360G-") or prefix == "360G-":
        raise ValidationError(
            f"A 360Giving prefix is “360G-” followed by the code 360Giving registered for the publisher, "
            f"e.g. {PREFIX_EXAMPLE}.",
            code="prefix_start",
        )
    if not _PREFIX.fullmatch(prefix):
        raise ValidationError(
            f"After “360G-” use only letters, digits, and hyphens or underscores between them: no spaces, slashes "
            f"or other characters (360Giving's identifier guidance), e.g. {PREFIX_EXAMPLE}.",
            code="prefix_characters",
        )
    return prefix


def _stored_form(clean, value: str) -> None:
    if clean(value) != value:
        raise ValidationError(f"Write it as {clean(value)}.", code="not_stored_form")


# For model fields: a form's clean_<field> stores the cleaned form, and these keep anything else out of the table.
def validate_cds_code(value: str) -> None:
    _stored_form(clean_cds_code, value)


def validate_ein(value: str) -> None:
    _stored_form(clean_ein, value)


def validate_360g_prefix(value: str) -> None:
    _stored_form(clean_360g_prefix, value)
