"""Whatever is typed into a section (any characters, any length, numbers that are not numbers) gets a page, never
an error page, and the section either saves or keeps a draft that shows the input again. On PostgreSQL, which
refuses NUL in text and jsonb."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccpt.lib.text import without_control_characters
from tests.factories import CriterionFactory
from tests.helpers import post_section

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Any text, biased by Hypothesis towards NUL, control characters, odd Unicode and the empty string.
TEXT = st.text(max_size=500)
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _kept(application, section: str, key: str) -> str:
    application.refresh_from_db()
    return application.section_drafts[section][key][0]


@EXAMPLES
@given(title=TEXT, summary=TEXT, grades=TEXT, students=TEXT)
def test_the_row_sections_answer_with_a_page_and_keep_the_input(
    client, application, editor, title, summary, grades, students
):
    summary_page = post_section(client, application, "summary", {"title": title, "summary": summary})
    target_page = post_section(
        client, application, "target_group", {"grades_served": grades, "students_served": students}
    )

    for section, response, key, typed in (
        ("summary", summary_page, "summary", summary),
        ("target_group", target_page, "grades_served", grades),
    ):
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert "Saved as a draft with problems" in response.content.decode()
            assert _kept(application, section, key) == without_control_characters(typed)


@EXAMPLES
@given(amount=TEXT, narrative=TEXT, answer=TEXT)
def test_the_budget_and_narratives_answer_with_a_page(client, application, editor, amount, narrative, answer):
    criterion = CriterionFactory(round=application.round)

    budget = post_section(
        client, application, "budget", {"amount_1000_2026-27": amount, "narrative_2026-27": narrative}
    )
    narratives = post_section(client, application, "narratives", {f"criterion_{criterion.pk}": answer})

    assert budget.status_code in (200, 302)
    assert narratives.status_code in (200, 302)
    if budget.status_code == 200:
        assert _kept(application, "budget", "amount_1000_2026-27") == without_control_characters(amount)
