"""A program's shared indicators (grants/reporting): defined once with their exact words, unit and reporters,
revised as new versions so that what a report was filed under never changes, seeded with EC 53013(e)'s measures and
the practice counts CCPT grantees tracked."""

import pytest
from django.db import IntegrityError, transaction

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants.reporting.models import Indicator, IndicatorVersion
from grants.reporting.services.indicators import (
    add_standard_indicators,
    current_versions,
    define_indicator,
    revise_indicator,
)
from grants.reporting.standard import STANDARD
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db
V = IndicatorVersion

RATE = {
    "name": "Graduation rate",
    "definition": "Of the cohort expected to graduate this year, the share who did.",
    "unit": V.Unit.RATE,
    "numerator": "Cohort students who graduated.",
    "denominator": "Cohort students expected to graduate.",
    "reporters": [V.Reporter.K12],
    "breakdowns": [V.Breakdown.STUDENT_GROUP],
    "measure": V.Measure.GRADUATES,
}


@pytest.fixture
def program():
    return ProgramFactory()


def test_an_indicator_is_defined_at_version_1_with_who_and_when(program, admin_user):
    version = define_indicator(program=program, code="Graduation-Rate ", by=admin_user, **RATE)

    assert (version.indicator.code, version.number, version.created_by) == ("graduation-rate", 1, admin_user)
    assert version.reporters == ["k12"] and version.measure == "ec53013e2"
    event = Event.objects.get(action=Event.Action.SETTING_CHANGE, actor=admin_user)
    assert "Indicator defined: graduation-rate v1" in event.summary


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"numerator": ""}, "numerator", "A rate needs its numerator defined"),
        ({"denominator": "  "}, "denominator", "A rate needs its denominator defined"),
        ({"unit": V.Unit.COUNT}, "numerator", "Only a rate has a numerator; leave it empty for a count."),
        ({"unit": "percent"}, "unit", "Choose a unit: count, rate or amount."),
        ({"reporters": []}, "reporters", "Say which members report it."),
        ({"reporters": ["parents"]}, "reporters", "Choose the reporters from the list."),
        ({"breakdowns": ["zip_code"]}, "breakdowns", "Choose the breakdowns from the list."),
        ({"name": " "}, "name", "Give the indicator a name."),
        ({"definition": ""}, "definition", "Define exactly what is counted"),
    ],
)
def test_a_definition_that_cannot_be_reported_on_is_refused_with_what_to_fix(program, change, field, message):
    with pytest.raises(Refusal) as refused:
        define_indicator(program=program, code="graduation-rate", **{**RATE, **change})

    assert message in refused.value.errors[field]
    assert message in refused.value.message
    assert not Indicator.objects.exists()


def test_the_database_refuses_a_rate_without_its_numerator_whatever_writes_it(program):
    version = define_indicator(program=program, code="graduation-rate", **RATE)

    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorVersion.objects.filter(pk=version.pk).update(numerator="")


def test_a_code_is_used_once_per_program(program):
    define_indicator(program=program, code="graduates", **{**RATE, "unit": "count", "numerator": "", "denominator": ""})

    with pytest.raises(Refusal, match="already has an indicator coded “graduates”: revise it instead"):
        define_indicator(program=program, code="graduates", **RATE)
    define_indicator(program=ProgramFactory(name="Another program"), code="graduates", **RATE)  # another program may


def test_a_revision_is_a_new_version_and_the_old_one_stays_as_it_was(program, admin_user, staff_user):
    first = define_indicator(program=program, code="graduation-rate", by=staff_user, **RATE)

    second = revise_indicator(
        indicator=first.indicator, by=admin_user, **{**RATE, "definition": "The four-year adjusted cohort rate."}
    )

    first.refresh_from_db()
    assert (first.number, first.definition, first.created_by) == (1, RATE["definition"], staff_user)
    assert (second.number, second.definition, second.created_by) == (
        2,
        "The four-year adjusted cohort rate.",
        admin_user,
    )
    assert current_versions(program) == [second]


def test_a_revision_that_changes_nothing_is_refused(program):
    first = define_indicator(program=program, code="graduation-rate", **RATE)

    with pytest.raises(Refusal, match="Nothing changed: graduation-rate stays at version 1."):
        revise_indicator(indicator=first.indicator, **{**RATE, "name": "  Graduation   rate "})


def test_the_standard_indicators_cover_every_statutory_measure_and_the_practice_counts(program):
    added = add_standard_indicators(program=program)

    assert [v.indicator.code for v in added] == [entry["code"] for entry in STANDARD]
    assert {v.measure for v in added} >= set(V.Measure.values)
    practice = {v.indicator.code for v in added if not v.measure}
    assert practice >= {
        "students-in-pathways",
        "dual-enrollment",
        "work-based-learning",
        "student-internships",
        "teacher-internships",
        "business-partners-active",
    }
    assert all(v.unit != V.Unit.RATE or (v.numerator and v.denominator) for v in added)
    assert "300-hour minimum was removed in 2023" in next(
        v.definition for v in added if v.indicator.code == "pathway-completers"
    )


def test_adding_the_standard_indicators_again_keeps_what_the_program_revised(program, admin_user):
    add_standard_indicators(program=program)
    graduates = Indicator.objects.get(program=program, code="graduates")
    current = graduates.versions.get()
    fields = {name: getattr(current, name) for name in ("name", "unit", "reporters", "breakdowns", "measure")}
    revise_indicator(indicator=graduates, by=admin_user, definition="Graduates with a CTE pathway.", **fields)

    assert add_standard_indicators(program=program) == []
    assert [v.number for v in graduates.versions.all()] == [1, 2]
    assert len(current_versions(program)) == len(STANDARD)
