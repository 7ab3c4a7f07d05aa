from functools import partial

import pytest
from django.test import Client
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from consortia.models import Contact
from grants.applications.forms.sections import SummaryForm
from grants.applications.models import Application
from grants.applications.services.drafts import save_section
from tests.factories import ApplicationFactory, OpenRoundFactory, contact_of
from tests.helpers import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory(round=OpenRoundFactory(), title="Original title")


@pytest.fixture
def alice(application):
    user = contact_of(application.consortium)
    user.first_name, user.last_name = "Alice", "Lead"
    user.save()
    return user


@pytest.fixture
def bob(application):
    return contact_of(application.consortium, role=Contact.Role.PARTNER)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, application, section, version, data):
    url = reverse("applications:application-section", args=[application.pk, section])
    return client.post(url, {"section_version": version, **data})


def test_a_save_based_on_an_older_version_is_refused_without_overwriting(application, alice, bob):
    # Both opened the summary at version 0; Alice saves first.
    post(signed_in(alice), application, "summary", 0, {"title": "Alice's title", "summary": "Alice's summary"})

    response = post(signed_in(bob), application, "summary", 0, {"title": "Bob's title", "summary": "Bob's summary"})

    page = response.content.decode()
    assert response.status_code == 409
    assert "Not saved" in page
    assert "Alice Lead saved" in page
    assert "Pacific time" in page
    assert 'value="Bob&#x27;s title"' in page  # Bob's input is still on his screen
    assert "Bob&#x27;s summary" in page
    application.refresh_from_db()
    assert (application.title, application.summary) == ("Alice's title", "Alice's summary")
    assert application.section_version("summary") == 1


def test_the_refused_page_keeps_the_old_version_so_a_second_click_cannot_overwrite(application, alice, bob):
    post(signed_in(alice), application, "summary", 0, {"title": "Alice's title"})
    bob_client = signed_in(bob)

    first = post(bob_client, application, "summary", 0, {"title": "Bob's title"})

    assert 'name="section_version" value="0"' in first.content.decode()
    assert 'data-dirty="true"' in first.content.decode()


def test_after_reloading_the_newer_version_the_save_goes_through(application, alice, bob):
    post(signed_in(alice), application, "summary", 0, {"title": "Alice's title"})
    bob_client = signed_in(bob)
    reloaded = bob_client.get(reverse("applications:application-section", args=[application.pk, "summary"]))

    assert 'name="section_version" value="1"' in reloaded.content.decode()
    assert post(bob_client, application, "summary", 1, {"title": "Bob's title"}).status_code == 302
    application.refresh_from_db()
    assert application.title == "Bob's title"


def test_two_different_sections_do_not_conflict(application, alice, bob):
    post(signed_in(alice), application, "summary", 0, {"title": "Alice's title", "summary": "S"})

    response = post(signed_in(bob), application, "need", 0, {"need_statement": "Need", "labor_market": "Market"})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "Alice's title"
    assert application.need_statement == "Need"
    assert (application.section_version("summary"), application.section_version("need")) == (1, 1)


def test_a_draft_with_problems_counts_as_a_save_of_the_section(application, alice, bob):
    post(signed_in(alice), application, "target_group", 0, {"students_served": "many"})

    response = post(signed_in(bob), application, "target_group", 0, {"students_served": "300"})

    assert response.status_code == 409
    assert "Alice Lead saved" in response.content.decode()
    application.refresh_from_db()
    assert application.section_drafts["target_group"]["students_served"] == ["many"]


def test_a_post_without_its_version_is_refused(application, alice):
    url = reverse("applications:application-section", args=[application.pk, "summary"])

    response = signed_in(alice).post(url, {"title": "No version"})

    assert response.status_code == 409
    application.refresh_from_db()
    assert application.title == "Original title"


def test_the_service_refuses_an_out_of_date_version(application, alice):
    form = SummaryForm({"title": "New"}, application=application)
    save_section(application=application, section="summary", version=0, form=form, by=alice, data={})

    with pytest.raises(Refusal) as conflict:
        stale = SummaryForm({"title": "Stale"}, application=application)
        save_section(application=application, section="summary", version=0, form=stale, by=alice, data={})

    assert conflict.value.message.startswith("Not saved: Alice Lead saved “Overall summary” on ")
    assert Application.objects.get().title == "New"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_section_let_exactly_one_through(application, alice, bob):
    def run(user, title):
        try:
            form = SummaryForm({"title": title}, application=Application.objects.get(pk=application.pk))
            save_section(application=application, section="summary", version=0, form=form, by=user, data={})
            return "saved"
        except Refusal:
            return "conflict"

    outcomes = dict(zip("AB", race(partial(run, alice, "A"), partial(run, bob, "B")), strict=True))

    assert sorted(outcomes.values()) == ["conflict", "saved"]
    winner = next(title for title, outcome in outcomes.items() if outcome == "saved")
    application.refresh_from_db()
    assert application.title == winner
    assert application.section_version("summary") == 1
