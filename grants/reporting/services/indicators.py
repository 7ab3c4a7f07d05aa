"""A program's shared indicators: defined once, revised as versions, never edited in place."""

from django.db import transaction
from django.db.models import Max

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.refusal import Refusal
from grants.programs.models import Program

from ..models import Indicator, IndicatorVersion
from ..standard import STANDARD

V = IndicatorVersion
FIELDS = ("name", "definition", "unit", "numerator", "denominator", "reporters", "breakdowns", "measure")


def _cleaned(definition: dict) -> dict:
    """The definition's fields, stripped and checked; a Refusal naming every problem."""
    unknown = set(definition) - set(FIELDS)
    if unknown:
        raise ValueError(f"Not a field of an indicator's definition: {', '.join(sorted(unknown))}")
    text = {name: " ".join(str(definition.get(name) or "").split()) for name in ("name", "numerator", "denominator")}
    cleaned = {
        **text,
        "definition": str(definition.get("definition") or "").strip(),
        "unit": definition.get("unit") or "",
        "reporters": list(dict.fromkeys(definition.get("reporters") or [])),
        "breakdowns": list(dict.fromkeys(definition.get("breakdowns") or [])),
        "measure": definition.get("measure") or "",
    }
    errors = {}
    if not cleaned["name"]:
        errors["name"] = "Give the indicator a name."
    if not cleaned["definition"]:
        errors["definition"] = "Define exactly what is counted, in plain words."
    if cleaned["unit"] not in V.Unit.values:
        errors["unit"] = "Choose a unit: count, rate or amount."
    elif cleaned["unit"] == V.Unit.RATE:
        for part in ("numerator", "denominator"):
            if not cleaned[part]:
                errors[part] = f"A rate needs its {part} defined: say what is counted in it."
    else:
        for part in ("numerator", "denominator"):
            if cleaned[part]:
                errors[part] = f"Only a rate has a {part}; leave it empty for a {cleaned['unit']}."
    if not cleaned["reporters"]:
        errors["reporters"] = "Say which members report it."
    elif set(cleaned["reporters"]) - set(V.Reporter.values):
        errors["reporters"] = "Choose the reporters from the list."
    if set(cleaned["breakdowns"]) - set(V.Breakdown.values):
        errors["breakdowns"] = "Choose the breakdowns from the list."
    if cleaned["measure"] not in ["", *V.Measure.values]:
        errors["measure"] = "Choose a statutory measure from the list, or none."
    if errors:
        raise Refusal("The definition was not saved: " + " ".join(errors.values()), errors=errors)
    return cleaned


@transaction.atomic
def define_indicator(*, program: Program, code: str, by=None, **definition) -> IndicatorVersion:
    """A new indicator of the program, at version 1."""
    cleaned = _cleaned(definition)
    code = code.strip().lower()
    if Indicator.objects.filter(program=program, code=code).exists():
        raise Refusal(
            f"{program} already has an indicator coded “{code}”: revise it instead.",
            errors={
                "code": f"“{code}” is the code of another of this program's indicators: choose another, or revise it."
            },
        )
    position = (Indicator.objects.filter(program=program).aggregate(last=Max("position"))["last"] or 0) + 1
    indicator = Indicator.objects.create(program=program, code=code, position=position)
    version = IndicatorVersion.objects.create(indicator=indicator, number=1, created_by=by, **cleaned)
    record(Event.Action.SETTING_CHANGE, by=by, obj=indicator, summary=f"Indicator defined: {code} v1, {version.name}")
    return version


@transaction.atomic
def revise_indicator(*, indicator: Indicator, by=None, **definition) -> IndicatorVersion:
    """The indicator's next version; the earlier ones stay as they were, for the reports filed under them."""
    cleaned = _cleaned(definition)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    latest = locked.versions.order_by("-number").first()
    if latest is not None and all(getattr(latest, name) == cleaned[name] for name in FIELDS):
        raise Refusal(f"Nothing changed: {locked.code} stays at version {latest.number}.")
    number = (latest.number if latest else 0) + 1
    version = IndicatorVersion.objects.create(indicator=locked, number=number, created_by=by, **cleaned)
    record(
        Event.Action.SETTING_CHANGE,
        by=by,
        obj=locked,
        summary=f"Indicator revised: {locked.code} v{number}, {version.name}",
    )
    return version


def current_versions(program: Program) -> list[IndicatorVersion]:
    """Each of the program's indicators at its latest version, in the program's order (one query)."""
    latest = {}
    versions = IndicatorVersion.objects.filter(indicator__program=program).select_related("indicator")
    for version in versions.order_by("indicator__position", "indicator__code", "number"):
        latest[version.indicator_id] = version
    return list(latest.values())


def add_standard_indicators(*, program: Program, by=None) -> list[IndicatorVersion]:
    """The standard indicators (standard.py) the program does not have yet, by code; the ones it has are kept as
    they are, revised or not."""
    have = set(Indicator.objects.filter(program=program).values_list("code", flat=True))
    added = []
    for entry in STANDARD:
        if entry["code"] not in have:
            definition = {name: value for name, value in entry.items() if name != "code"}
            added.append(define_indicator(program=program, code=entry["code"], by=by, **definition))
    return added
