from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.dates import PACIFIC
from ccpt.lib.refusal import Refusal
from consortia.models import Contact
from grants.applications.models import LetterOfIntent
from grants.applications.services.drafts import file_letter_of_intent
from grants.programs.models import Round
from tests.factories import (
    ConsortiumFactory,
    FundingCategoryFactory,
    OpenRoundFactory,
    RoundFactory,
    UserFactory,
    contact_of,
)

pytestmark = pytest.mark.django_db
DEADLINE = datetime(2026, 2, 14, 17, 0, tzinfo=PACIFIC)


@pytest.fixture
def round_():
    return OpenRoundFactory(
        name="Round 2",
        loi_deadline=DEADLINE,
        opens_at=datetime(2026, 1, 21, 9, tzinfo=PACIFIC),
        closes_at=datetime(2026, 3, 28, 17, tzinfo=PACIFIC),
    )


@pytest.fixture
def consortium():
    return ConsortiumFactory(name="Capital Region Academies")


def test_a_letter_filed_one_second_before_the_deadline_is_accepted(round_, consortium):
    by = UserFactory()

    letter = file_letter_of_intent(round_=round_, consortium=consortium, by=by, at=DEADLINE - timedelta(seconds=1))

    assert LetterOfIntent.objects.get() == letter
    assert letter.filed_by == by
    assert letter.filed_at == DEADLINE - timedelta(seconds=1)


def test_a_letter_filed_one_second_after_the_deadline_is_refused(round_, consortium):
    with pytest.raises(Refusal) as refusal:
        file_letter_of_intent(
            round_=round_, consortium=consortium, by=UserFactory(), at=DEADLINE + timedelta(seconds=1)
        )

    assert "February 14, 2026, 5:00 PM PST" in str(refusal.value)
    assert not LetterOfIntent.objects.exists()


def test_the_deadline_is_compared_as_an_instant_whatever_the_time_zone(round_, consortium):
    # 5:00 PM Pacific on February 14 is 01:00 UTC on February 15.
    just_before_in_utc = datetime(2026, 2, 15, 0, 59, 59, tzinfo=UTC)

    file_letter_of_intent(round_=round_, consortium=consortium, by=UserFactory(), at=just_before_in_utc)

    assert LetterOfIntent.objects.count() == 1


def test_a_consortium_files_only_once_per_round(round_, consortium):
    by = UserFactory()
    file_letter_of_intent(round_=round_, consortium=consortium, by=by, at=DEADLINE - timedelta(days=2))

    with pytest.raises(Refusal, match="already filed"):
        file_letter_of_intent(round_=round_, consortium=consortium, by=by, at=DEADLINE - timedelta(days=1))
    assert LetterOfIntent.objects.count() == 1


def test_a_round_without_a_letter_of_intent_refuses_one(consortium):
    open_round = OpenRoundFactory(loi_deadline=None)

    with pytest.raises(Refusal, match="does not ask for a letter of intent"):
        file_letter_of_intent(round_=open_round, consortium=consortium, by=UserFactory())


def test_a_round_that_is_not_open_refuses_letters(consortium):
    draft = RoundFactory(loi_deadline=timezone.now() + timedelta(days=5))

    with pytest.raises(Refusal, match="is not open"):
        file_letter_of_intent(round_=draft, consortium=consortium, by=UserFactory())


def open_loi_round(**kwargs):
    return OpenRoundFactory(loi_deadline=timezone.now() + timedelta(days=5), **kwargs)


def test_a_lead_contact_files_the_letter_naming_the_intended_category(client, consortium):
    open_round = open_loi_round()
    category = FundingCategoryFactory(round=open_round, name="$600,000")
    lead = contact_of(consortium)
    client.force_login(lead)
    url = reverse("applications:letter-of-intent", args=[open_round.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"consortium": consortium.pk, "category": category.pk, "notes": "Health pathways."})

    assert "$600,000" in page
    assert response.status_code == 302
    letter = LetterOfIntent.objects.get()
    assert (letter.consortium, letter.category, letter.filed_by, letter.notes) == (
        consortium,
        category,
        lead,
        "Health pathways.",
    )
    assert "filed" in client.get(url).content.decode()


def test_the_category_is_optional(client, consortium):
    open_round = open_loi_round()
    client.force_login(contact_of(consortium))

    response = client.post(
        reverse("applications:letter-of-intent", args=[open_round.pk]), {"consortium": consortium.pk}
    )

    assert response.status_code == 302
    assert LetterOfIntent.objects.get().category is None


def test_the_page_refuses_a_second_letter_with_a_clear_message(client, consortium):
    open_round = open_loi_round()
    client.force_login(contact_of(consortium))
    url = reverse("applications:letter-of-intent", args=[open_round.pk])
    client.post(url, {"consortium": consortium.pk})

    response = client.post(url, {"consortium": consortium.pk})

    assert response.status_code == 200
    assert "already filed its letter of intent" in response.content.decode()
    assert LetterOfIntent.objects.count() == 1


def test_after_the_deadline_the_page_says_so_and_refuses(client, consortium):
    open_round = open_loi_round()
    Round.objects.filter(pk=open_round.pk).update(loi_deadline=timezone.now() - timedelta(seconds=1))
    client.force_login(contact_of(consortium))
    url = reverse("applications:letter-of-intent", args=[open_round.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"consortium": consortium.pk})

    assert "the deadline has passed" in page
    assert "File the letter of intent" not in page
    assert "the deadline has passed" in response.content.decode()
    assert not LetterOfIntent.objects.exists()


def test_a_partner_contact_cannot_file_a_letter(client, consortium):
    open_round = open_loi_round()
    client.force_login(contact_of(consortium, role=Contact.Role.PARTNER))
    url = reverse("applications:letter-of-intent", args=[open_round.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"consortium": consortium.pk}).status_code == 403
    assert not LetterOfIntent.objects.exists()


def test_a_lead_cannot_file_for_another_consortium(client, consortium):
    open_round = open_loi_round()
    client.force_login(contact_of(consortium))
    other = ConsortiumFactory()

    response = client.post(reverse("applications:letter-of-intent", args=[open_round.pk]), {"consortium": other.pk})

    assert response.status_code == 200
    assert not LetterOfIntent.objects.exists()


def test_an_unknown_or_unpublished_round_is_not_found(client, consortium):
    client.force_login(contact_of(consortium))
    draft = RoundFactory(loi_deadline=timezone.now() + timedelta(days=5))

    assert client.get(reverse("applications:letter-of-intent", args=[draft.pk])).status_code == 404
    assert client.get(reverse("applications:letter-of-intent", args=[999999])).status_code == 404
