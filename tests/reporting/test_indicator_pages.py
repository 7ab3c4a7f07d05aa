"""The program's shared indicators in the site: program staff read them, administrators define and revise them,
and nobody else sees them; bad input keeps what was typed with a message by the field."""

import pytest
from django.urls import reverse

from grants.reporting.models import Indicator, IndicatorVersion
from grants.reporting.services.indicators import add_standard_indicators
from grants.reporting.standard import STANDARD
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

DEFINITION = {
    "code": "apprenticeships",
    "name": "Registered apprenticeships started",
    "definition": "Pathway completers who started a registered apprenticeship in the reporting year.",
    "unit": "count",
    "reporters": ["any"],
    "measure": "ec53013e4",
}


@pytest.fixture
def program():
    program = ProgramFactory()
    add_standard_indicators(program=program)
    return program


@pytest.fixture
def graduates(program):
    return Indicator.objects.get(program=program, code="graduates")


@pytest.mark.parametrize(
    ("role", "reads", "keeps"),
    [("Administrators", 200, 200), ("Program staff", 200, 403), ("Readers", 403, 403), ("Applicants", 403, 403)],
)
def test_who_reads_and_who_keeps_the_indicators(client, program, graduates, role, reads, keeps):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("reporting:indicators", args=[program.pk])).status_code == reads
    assert client.get(reverse("reporting:indicator", args=[graduates.pk])).status_code == reads
    assert client.get(reverse("reporting:indicator-define", args=[program.pk])).status_code == keeps
    assert client.get(reverse("reporting:indicator-revise", args=[graduates.pk])).status_code == keeps
    posted = client.post(reverse("reporting:indicators-standard", args=[program.pk]))
    assert posted.status_code == (302 if keeps == 200 else 403)


def test_the_list_shows_each_indicator_at_its_current_version(client, program, staff_user):
    client.force_login(staff_user)

    html = client.get(reverse("reporting:indicators", args=[program.pk])).content.decode()

    for entry in STANDARD:
        assert entry["name"] in html and entry["code"] in html
    assert "EC 53013(e)(2): number and rate of graduates" in html
    assert "Define an indicator" not in html  # staff read; administrators keep


def test_an_administrator_defines_an_indicator(client, program, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("reporting:indicator-define", args=[program.pk]), DEFINITION, follow=True)

    version = IndicatorVersion.objects.get(indicator__code="apprenticeships")
    assert (version.number, version.created_by, version.reporters) == (1, admin_user, ["any"])
    assert "Defined apprenticeships: Registered apprenticeships started." in response.content.decode()


def test_a_rate_without_its_denominator_keeps_what_was_typed_with_a_message_by_the_field(client, program, admin_user):
    client.force_login(admin_user)
    rate = {**DEFINITION, "unit": "rate", "numerator": "Completers who started an apprenticeship."}

    response = client.post(reverse("reporting:indicator-define", args=[program.pk]), rate)

    html = response.content.decode()
    assert response.status_code == 200
    assert "A rate needs its denominator defined: say what is counted in it." in html
    assert "Completers who started an apprenticeship." in html
    assert not Indicator.objects.filter(code="apprenticeships").exists()


def test_revising_saves_a_new_version_and_shows_the_earlier_one(client, graduates, admin_user):
    client.force_login(admin_user)
    form = client.get(reverse("reporting:indicator-revise", args=[graduates.pk])).context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, "")}
    data["definition"] = "Pathway students who graduated with a diploma in the reporting year."

    response = client.post(reverse("reporting:indicator-revise", args=[graduates.pk]), data, follow=True)

    html = response.content.decode()
    assert "Saved graduates as version 2." in html
    assert "Version 2, current" in html and "Version 1: Graduates" in html
    assert "Pathway students who graduated from high school in the reporting year." in html  # version 1's words
    assert [v.number for v in graduates.versions.all()] == [1, 2]


def test_a_code_in_use_is_refused_by_the_field_with_what_to_do(client, program, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("reporting:indicator-define", args=[program.pk]), {**DEFINITION, "code": "graduates"}
    )

    assert "“graduates” is the code of another of this program&#x27;s indicators: choose another, or revise it." in (
        response.content.decode()
    )
    assert Indicator.objects.filter(program=program, code="graduates").count() == 1


def test_adding_the_standard_indicators_twice_says_nothing_changed(client, program, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("reporting:indicators-standard", args=[program.pk]), follow=True)

    assert "The program has every standard indicator already; none was changed." in response.content.decode()
    assert IndicatorVersion.objects.filter(indicator__program=program).count() == len(STANDARD)
