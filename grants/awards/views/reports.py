"""Reports for program staff: the program dashboard and the awards CSV (the 360Giving JSON, with what was paid, is
grants/outcomes's)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.text import slugify

from ccpt.lib.csv import csv_response
from ccpt.lib.permissions import get_authorized
from grants.programs.models import Program

from .. import charts
from ..services import exports, reports


def _program(request, pk) -> Program:
    return get_authorized(request.user, "awards.view_program_dashboard", Program.objects.all(), pk=pk)


@login_required
def program_dashboard(request, pk):
    program = _program(request, pk)
    figures = reports.dashboard(program=program)
    context = {
        "program": program,
        "figures": figures,
        "money_chart": charts.program_money(figures),
        "region_chart": charts.committed_by(figures.regions),
        "round_chart": charts.committed_by(
            [reports.Row(label=row.round.name, committed=row.committed, awards=row.awards) for row in figures.rounds]
        ),
    }
    return render(request, "awards/reports/dashboard.html", context)


@login_required
def awards_csv(request, pk):
    program = _program(request, pk)
    rows = (exports.csv_row(award) for award in exports.awards_for_export(program).iterator(chunk_size=500))
    return csv_response(f"{slugify(program.name)}-awards.csv", exports.CSV_HEADER, rows)
