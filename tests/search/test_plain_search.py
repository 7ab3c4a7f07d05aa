"""The plain search SQLite gets (development): every word and "phrase" must appear, -words must not; title
matches first; the same permissions and filters. Run on PostgreSQL too, by asking for it."""

import pytest

from grants.search.services.query import Filters, search, terms

from .helpers import application, found, indexed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("plain_search")]


def test_it_reads_words_phrases_and_exclusions_as_websearch_writes_them():
    assert terms('health "allied health" -nursing or, R2-0007!') == (
        ["health", "allied health", "R2-0007"],
        ["nursing"],
    )


def test_every_word_must_appear_somewhere_in_the_application(staff_user):
    both = application(title="Health pathways", narrative="Clinical internships at the county hospital.")
    application(title="Health careers")
    indexed()

    assert found(staff_user, "health hospital") == [both.number]


def test_title_matches_come_first(staff_user):
    in_narrative = application(title="Coastal engineering", narrative="Our welding program grows.", number="A-1")
    in_title = application(title="Welding futures", number="Z-9")
    indexed()

    assert found(staff_user, "welding") == [in_title.number, in_narrative.number]


def test_a_minus_leaves_out_and_a_phrase_must_appear_whole(staff_user):
    nursing = application(summary="Nursing and allied health.")
    dental = application(summary="Dental assisting; health services allied with clinics.")
    indexed()

    assert found(staff_user, "health -nursing") == [dental.number]
    assert found(staff_user, '"allied health"') == [nursing.number]


def test_the_title_and_snippet_are_escaped_with_the_matches_marked(staff_user):
    application(title="<script>alert(1)</script> Robotics", summary="Robotics <b>bold</b> & more.")
    indexed()

    _, [result] = search(user=staff_user, text="robotics", filters=Filters())

    assert result.title == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Robotics</mark>"
    assert result.snippet.startswith("<mark>Robotics</mark> &lt;b&gt;bold&lt;/b&gt; &amp; more.")
