"""PostgreSQL's full-text search: stemming, ranking by weight, websearch syntax, numbers, snippets."""

import pytest

from .helpers import application, found, indexed

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_it_finds_a_word_by_its_stem(staff_user):
    pathway = application(title="A regional pathway into manufacturing")
    application(title="Coastal agriculture")
    indexed()

    assert found(staff_user, "pathways") == [pathway.number]
    assert found(staff_user, "Manufactured") == [pathway.number]


def test_a_title_match_ranks_above_a_summary_match_above_a_narrative_match(staff_user):
    in_narrative = application(title="Coastal engineering", narrative="Our welding program grows every year.")
    in_summary = application(title="Valley trades", summary="Welding and fabrication for grade 11.")
    in_title = application(title="Welding futures")
    indexed()

    assert found(staff_user, "welding") == [in_title.number, in_summary.number, in_narrative.number]


def test_a_minus_leaves_out_applications_with_the_word(staff_user):
    nursing = application(title="Health careers", narrative="Nursing and allied health for grades 9-14.")
    dental = application(title="Health careers", narrative="Dental assisting and pharmacy technicians.")
    indexed()

    assert set(found(staff_user, "health")) == {nursing.number, dental.number}
    assert found(staff_user, "health -nursing") == [dental.number]


def test_a_quoted_phrase_must_appear_in_that_order(staff_user):
    phrase = application(summary="Students earn college credit in allied health courses.")
    apart = application(summary="Health services are allied with the county's clinics.")
    indexed()

    assert found(staff_user, '"allied health"') == [phrase.number]
    assert set(found(staff_user, "allied health")) == {phrase.number, apart.number}


def test_or_finds_either_word(staff_user):
    solar = application(title="Solar installers")
    wind = application(title="Wind technicians")
    application(title="Hospitality")
    indexed()

    assert set(found(staff_user, "solar or wind")) == {solar.number, wind.number}


def test_it_finds_an_application_by_its_number_or_the_number_alone(staff_user):
    wanted = application(title="Untitled", number="R2-0007")
    application(title="Untitled", number="R2-0008")
    indexed()

    assert found(staff_user, "R2-0007") == [wanted.number]
    assert found(staff_user, "0007") == [wanted.number]


def test_it_finds_an_application_by_a_member_or_partner_name(staff_user):
    from tests.factories import MembershipFactory, OrganizationFactory, PartnerCommitmentFactory

    by_member = application(title="One")
    MembershipFactory(consortium=by_member.consortium, organization=OrganizationFactory(name="Tulare Unified"))
    by_partner = application(title="Two")
    PartnerCommitmentFactory(application=by_partner, organization=OrganizationFactory(name="Kaweah Health"))
    indexed()

    assert found(staff_user, "Tulare") == [by_member.number]
    assert found(staff_user, "Kaweah") == [by_partner.number]


def test_snippets_mark_the_matches_and_escape_everything_else(staff_user):
    from grants.search.services.query import Filters, search

    application(
        title="<script>alert(1)</script> Robotics",
        summary="Robotics for ages 9 < 12 & up: <b>bold</b> <img src=x onerror=alert(1)>",
    )
    indexed()

    _, [result] = search(user=staff_user, text="robotics", filters=Filters())

    assert result.title == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Robotics</mark>"
    # ts_headline drops what looks like a tag; what is left is escaped.
    assert result.snippet.startswith("<mark>Robotics</mark> for ages 9 &lt; 12 &amp; up")
    assert "<b>" not in result.snippet and "<img" not in result.snippet


def test_the_markers_typed_into_a_title_cannot_open_markup(staff_user):
    from grants.search.services.index import START, STOP
    from grants.search.services.query import Filters, search

    application(title=f"{STOP}<i>{START}Robotics")
    indexed()

    _, [result] = search(user=staff_user, text="robotics", filters=Filters())

    assert result.title == "&lt;i&gt;<mark>Robotics</mark>"


@pytest.mark.parametrize("text", ["the and of", "!!! ???", '"', "-", "a & b | c", "(((", "'; drop table x; --"])
def test_odd_queries_find_nothing_rather_than_fail(staff_user, text):
    application(title="Anything at all")
    indexed()

    assert found(staff_user, text) == []
