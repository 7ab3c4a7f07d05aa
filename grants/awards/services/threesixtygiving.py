"""Awards published in the 360Giving Data Standard (JSON), validated against the schema in grants/schemas/.

Only awards whose money counts (Award.COMMITTING: offered, accepted, active, closed) are grants; declined,
withdrawn and recovered offers are left out. What was paid comes from the payments (grants.payments, a later app:
its caller passes it in): `amountDisbursed`, a field of the standard, and each payment in `disbursements`, an
additional field (the standard lets a publisher add fields of its own), with its date, fiscal year and warrant.

Amounts are Decimal until the document is written: a JSON number is the only place they become floats, and only
when the float prints back as exactly the same amount.
"""

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from consortia.models import Organization
from grants.programs.models import Program

from ..models import Award
from .exports import award_date, awards_for_export

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "360giving-grant.schema.json"
FUNDER_NAME = "California Department of Education"


def json_number(amount: Decimal) -> float:
    """A money amount as a JSON number, refusing any amount a float cannot carry to the cent."""
    number = float(amount)
    if Decimal(repr(number)) != amount:
        raise ValueError(f"{amount} cannot be written as an exact JSON number")
    return number


def organization_id(organization: Organization, *, prefix: str) -> str:
    """The organization's identifier in the org-id.guide scheme 360Giving asks for.

    An EIN is on a registered list (US-EIN), so it is preferred. org-id.guide has no list of California's CDS codes
    (nor of NCES or IPEDS ids), so a CDS code is published as 360Giving asks for an organization without a
    registered number: under the publisher's prefix, marked as a CDS code so that it means the same in every file.
    An organization with neither gets our own number under the prefix.
    """
    if organization.ein:
        return f"US-EIN-{organization.ein.replace('-', '')}"
    if organization.cds_code:
        return f"{prefix}-CDS-{organization.cds_code}"
    return f"{prefix}-ORG-{organization.pk}"


def funding_organization(program: Program) -> dict:
    return {"id": f"{program.threesixtygiving_prefix}-FUNDER", "name": program.administering_agency or FUNDER_NAME}


@dataclass(frozen=True)
class Disbursement:
    """One payment made to a grantee, as published."""

    id: str  # our own number of the payment
    amount: Decimal
    paid_on: date
    fiscal_year: str
    reference: str  # the warrant number


def grant(award: Award, disbursements: list[Disbursement] | None = None) -> dict:
    consortium, round_, application = award.consortium, award.round, award.application
    prefix = round_.program.threesixtygiving_prefix
    lead = consortium.lead_agency
    title = application.title or f"Career pathways grant to {consortium.name}"
    counties = [county.name for county in consortium.counties_served.all()]
    locations = [f"{name} County, California" for name in counties] or [f"{consortium.region.name}, California"]
    return {
        "id": f"{prefix}-{award.number}",
        "title": title,
        "description": (
            f"{round_.program.name}, {round_.name}: a grant in the {award.category.name} funding category "
            f"to the {consortium.name} consortium, led by {lead.name}, to build career pathways "
            f"for fiscal years {award.fiscal_years[0]} to {award.fiscal_years[-1]}."
        ),
        "currency": "USD",
        "amountAwarded": json_number(award.amount),
        "amountAppliedFor": json_number(application.requested_amount),
        "awardDate": award_date(award).isoformat(),
        "recipientOrganization": [{"id": organization_id(lead, prefix=prefix), "name": lead.name}],
        "fundingOrganization": [funding_organization(round_.program)],
        "grantProgramme": [{"code": round_.code.upper(), "title": f"{round_.program.name}: {round_.name}"}],
        "plannedDates": [
            {
                # Fiscal years run from July 1 to June 30.
                "startDate": date(award.start_year, 7, 1).isoformat(),
                "endDate": date(award.start_year + award.years, 6, 30).isoformat(),
                "duration": award.years * 12,
            }
        ],
        "beneficiaryLocation": [{"name": name, "countryCode": "US"} for name in locations],
    } | (_disbursed(award, disbursements) if disbursements is not None else {})


def _disbursed(award: Award, disbursements: list[Disbursement]) -> dict:
    prefix = award.round.program.threesixtygiving_prefix
    return {
        "amountDisbursed": json_number(sum((d.amount for d in disbursements), Decimal("0.00"))),
        "disbursements": [
            {
                "id": f"{prefix}-{award.number}-PAY-{d.id}",
                "amount": json_number(d.amount),
                "date": d.paid_on.isoformat(),
                "fiscalYear": d.fiscal_year,
                "reference": d.reference,
            }
            for d in disbursements
        ],
    }


def document(*, program: Program, disbursements: dict[int, list[Disbursement]] | None = None) -> dict:
    """The program's grants; with `disbursements` ({award id: its payments made}), what each was paid."""
    awards = awards_for_export(program).filter(status__in=Award.COMMITTING)
    if disbursements is None:
        return {"grants": [grant(award) for award in awards]}
    return {"grants": [grant(award, disbursements.get(award.pk, [])) for award in awards]}


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def problems(data: dict) -> list[str]:
    """Every way the document breaks the schema, as "where: what" lines; empty when it is valid."""
    validator = Draft202012Validator(schema(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in error.absolute_path) or '(document)'}: {error.message}" for error in errors]


def dumps(data: dict) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
