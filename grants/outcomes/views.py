"""The outcomes dashboard (each chart with its table and its CSV), the export of every indicator value, and the
program's grants in the 360Giving Data Standard with what each was paid."""

import json
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from ccpt.lib import charts
from ccpt.lib.csv import csv_response
from ccpt.lib.permissions import get_authorized
from ccpt.lib.text import plural
from grants.awards.services import threesixtygiving
from grants.programs.models import Program
from grants.reporting.models import IndicatorVersion, ProgressReport
from grants.reporting.services.reports import breakdown_label

from . import services
from .services import SEGMENTS

RATE = IndicatorVersion.Unit.RATE


def _program(request, pk) -> Program:
    return get_authorized(request.user, "outcomes.view_outcomes", Program, pk=pk)


def _shown(figure) -> str:
    if figure is None or figure.figure is None:
        return ""
    if figure.unit == RATE:
        return f"{figure.figure}"
    return (
        f"{figure.figure.normalize():f}" if figure.figure == figure.figure.to_integral_value() else f"{figure.figure}"
    )


def _bars(rows, unit):
    """(label, Figure) rows as bars: a rate on the scale of 100%, counts and amounts on the largest."""
    usable = [(label, figure.figure, _note(figure)) for label, figure in rows if figure and figure.figure is not None]
    return charts.bars(usable, scale=Decimal(100) if unit == RATE else None)


def _note(figure) -> str:
    if figure.unit == RATE:
        return f"{figure.numerator:,} of {figure.denominator:,}; {plural(figure.members, 'member value')}"
    return plural(figure.members, "member value")


@login_required
def dashboard(request, pk):
    program = _program(request, pk)
    found = services.outcomes(program)
    chosen = next(
        (o for o in found.indicators if o.version.indicator.code == request.GET.get("indicator")),
        found.indicators[0] if found.indicators else None,
    )
    year = (
        request.GET.get("year")
        if request.GET.get("year") in found.years
        else (found.years[-1] if found.years else None)
    )
    timeliness = services.timeliness(program)
    money = services.money_by_year(program)
    table = request.GET.get("csv")
    if table:
        return _csv(program, table, found, chosen, year, timeliness, money)
    context = {
        "program": program,
        "found": found,
        "chosen": chosen,
        "year": year,
        "summary": [(o, [o.by_year.get(y) for y in found.years]) for o in found.indicators],
        "timeliness": timeliness,
        "money": money,
        "money_chart": charts.bars(
            [
                (f"{m.year} {what}", amount, "")
                for m in money
                for what, amount in (("awarded", m.awarded), ("paid", m.paid))
            ]
        ),
        "timely_chart": charts.bars(
            [
                (t.year, Decimal(100 * t.on_time) / (t.on_time + t.late) if t.on_time + t.late else Decimal(0), "")
                for t in timeliness
            ],
            scale=Decimal(100),
        ),
    }
    if chosen is not None:
        unit = chosen.version.unit
        context |= {
            "unit": "rate" if unit == RATE else ("count" if unit == IndicatorVersion.Unit.COUNT else "money"),
            "year_chart": _bars([(y, chosen.by_year.get(y)) for y in found.years], unit),
            "region_chart": _bars([(r, chosen.by_region[year].get(r)) for r in found.regions], unit) if year else None,
            "segment_chart": _bars([(s, chosen.by_segment[year].get(s)) for s in SEGMENTS], unit) if year else None,
            "industry_chart": _bars([(i, chosen.by_industry[year].get(i)) for i in found.industries], unit)
            if year
            else None,
            "versions_used": sorted({n for numbers in chosen.versions.values() for n in numbers}),
        }
    return render(request, "outcomes/dashboard.html", context)


def _csv(program, table, found, chosen, year, timeliness, money):
    name = slugify(program.name)
    figure_columns = ["total_or_rate_percent", "numerator", "denominator", "member_values"]

    def figure_cells(figure):
        if figure is None:
            return ["", "", "", 0]
        rate = figure.unit == RATE
        return [_shown(figure), figure.numerator if rate else "", figure.denominator if rate else "", figure.members]

    if table == "summary":
        rows = [
            [o.version.indicator.code, o.version.name, o.version.unit, y, *figure_cells(o.by_year.get(y))]
            for o in found.indicators
            for y in found.years
        ]
        return csv_response(
            f"{name}-outcomes-by-year.csv", ["indicator", "name", "unit", "fiscal_year", *figure_columns], rows
        )
    groupings = {
        "by_region": ("region", found.regions, chosen.by_region if chosen else None),
        "by_segment": ("segment", SEGMENTS, chosen.by_segment if chosen else None),
        "by_industry": ("industry_sector", found.industries, chosen.by_industry if chosen else None),
    }
    if table in groupings and chosen is not None and year:
        heading, labels, by = groupings[table]
        rows = [[chosen.version.indicator.code, year, label, *figure_cells(by[year].get(label))] for label in labels]
        return csv_response(
            f"{name}-{chosen.version.indicator.code}-{year}-{heading}.csv",
            ["indicator", "fiscal_year", heading, *figure_columns],
            rows,
        )
    if table == "timeliness":
        rows = [[t.year, t.on_time, t.late, t.overdue, t.not_due] for t in timeliness]
        return csv_response(
            f"{name}-reports-on-time.csv", ["fiscal_year", "on_time", "late", "overdue", "not_yet_due"], rows
        )
    if table == "money":
        rows = [[m.year, m.awarded, m.paid] for m in money]
        return csv_response(f"{name}-money-by-year.csv", ["fiscal_year", "awarded", "paid"], rows)
    rows = (
        [[chosen.version.indicator.code, y, *figure_cells(chosen.by_year.get(y))] for y in found.years]
        if chosen
        else []
    )
    return csv_response(f"{name}-indicator-by-year.csv", ["indicator", "fiscal_year", *figure_columns], rows)


def _statuses(request):
    """Accepted reports' values; with ?include=submitted, those waiting for review too."""
    if request.GET.get("include") == "submitted":
        return (ProgressReport.Status.ACCEPTED, ProgressReport.Status.SUBMITTED)
    return (ProgressReport.Status.ACCEPTED,)


@login_required
def values_csv(request, pk):
    program = _program(request, pk)
    rows = services.exported_values(program, statuses=_statuses(request))
    return csv_response(f"{slugify(program.name)}-indicator-values.csv", services.EXPORT_FIELDS, rows)


@login_required
def values_json(request, pk):
    """The same rows as a JSON array of objects, streamed piece by piece."""
    program = _program(request, pk)
    rows = services.exported_values(program, statuses=_statuses(request))

    def pieces():
        yield "["
        first = True
        piece = []
        for row in rows:
            item = dict(zip(services.EXPORT_FIELDS, row, strict=True))
            item["value"] = None if item["value"] is None else str(item["value"])
            item["breakdown_label"] = breakdown_label(item["breakdown"])
            piece.append(("" if first else ",") + json.dumps(item, ensure_ascii=False))
            first = False
            if len(piece) >= 1000:
                yield "".join(piece)
                piece = []
        yield "".join(piece) + "]"

    response = StreamingHttpResponse(pieces(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(program.name)}-indicator-values.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def awards_360giving(request, pk):
    program = get_authorized(request.user, "awards.view_program_dashboard", Program, pk=pk)
    data = threesixtygiving.document(program=program, disbursements=services.disbursements(program))
    problems = threesixtygiving.problems(data)
    if problems:
        # Our own data breaks the standard (e.g. a wrong publisher prefix in the settings): say what, publish nothing.
        return render(
            request, "awards/reports/export_invalid.html", {"program": program, "problems": problems}, status=409
        )
    response = HttpResponse(threesixtygiving.dumps(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(program.name)}-360giving.json"'
    response["Cache-Control"] = "private, no-store"
    return response
