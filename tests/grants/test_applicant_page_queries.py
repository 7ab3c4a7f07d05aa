"""An applicant's pages (issue 10: under 10 ms each) ask a few queries, and no more when the round holds many more
applications and awards of other consortia."""

import pytest
from django.urls import reverse

from grants.applications.models import Application
from tests.factories import (
    NoticeFactory,
    SubmissionFactory,
    award_in,
    contact_of,
    one_criterion_round,
)

pytestmark = pytest.mark.django_db

MOST = 12


@pytest.fixture
def round_():
    return one_criterion_round(status="decided")


@pytest.fixture
def award(round_):
    award = award_in(round_, "AW-0001", "400000.00", status="accepted")
    SubmissionFactory(application=award.application)
    NoticeFactory(award=award)
    return award


def _others(round_, count: int) -> None:
    for n in range(count):
        other = award_in(round_, f"AW-9{n:03d}", "300000.00")
        SubmissionFactory(application=other.application)
        NoticeFactory(award=other)


def _pages(award) -> dict[str, str]:
    application = award.application
    return {
        "dashboard": reverse("dashboard"),
        "my applications": reverse("applications:applications"),
        "application section": reverse("applications:application-section", args=[application.pk, "narratives"]),
        "submitted snapshot": reverse("applications:submission", args=[application.pk]),
        "my awards": reverse("awards:awards"),
        "award page": reverse("awards:award", args=[award.pk]),
        "consortium page": reverse("consortia:detail", args=[award.consortium_id]),
    }


def test_each_applicant_page_asks_as_many_queries_in_a_round_of_many_applications(
    client, round_, award, django_assert_max_num_queries
):
    client.force_login(contact_of(award.consortium))
    pages = _pages(award)
    client.get(pages["dashboard"])  # the session's first request writes it
    small = {}
    for name, url in pages.items():
        with django_assert_max_num_queries(MOST) as counted:
            assert client.get(url).status_code == 200, name
        small[name] = len(counted.captured_queries)

    _others(round_, 8)

    large = {}
    for name, url in pages.items():
        with django_assert_max_num_queries(MOST) as counted:
            assert client.get(url).status_code == 200, name
        large[name] = len(counted.captured_queries)
    assert large == small
    assert Application.objects.filter(round=round_).count() == 9
