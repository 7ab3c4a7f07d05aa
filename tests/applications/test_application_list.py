from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.dates import PACIFIC
from consortia.models import Contact
from grants.applications.models import Application
from grants.programs.models import Round
from tests.factories import (
    ApplicationFactory,
    ConsortiumFactory,
    LetterOfIntentFactory,
    OpenRoundFactory,
    RoundFactory,
    contact_of,
)

pytestmark = pytest.mark.django_db
LIST = reverse("applications:applications")


def closed_round(**kwargs):
    round_ = RoundFactory(
        opens_at=datetime(2014, 1, 21, 9, tzinfo=PACIFIC), closes_at=datetime(2014, 3, 28, 17, tzinfo=PACIFIC), **kwargs
    )
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    return round_


def test_it_lists_the_applications_of_the_persons_consortia_only(client):
    consortium = ConsortiumFactory(name="Capital Region Academies")
    mine = ApplicationFactory(
        consortium=consortium,
        round=closed_round(name="Round 1 (2014)"),
        number="R1-0007",
        title="Pathways to Health",
        requested_amount=Decimal("1234567.89"),
        category__name="$6 million",
    )
    theirs = ApplicationFactory(number="R1-0008", title="Someone else's")
    client.force_login(contact_of(consortium, role=Contact.Role.PARTNER))

    response = client.get(LIST)

    page = response.content.decode()
    assert response.context["applications"] == [mine]
    for text in ("R1-0007", "Pathways to Health", "Capital Region Academies", "Round 1 (2014)", "$6 million", "Draft"):
        assert text in page
    assert "$1,234,567.89" in page
    assert "March 28, 2014, 5:00 PM PDT" in page  # closing time in Pacific time, not UTC (01:00 on the 29th)
    assert theirs.number not in page


def test_an_open_round_offers_the_letter_of_intent_before_its_deadline(client):
    consortium = ConsortiumFactory(name="Capital Region Academies")
    round_ = OpenRoundFactory(name="Round 2", loi_deadline=timezone.now() + timedelta(days=3))
    client.force_login(contact_of(consortium))

    page = client.get(LIST).content.decode()

    assert "Round 2" in page
    assert reverse("applications:letter-of-intent", args=[round_.pk]) in page
    assert "File the letter of intent first." in page
    assert reverse("applications:application-start") not in page


def test_after_filing_the_letter_the_lead_can_start(client):
    consortium = ConsortiumFactory()
    round_ = OpenRoundFactory(loi_deadline=timezone.now() + timedelta(days=3))
    LetterOfIntentFactory(round=round_, consortium=consortium)
    client.force_login(contact_of(consortium))

    page = client.get(LIST).content.decode()

    assert f"{reverse('applications:application-start')}?round={round_.pk}&amp;consortium={consortium.pk}" in page
    assert reverse("applications:letter-of-intent", args=[round_.pk]) not in page


def test_once_the_letter_deadline_passed_without_one_the_consortium_cannot_apply(client):
    consortium = ConsortiumFactory()
    round_ = OpenRoundFactory()
    Round.objects.filter(pk=round_.pk).update(loi_deadline=timezone.now() - timedelta(seconds=1))
    client.force_login(contact_of(consortium))

    page = client.get(LIST).content.decode()

    assert "No letter of intent was filed." in page
    assert reverse("applications:application-start") not in page


def test_a_round_without_a_letter_of_intent_offers_the_start_directly(client):
    consortium = ConsortiumFactory()
    round_ = OpenRoundFactory()
    client.force_login(contact_of(consortium))

    offer = client.get(LIST).context["open_rounds"][0].offers[0]

    assert (offer.consortium, offer.can_start, offer.can_file_letter) == (consortium, True, False)
    assert round_.requires_loi is False


def test_partner_contacts_see_the_round_but_cannot_start(client):
    consortium = ConsortiumFactory()
    OpenRoundFactory()
    client.force_login(contact_of(consortium, role=Contact.Role.PARTNER))

    page = client.get(LIST).content.decode()

    assert "Lead agency staff of this consortium can start an application." in page
    assert reverse("applications:application-start") not in page


def test_a_consortium_with_a_live_application_links_to_it_instead_of_starting(client):
    application = ApplicationFactory(round=OpenRoundFactory(), number="R9-0001")
    client.force_login(contact_of(application.consortium))

    offer = client.get(LIST).context["open_rounds"][0].offers[0]

    assert offer.application == application
    assert offer.can_start is False


def build(count: int, user, consortia):
    for index in range(count):
        round_ = OpenRoundFactory(loi_deadline=timezone.now() + timedelta(days=2))
        consortium = consortia[index % len(consortia)]
        ApplicationFactory(round=round_, consortium=consortium, status=Application.Status.DRAFT)
        if index % 3 == 0:
            LetterOfIntentFactory(round=round_, consortium=consortium)


def query_count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_the_page_makes_the_same_number_of_queries_for_10_or_50_applications(client, django_assert_num_queries):
    consortia = [ConsortiumFactory(), ConsortiumFactory()]
    user = contact_of(consortia[0])
    Contact.objects.create(consortium=consortia[1], user=user, role=Contact.Role.PARTNER)
    client.force_login(user)
    build(10, user, consortia)
    with_10 = query_count(client)

    build(40, user, consortia)
    with django_assert_num_queries(with_10):
        response = client.get(LIST)

    assert len(response.context["applications"]) == 50
    assert len(response.context["open_rounds"]) == 50
