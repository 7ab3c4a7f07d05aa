"""A draft keeps what was typed within limits: a 100 KB title does not become 100 KB stored, the person is told what
was cut, and posts that change nothing the history tracks add no history rows."""

import json

import pytest

from tests.helpers import post_section, section_url

pytestmark = pytest.mark.django_db

TITLE_CUT = (
    "Project title: the draft keeps only the first 400 characters of the 100,000 sent "
    "(the field takes at most 200 characters)."
)


def test_a_100_kb_title_keeps_twice_the_fields_limit_and_says_so(client, application, editor):
    response = post_section(client, application, "summary", {"title": "T" * 100_000, "summary": "Twelve schools."})

    assert response.status_code == 200
    assert TITLE_CUT in response.content.decode()
    application.refresh_from_db()
    assert application.section_drafts["summary"] == {"title": ["T" * 400], "summary": ["Twelve schools."]}
    assert len(json.dumps(application.section_drafts)) < 1_000


def test_coming_back_later_says_what_the_draft_did_not_keep(client, application, editor):
    post_section(client, application, "summary", {"title": "T" * 100_000, "summary": "Twelve schools."})

    page = client.get(section_url(application, "summary")).content.decode()

    assert "Not kept in the draft:" in page
    assert TITLE_CUT in page
    assert "Twelve schools." in page


def test_a_title_a_little_over_its_limit_is_kept_whole_to_be_shortened(client, application, editor):
    post_section(client, application, "summary", {"title": "T" * 230})

    application.refresh_from_db()
    assert application.section_drafts["summary"]["title"] == ["T" * 230]
    assert "Not kept in the draft" not in client.get(section_url(application, "summary")).content.decode()


def test_a_long_text_keeps_the_per_field_cap(client, application, editor, settings):
    settings.CCPT_DRAFT_FIELD_MAX_CHARS = 800

    response = post_section(client, application, "target_group", {"target_group": "S" * 900, "students_served": "many"})

    assert (
        "Target group: the draft keeps only the first 800 characters of the 900 sent "
        "(a draft keeps at most 800 characters of one field)."
    ) in response.content.decode()
    application.refresh_from_db()
    assert application.section_drafts["target_group"]["target_group"] == ["S" * 800]


def test_over_the_sections_cap_the_longest_text_is_cut_and_short_fields_are_kept_whole(
    client, application, editor, settings
):
    settings.CCPT_DRAFT_SECTION_MAX_CHARS = 600

    response = post_section(
        client,
        application,
        "target_group",
        {"target_group": "S" * 900, "grades_served": "9-14", "students_served": "many"},
    )

    assert (
        "Target group: the draft keeps only the first 592 characters of the 900 sent "
        "(a draft keeps at most 600 characters of a section)."
    ) in response.content.decode()
    application.refresh_from_db()
    draft = application.section_drafts
    assert draft["target_group"] == {
        "target_group": ["S" * 592],
        "grades_served": ["9-14"],
        "students_served": ["many"],
    }
    assert sum(len(v) for values in draft["target_group"].values() for v in values) == 600


def test_invalid_posts_add_no_history_rows(client, application, editor):
    before = application.history.count()

    for _ in range(3):
        post_section(client, application, "summary", {"title": "T" * 100_000, "summary": "Twelve schools."})

    assert application.history.count() == before


def test_a_save_that_changes_the_application_adds_one_history_row_and_the_same_save_again_none(
    client, application, editor
):
    before = application.history.count()

    assert post_section(client, application, "summary", {"title": "Bridges to Health"}).status_code == 302
    assert post_section(client, application, "summary", {"title": "Bridges to Health"}).status_code == 302

    assert application.history.count() == before + 1
    assert application.history.first().title == "Bridges to Health"
