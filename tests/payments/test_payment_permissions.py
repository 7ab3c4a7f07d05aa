"""Who may open and post what: program staff manage payments; administrators also approve large payments and keep
the settings; the consortium's contacts read their award's payments, and its lead contact files expenditure reports
and budget revisions; readers, applicants and other consortia see nothing (403), anonymous people sign in first."""

from decimal import Decimal

import pytest
from django.urls import reverse

from consortia.models import Contact
from grants.payments.models import BudgetRevision, ExpenditureReport
from grants.payments.services.expenditures import save_expenditures, submit_report
from grants.payments.services.revisions import request_revision
from tests.factories import UserFactory, contact_of

from .conftest import active_award

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(award, payments, budget, staff_user):
    lead = contact_of(award.consortium)
    report = save_expenditures(award=award, fiscal_year="2014-15", amounts={"1000": Decimal("1")}, by=lead)
    submit_report(report=report, by=lead)
    revision = request_revision(
        award=award,
        fiscal_year="2015-16",
        amounts={"1000": Decimal("20000"), "5000": Decimal("40000")},
        reason="Large move.",
        by=lead,
    )
    other = active_award()
    return {
        "award": award,
        "payment": payments["2014-15"],
        "report": report,
        "revision": revision,
        "lead": lead,
        "partner": contact_of(award.consortium, role=Contact.Role.PARTNER),
        "other_lead": contact_of(other.consortium),
    }


def read_pages(w):
    a = w["award"].pk
    return [
        reverse("payments:award", args=[a]),
        reverse("payments:payment", args=[w["payment"].pk]),
        reverse("payments:expenditures", args=[a, "2014-15"]),
        reverse("payments:revision", args=[w["revision"].pk]),
    ]


def staff_posts(w):
    a, p = w["award"].pk, w["payment"].pk
    return [
        reverse("payments:payment-add", args=[a]),
        reverse("payments:hold", args=[a]),
        reverse("payments:lift-hold", args=[a]),
        reverse("payments:recovery", args=[a]),
        reverse("payments:closeout", args=[a]),
        reverse("payments:release", args=[p]),
        reverse("payments:paid", args=[p]),
        reverse("payments:cancel", args=[p]),
    ]


def admin_only(w):
    return [reverse("payments:settings", args=[w["award"].round.program_id])]


def lead_only(w):
    return [reverse("payments:revision-new", args=[w["award"].pk, "2015-16"])]


def codes(client, urls, method="get"):
    return {url: getattr(client, method)(url).status_code for url in urls}


def test_anonymous_people_are_sent_to_sign_in(client, world):
    for url in read_pages(world) + staff_posts(world) + admin_only(world) + lead_only(world):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("role", ["Readers", "Applicants"])
def test_readers_and_applicants_see_nothing(client, world, role):
    client.force_login(UserFactory(role=role))
    everything = read_pages(world) + admin_only(world) + lead_only(world)
    assert set(codes(client, everything).values()) == {403}
    assert set(
        codes(client, staff_posts(world) + [reverse("payments:approve", args=[world["payment"].pk])], "post").values()
    ) == {403}


def test_another_consortiums_lead_sees_nothing_of_this_award(client, world):
    client.force_login(world["other_lead"])
    assert set(codes(client, read_pages(world) + lead_only(world)).values()) == {403}
    assert (
        client.post(reverse("payments:expenditures", args=[world["award"].pk, "2014-15"]), {"save": "1"}).status_code
        == 403
    )


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_the_consortiums_contacts_read_its_payments_and_change_nothing_of_staffs(client, world, who):
    client.force_login(world[who])
    assert set(codes(client, read_pages(world)).values()) == {200}
    assert set(codes(client, staff_posts(world) + admin_only(world), "post").values()) == {403}
    assert (
        client.post(reverse("payments:revision", args=[world["revision"].pk]), {"decision": "accept"}).status_code
        == 403
    )
    world["revision"].refresh_from_db()
    assert world["revision"].status == BudgetRevision.Status.PENDING


def test_only_the_lead_contact_asks_for_a_revision(client, world):
    client.force_login(world["partner"])
    assert set(codes(client, lead_only(world)).values()) == {403}
    client.force_login(world["lead"])
    assert set(codes(client, lead_only(world)).values()) == {200}


def test_program_staff_manage_but_neither_approve_nor_keep_the_settings_nor_file(client, world, staff_user):
    client.force_login(staff_user)
    assert set(
        codes(client, read_pages(world) + [reverse("payments:closeout", args=[world["award"].pk])]).values()
    ) == {200}
    assert set(codes(client, admin_only(world) + lead_only(world)).values()) == {403}
    assert client.post(reverse("payments:approve", args=[world["payment"].pk])).status_code == 403


def test_an_administrator_keeps_the_settings_but_never_files_for_the_consortium(client, world, admin_user):
    Contact.objects.create(consortium=world["award"].consortium, user=admin_user, role=Contact.Role.LEAD)
    client.force_login(admin_user)
    assert set(codes(client, read_pages(world) + admin_only(world)).values()) == {200}
    assert set(codes(client, lead_only(world)).values()) == {403}


def test_staff_decide_a_submitted_report(client, world, staff_user):
    client.force_login(staff_user)
    url = reverse("payments:expenditures", args=[world["award"].pk, "2014-15"])
    client.post(url, {"decide": "1", "decision": "accept"})
    world["report"].refresh_from_db()
    assert world["report"].status == ExpenditureReport.Status.ACCEPTED
