"""Codes typed into the one "official code" before organizations had a CDS code and an EIN of their own move there
when they are recognisably one: 14 digits (or a district's 7) of a K-12 agency are its CDS code, 9 digits an EIN.
Any other code stays where it was, as the "other official code": nothing is lost.

The rules are written out here rather than imported, so that this migration does the same thing however the site's
own validation changes later."""

import re

from django.db import migrations

K12_KINDS = {"school_district", "county_office", "charter_school", "rocp"}
COUNTIES = 58


def _cds_code(digits: str) -> str:
    code = digits + "0000000" if len(digits) == 7 else digits
    return code if len(code) == 14 and 1 <= int(code[:2]) <= COUNTIES else ""


def move_codes(apps, schema_editor):
    Organization = apps.get_model("consortia", "Organization")
    taken = set(Organization.objects.exclude(cds_code="").values_list("cds_code", flat=True))
    for organization in Organization.objects.exclude(code="").order_by("pk"):
        digits = re.sub(r"[\s.-]", "", organization.code)
        if not digits.isdigit():
            continue
        cds_code = _cds_code(digits) if organization.kind in K12_KINDS else ""
        if cds_code and not organization.cds_code and cds_code not in taken:
            taken.add(cds_code)
            organization.cds_code, organization.code = cds_code, ""
            organization.save(update_fields=["cds_code", "code"])
        elif len(digits) == 9 and not digits.startswith("00") and not organization.ein:
            organization.ein, organization.code = f"{digits[:2]}-{digits[2:]}", ""
            organization.save(update_fields=["ein", "code"])


def move_back(apps, schema_editor):
    Organization = apps.get_model("consortia", "Organization")
    taken = set(Organization.objects.exclude(code="").values_list("code", flat=True))
    for organization in Organization.objects.filter(code="").order_by("pk"):
        code = organization.cds_code or organization.ein
        if code and code not in taken:
            taken.add(code)
            organization.code = code
            organization.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("consortia", "0003_organization_identifiers")]

    operations = [migrations.RunPython(move_codes, move_back)]
