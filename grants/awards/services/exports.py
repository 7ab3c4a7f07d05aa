"""The awards export: one CSV row per award, in a fixed number of queries (the 360Giving JSON is in
threesixtygiving.py)."""

from datetime import date

from ccpt.lib.dates import pacific
from ccpt.lib.money import format_money
from grants.programs.models import Program

from ..models import Award

CSV_HEADER = [
    "Award number",
    "Application number",
    "Round",
    "Consortium",
    "Lead agency",
    "Region",
    "Lead agency county",
    "Counties served",
    "Funding category",
    "Amount awarded",
    "Amount requested",
    "Status",
    "Award date (Pacific)",
    "Grant period starts (fiscal year)",
    "Grant period ends (fiscal year)",
    "Instalments",
]


def awards_for_export(program: Program):
    """Every award of the program with what the exports show, in a fixed number of queries."""
    return (
        Award.objects.filter(round__program=program)
        .select_related(
            "round__program", "application", "category", "consortium__region", "consortium__lead_agency__county"
        )
        .prefetch_related("instalments", "consortium__counties_served")
        .order_by("round__opens_at", "round_id", "number")
    )


def award_date(award: Award) -> date:
    return pacific(award.offered_at).date()


def _instalments(award: Award) -> str:
    parts = []
    for instalment in award.instalments.all():
        paid = f" paid {instalment.paid_on.isoformat()}" if instalment.paid_on else ""
        parts.append(f"{instalment.fiscal_year}: {format_money(instalment.amount)}{paid}")
    return "; ".join(parts)


def csv_row(award: Award) -> list:
    consortium = award.consortium
    years = award.fiscal_years
    return [
        award.number,
        award.application.number,
        award.round.name,
        consortium.name,
        consortium.lead_agency.name,
        consortium.region.name,
        consortium.lead_agency.county.name,
        "; ".join(county.name for county in consortium.counties_served.all()),
        award.category.name,
        award.amount,
        award.application.requested_amount,
        award.get_status_display(),
        award_date(award),
        years[0],
        years[-1],
        _instalments(award),
    ]
