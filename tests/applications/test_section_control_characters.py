"""A NUL (or another invisible control character) typed or pasted into any section: never an error page, the field
says what happened, the draft keeps the rest of what was typed, and saving again stores the text as it reads.

PostgreSQL cannot store NUL in text or jsonb at all, so the tests that matter are marked `postgres`."""

import json

import pytest

from consortia.models import Organization
from grants.applications.models import Application, NarrativeResponse, PartnerCommitment, ProgramOfStudy
from tests.factories import CriterionFactory, MembershipFactory, OrganizationFactory
from tests.helpers import formset_data, post_section, section_url

pytestmark = pytest.mark.django_db

NUL = "\x00"
MESSAGE = "This contained invisible control characters, which cannot be stored"


@pytest.fixture
def criterion(application):
    return CriterionFactory(round=application.round, name="Need and regional labor market")


@pytest.fixture
def member(application):
    organization = OrganizationFactory(name="Capital Valley Health Partners", kind=Organization.Kind.BUSINESS)
    return MembershipFactory(consortium=application.consortium, organization=organization).organization


def typed(section: str, criterion, member) -> dict:
    """What a person typed into the section, with a NUL pasted into one field (and a stray key of no field)."""
    return {
        "summary": {"title": f"Bridges{NUL} to Health", "summary": "Twelve high schools and two colleges."},
        "target_group": {
            "target_group": f"Students{NUL}\x1b in grades 9 to 14.",
            "grades_served": "9-14",
            "students_served": "1,200",
        },
        "need": {"need_statement": f"Nurses are{NUL} scarce.", "labor_market": "Health care grows 4% a year."},
        "budget": {
            "amount_1000_2026-27": "10000",
            "amount_2000_2026-27": f"5,000{NUL}",
            "narrative_2026-27": "Two pathway coordinators.",
        },
        "narratives": {f"criterion_{criterion.pk}": f"Our evidence{NUL} is the regional labor study."},
        "programs": formset_data(
            "programs", [{"name": f"Allied health{NUL}", "sector": "health", "k12_sequence": "Biology then Anatomy"}]
        ),
        "partners": formset_data(
            "partners",
            [
                {
                    "organization": f"{member.pk}{NUL}",
                    "responsibilities": "Interns every summer",
                    "cash_2026-27": "10000",
                }
            ],
        ),
    }[section] | {f"stray{NUL}key": "x"}


# What the draft keeps of each, without the control characters: (a key, its value) and (another key, its value).
KEPT = {
    "summary": [("title", "Bridges to Health"), ("summary", "Twelve high schools and two colleges.")],
    "target_group": [("target_group", "Students in grades 9 to 14."), ("students_served", "1,200")],
    "need": [("need_statement", "Nurses are scarce."), ("labor_market", "Health care grows 4% a year.")],
    "budget": [("amount_2000_2026-27", "5,000"), ("narrative_2026-27", "Two pathway coordinators.")],
    "narratives": [("criterion_{criterion}", "Our evidence is the regional labor study.")],
    "programs": [("programs-0-name", "Allied health"), ("programs-0-k12_sequence", "Biology then Anatomy")],
    "partners": [("partners-0-organization", "{member}"), ("partners-0-responsibilities", "Interns every summer")],
}
SECTIONS = list(KEPT)


def _kept(section, criterion, member):
    return [(key.format(criterion=criterion.pk), value.format(member=member.pk)) for key, value in KEPT[section]]


@pytest.mark.postgres
@pytest.mark.parametrize("section", SECTIONS)
def test_a_nul_in_any_section_is_named_next_to_its_field_and_the_rest_is_kept(
    client, application, editor, criterion, member, section
):
    response = post_section(client, application, section, typed(section, criterion, member))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Saved as a draft with problems" in page
    assert MESSAGE in page
    application.refresh_from_db()
    draft = application.section_drafts[section]
    for key, value in _kept(section, criterion, member):
        assert draft[key] == [value]
    assert not any("stray" in key for key in draft)
    assert NUL not in json.dumps(application.section_drafts) and "\\u0000" not in json.dumps(draft)


@pytest.mark.postgres
@pytest.mark.parametrize("section", SECTIONS)
def test_coming_back_shows_the_text_without_them_and_saving_again_stores_it(
    client, application, editor, criterion, member, section
):
    post_section(client, application, section, typed(section, criterion, member))

    page = client.get(section_url(application, section)).content.decode()
    for _, value in _kept(section, criterion, member):
        assert value in page
    application.refresh_from_db()
    again = post_section(client, application, section, application.section_drafts[section])

    assert again.status_code == 302
    application.refresh_from_db()
    assert section not in application.section_drafts
    saved = {
        "summary": lambda: Application.objects.get(pk=application.pk).title,
        "target_group": lambda: Application.objects.get(pk=application.pk).target_group,
        "need": lambda: Application.objects.get(pk=application.pk).need_statement,
        "budget": lambda: str(Application.objects.get(pk=application.pk).requested_amount),
        "narratives": lambda: NarrativeResponse.objects.get(application=application).text,
        "programs": lambda: ProgramOfStudy.objects.get(application=application).name,
        "partners": lambda: PartnerCommitment.objects.get(application=application).organization_id,
    }[section]()
    expected = {
        "summary": "Bridges to Health",
        "target_group": "Students in grades 9 to 14.",
        "need": "Nurses are scarce.",
        "budget": "15000.00",
        "narratives": "Our evidence is the regional labor study.",
        "programs": "Allied health",
        "partners": member.pk,
    }[section]
    assert saved == expected


def test_tabs_and_line_breaks_are_kept_as_typed(client, application, editor):
    text = "First line.\r\nSecond\tline."

    response = post_section(client, application, "summary", {"title": "Bridges", "summary": text})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.summary == text
