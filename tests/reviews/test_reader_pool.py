"""The reader pool page: every reader with affiliations, expertise, status and load per round not yet decided;
filters; who may see it; its queries do not grow with the readers."""

import pytest
from django.urls import reverse

from grants.reviews.models import ReaderLoadCap, ReaderSector
from grants.reviews.services import readers
from tests.factories import (
    AffiliationFactory,
    AssignmentFactory,
    OrganizationFactory,
    RoundFactory,
    SubmittedApplicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
POOL = reverse("reviews:reader-pool")


@pytest.fixture
def round_():
    return RoundFactory(status="in_review", name="Round Two")


def a_reader(first="Rita", last="Reader", **kwargs):
    return UserFactory(role="Readers", first_name=first, last_name=last, **kwargs)


def test_staff_see_each_reader_with_affiliations_expertise_status_and_load(staff_client, staff_user, round_):
    rita = a_reader(email="rita@example.org")
    AffiliationFactory(user=rita, organization=OrganizationFactory(name="Fresno Unified"))
    readers.save_profile(
        reader=rita,
        by=staff_user,
        organizations=[rita.affiliations.get().organization],
        sectors=["health"],
        expertise="Apprenticeships",
    )
    AssignmentFactory(reader=rita, application=SubmittedApplicationFactory(round=round_))
    ReaderLoadCap.objects.create(round=round_, reader=rita, maximum=5, set_by=staff_user)
    page = staff_client.get(POOL).content.decode()
    assert "Rita Reader" in page and "rita@example.org" in page
    assert "Fresno Unified" in page
    assert "Health Science and Medical Technology" in page and "Apprenticeships" in page
    assert "Active" in page
    assert "Round Two" in page and "1 of 5" in page


def test_the_pool_filters_by_name_expertise_sector_and_status(staff_client, staff_user):
    rita, sam = a_reader("Rita", "Reader"), a_reader("Sam", "Scorer")
    ReaderSector.objects.create(reader=sam, sector="ict")
    readers.save_profile(reader=rita, by=staff_user, organizations=[], sectors=[], expertise="welding trades")
    readers.deactivate(reader=sam, by=staff_user, reason="Moved away")

    def names(**query):
        return {row.reader for row in staff_client.get(POOL, query).context["rows"]}

    assert names() == {rita, sam}
    assert names(q="scorer") == {sam}
    assert names(q="welding") == {rita}
    assert names(sector="ict") == {sam}
    assert names(status="deactivated") == {sam}
    assert names(status="active") == {rita}


@pytest.mark.parametrize("role", ["Readers", "Applicants", None])
def test_readers_applicants_and_others_are_refused_every_pool_page(client, role):
    person = UserFactory(role=role) if role else UserFactory()
    reader = a_reader()
    client.force_login(person)
    for url in (
        POOL,
        reverse("reviews:reader-invite"),
        reverse("reviews:reader", args=[reader.pk]),
        reverse("reviews:reader-deactivate", args=[reader.pk]),
        reverse("reviews:reader-reactivate", args=[reader.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("reviews:reader-deactivate", args=[reader.pk]), {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("role", ["Program staff", "Administrators"])
def test_program_staff_and_administrators_may_use_the_pool(client, role):
    client.force_login(UserFactory(role=role))
    reader = a_reader()
    assert client.get(POOL).status_code == 200
    assert client.get(reverse("reviews:reader", args=[reader.pk])).status_code == 200
    assert client.get(reverse("reviews:reader-invite")).status_code == 200


def test_a_reader_page_of_someone_who_is_not_a_reader_is_not_found(staff_client):
    assert staff_client.get(reverse("reviews:reader", args=[UserFactory(role="Applicants").pk])).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get(POOL).status_code == 302


def test_the_pool_page_asks_the_same_queries_for_more_readers(staff_client, round_, django_assert_max_num_queries):
    def add_readers(n):
        for _ in range(n):
            reader = a_reader()
            AffiliationFactory(user=reader)
            ReaderSector.objects.create(reader=reader, sector="health")
            AssignmentFactory(reader=reader, application=SubmittedApplicationFactory(round=round_))

    add_readers(2)
    with django_assert_max_num_queries(60) as few:
        staff_client.get(POOL)
    add_readers(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = staff_client.get(POOL)
    assert len(page.context["rows"]) == 8


def test_the_dashboard_and_the_readers_board_link_to_the_pool(staff_client, round_):
    assert POOL in staff_client.get(reverse("dashboard")).content.decode()
    board = staff_client.get(reverse("reviews:assignment-board", args=[round_.pk])).content.decode()
    assert f"{POOL}?round={round_.pk}" in board
