from decimal import Decimal

import pytest
from django.urls import reverse

from grants.applications.models import BudgetItem, ProgramOfStudy
from tests.factories import ApplicationFactory, OpenRoundFactory
from tests.helpers import post_section, section_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory(round=OpenRoundFactory(grant_start_year=2026, grant_years=2), students_served=300)


def save(client, application, section, data):
    return post_section(client, application, section, data)


TYPO = {"target_group": "Students at twelve high schools.", "grades_served": "9-14", "students_served": "about 1,2OO"}


def test_invalid_input_is_kept_as_typed_next_to_its_error(client, application, editor):
    response = save(client, application, "target_group", TYPO)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Saved as a draft with problems" in page
    assert "Enter a whole number of students" in page
    assert 'value="about 1,2OO"' in page
    assert "Students at twelve high schools." in page


def test_invalid_input_leaves_the_saved_section_alone_and_is_stored_as_a_draft(client, application, editor):
    save(client, application, "target_group", TYPO)

    application.refresh_from_db()
    assert application.students_served == 300
    assert application.target_group == ""
    assert application.section_drafts["target_group"]["students_served"] == ["about 1,2OO"]
    assert "csrfmiddlewaretoken" not in application.section_drafts["target_group"]


def test_coming_back_later_shows_the_same_input_and_errors(client, application, editor):
    save(client, application, "target_group", TYPO)

    page = client.get(section_url(application, "target_group")).content.decode()

    assert "Saved as a draft with problems" in page
    assert "Enter a whole number of students" in page
    assert 'value="about 1,2OO"' in page


def test_a_later_valid_save_clears_the_draft(client, application, editor):
    save(client, application, "target_group", TYPO)

    response = save(client, application, "target_group", {**TYPO, "students_served": "1200"})

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.students_served == 1200
    assert "target_group" not in application.section_drafts
    assert "Saved as a draft with problems" not in client.get(section_url(application, "target_group")).content.decode()


def test_a_budget_typo_keeps_the_grid_as_typed_and_the_saved_budget_unchanged(client, application, editor):
    save(client, application, "budget", {"amount_1000_2026-27": "10000"})

    response = save(client, application, "budget", {"amount_1000_2026-27": "12,5OO", "amount_2000_2026-27": "300"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter an amount in dollars" in page
    assert 'value="12,5OO"' in page and 'value="300"' in page
    application.refresh_from_db()
    assert application.requested_amount == Decimal("10000.00")
    assert list(BudgetItem.objects.values_list("amount", flat=True)) == [Decimal("10000.00")]


def test_a_program_missing_its_name_is_kept_as_a_draft(client, application, editor):
    data = {
        "programs-TOTAL_FORMS": 1,
        "programs-INITIAL_FORMS": 0,
        "programs-0-name": "",
        "programs-0-sector": "health",
        "programs-0-k12_sequence": "Biology then Anatomy",
    }

    response = save(client, application, "programs", data)
    later = client.get(section_url(application, "programs")).content.decode()

    assert response.status_code == 200
    assert not ProgramOfStudy.objects.exists()
    assert "Program 1: Pathway name: This field is required." in later
    assert "Biology then Anatomy" in later


def test_the_overview_says_which_sections_have_unsaved_problems(client, application, editor):
    save(client, application, "target_group", TYPO)

    response = client.get(reverse("applications:application", args=[application.pk]))

    rows = {s.section: s for s in response.context["sections"]}
    assert rows["target_group"].has_draft and rows["target_group"].status == "Has unsaved problems"
    assert not rows["summary"].has_draft
    assert "Has unsaved problems" in response.content.decode()
