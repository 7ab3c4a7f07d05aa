"""The staff assignment board: readers and their status, assigning and removing, automatic assignment."""

import pytest
from django.urls import reverse

from grants.applications.models import Application
from grants.reviews.models import Assignment
from tests.factories import (
    PASSWORD,
    AffiliationFactory,
    ApplicationFactory,
    AssignmentFactory,
    ReviewFactory,
    RoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return RoundFactory(readers_per_application=3, name="Round 1 implementation")


@pytest.fixture
def app(round_):
    return ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R1-001", title="Health")


def reader(first, last="Reader", **kwargs):
    return UserFactory(role="Readers", first_name=first, last_name=last, **kwargs)


def board_url(round_):
    return reverse("reviews:assignment-board", args=[round_.pk])


# ---- Permissions ---------------------------------------------------------------------------------------------


def staff_pages(round_, app, assignment):
    return [
        ("get", board_url(round_)),
        ("post", reverse("reviews:assignment-auto", args=[round_.pk])),
        ("get", reverse("reviews:assignment-add", args=[round_.pk, app.pk])),
        ("get", reverse("reviews:assignment-remove", args=[round_.pk, assignment.pk])),
        ("get", reverse("reviews:round-conflicts", args=[round_.pk])),
    ]


@pytest.mark.parametrize("role", ["Readers", "Applicants"])
def test_readers_and_applicants_are_refused_every_staff_page(client, round_, app, role):
    made = AssignmentFactory(status="accepted", application=app)
    client.force_login(UserFactory(role=role))
    for method, url in staff_pages(round_, app, made):
        assert getattr(client, method)(url).status_code == 403, url
    assert Assignment.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, round_, app):
    made = AssignmentFactory(status="accepted", application=app)
    for method, url in staff_pages(round_, app, made):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("role", ["Program staff", "Administrators"])
def test_staff_and_administrators_see_every_page(client, round_, app, role):
    made = AssignmentFactory(status="accepted", application=app)
    client.force_login(UserFactory(role=role))
    for method, url in staff_pages(round_, app, made):
        assert getattr(client, method)(url).status_code in (200, 302), url


def test_an_unknown_round_or_application_is_not_found(staff_client, round_, app):
    other_round_app = ApplicationFactory(status=Application.Status.SUBMITTED)
    made = AssignmentFactory(status="accepted", application=other_round_app)
    assert staff_client.get(reverse("reviews:assignment-board", args=[999999])).status_code == 404
    assert staff_client.get(reverse("reviews:round-conflicts", args=[999999])).status_code == 404
    assert staff_client.post(reverse("reviews:assignment-auto", args=[999999])).status_code == 404
    assert staff_client.get(reverse("reviews:assignment-add", args=[round_.pk, 999999])).status_code == 404
    assert staff_client.get(reverse("reviews:assignment-add", args=[round_.pk, other_round_app.pk])).status_code == 404
    assert staff_client.get(reverse("reviews:assignment-remove", args=[round_.pk, made.pk])).status_code == 404


def test_a_reader_signed_in_with_a_password_is_refused_too(client, round_):
    person = reader("Pat", email="pat@example.org")
    assert client.login(username="pat@example.org", password=PASSWORD)
    assert client.get(board_url(round_)).status_code == 403
    assert person.is_reader


# ---- The board -----------------------------------------------------------------------------------------------


def test_the_board_shows_each_readers_status_and_what_is_missing(staff_client, round_, app):
    AssignmentFactory(application=app, reader=reader("Awaiting"), status=Assignment.Status.ASSIGNED)
    AssignmentFactory(status="accepted", application=app, reader=reader("Attested"))
    drafting = AssignmentFactory(
        status="accepted",
        application=ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R1-002"),
        reader=reader("Drafting"),
    )
    ReviewFactory(submitted=True, assignment=drafting, status="draft")
    ReviewFactory(submitted=True, assignment__application=drafting.application, assignment__reader=reader("Finished"))
    AssignmentFactory(
        application=app,
        reader=reader("Declining"),
        status=Assignment.Status.DECLINED,
        end_reason="My cousin",
    )
    AffiliationFactory(user=reader("Conflicted"), organization=app.consortium.lead_agency)
    late = AssignmentFactory(status="accepted", application=drafting.application, reader=reader("Late"))
    AffiliationFactory(user=late.reader, organization=drafting.application.consortium.lead_agency)
    ApplicationFactory(round=round_, number="R1-003")  # a draft is not on the board

    response = staff_client.get(board_url(round_))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Awaiting Reader" in html and "Awaiting attestation" in html
    assert "Attested Reader" in html and ">Attested<" in html
    assert "Drafting Reader" in html and "Review draft" in html
    assert "Finished Reader" in html and "Review submitted" in html
    assert "Declined: conflict declared" in html and "My cousin" in html
    assert "Conflicted Reader" in html
    assert "<strong>1 more</strong>" in html  # R1-001 has two active readers of three
    assert "R1-003" not in html
    rows = {row.application.number: row for row in response.context["rows"]}
    assert rows["R1-001"].missing == 1
    assert rows["R1-001"].conflicted == ["Conflicted Reader"]
    assert rows["R1-002"].missing == 0
    assert "Attested (in conflict: replace)" in html  # a conflict found after the assignment
    assert response.context["summary"] == {"applications": 2, "needing": 1, "assignments": 5}


def test_the_board_can_show_only_applications_needing_readers(staff_client, round_, app):
    full = ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R1-009")
    for _ in range(3):
        AssignmentFactory(status="accepted", application=full)

    response = staff_client.get(board_url(round_) + "?show=needing")

    assert [row.application.number for row in response.context["rows"]] == ["R1-001"]


def test_the_board_shows_each_readers_load(staff_client, round_, app):
    busy = reader("Busy")
    AssignmentFactory(status="accepted", application=app, reader=busy)
    AssignmentFactory(
        status="accepted",
        application=ApplicationFactory(round=round_, status=Application.Status.SUBMITTED),
        reader=busy,
    )
    reader("Idle")

    response = staff_client.get(board_url(round_))

    loads = {str(r): (r.load, r.awaiting, r.submitted, r.declined) for r in response.context["loads"]}
    assert loads == {"Busy Reader": (2, 0, 0, 0), "Idle Reader": (0, 0, 0, 0)}
    assert "Reader loads" in response.content.decode()


def test_the_board_takes_the_same_number_of_queries_for_10_or_40_applications(
    staff_client, round_, django_assert_max_num_queries
):
    readers = [reader(f"R{i}") for i in range(4)]
    creator = UserFactory()

    def add(count, start):
        for i in range(start, start + count):
            application = ApplicationFactory(
                round=round_, status=Application.Status.SUBMITTED, number=f"Q-{i:03d}", created_by=creator
            )
            made = AssignmentFactory(status="accepted", application=application, reader=readers[i % 4])
            ReviewFactory(submitted=True, assignment=made, status="draft")
            AffiliationFactory(user=readers[(i + 1) % 4], organization=application.consortium.lead_agency)

    add(10, 0)
    with django_assert_max_num_queries(40) as ten:
        assert staff_client.get(board_url(round_)).status_code == 200
    add(30, 10)
    with django_assert_max_num_queries(40) as forty:
        response = staff_client.get(board_url(round_))
    assert len(response.context["rows"]) == 40
    assert len(forty.captured_queries) == len(ten.captured_queries)


# ---- Assigning by hand ---------------------------------------------------------------------------------------


def test_only_eligible_readers_are_offered_with_their_load(staff_client, round_, app):
    free = reader("Free")
    AssignmentFactory(
        status="accepted",
        application=ApplicationFactory(round=round_, status=Application.Status.SUBMITTED),
        reader=free,
    )
    already = reader("Already")
    AssignmentFactory(status="accepted", application=app, reader=already)
    declined = reader("Declined")
    AssignmentFactory(application=app, reader=declined, status=Assignment.Status.DECLINED)
    conflicted = reader("Conflicted")
    AffiliationFactory(user=conflicted, organization=app.consortium.lead_agency)
    UserFactory(role="Applicants", first_name="Not", last_name="Reader")

    response = staff_client.get(reverse("reviews:assignment-add", args=[round_.pk, app.pk]))

    choices = [label for value, label in response.context["form"].fields["reader"].choices if value]
    assert choices == [f"Free Reader ({free.email}): 1 in this round"]
    assert {str(r): reason for r, reason in response.context["in_conflict"].items()} == {
        "Conflicted Reader": f"Affiliated with {app.consortium.lead_agency}"
    }
    assert "Not offered: in conflict" in response.content.decode()


def test_staff_assign_a_reader_by_hand(staff_client, staff_user, round_, app, mailoutbox):
    chosen = reader("Chosen")

    response = staff_client.post(
        reverse("reviews:assignment-add", args=[round_.pk, app.pk]), {"reader": chosen.pk}, follow=True
    )

    made = Assignment.objects.get()
    assert (made.reader, made.assigned_by, made.status) == (chosen, staff_user, Assignment.Status.ASSIGNED)
    assert "Assigned Chosen Reader to R1-001." in response.content.decode()
    assert response.redirect_chain[-1][0] == board_url(round_)


def test_a_reader_who_is_not_offered_cannot_be_assigned_by_a_forged_form(staff_client, round_, app):
    conflicted = reader("Conflicted")
    AffiliationFactory(user=conflicted, organization=app.consortium.lead_agency)

    response = staff_client.post(reverse("reviews:assignment-add", args=[round_.pk, app.pk]), {"reader": conflicted.pk})

    assert response.status_code == 200
    assert response.context["form"].errors["reader"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Assignment.objects.exists()


def test_the_service_refusal_is_shown_next_to_the_reader(staff_client, round_, app, monkeypatch):
    chosen = reader("Chosen")
    draft = ApplicationFactory(round=round_, number="R1-004")

    response = staff_client.post(reverse("reviews:assignment-add", args=[round_.pk, draft.pk]), {"reader": chosen.pk})

    assert response.context["form"].errors["reader"] == [
        "Application R1-004 is draft: only submitted applications are read."
    ]
    assert not Assignment.objects.exists()


# ---- Removing ------------------------------------------------------------------------------------------------


def test_removing_a_reader_needs_a_reason_and_keeps_what_was_chosen(staff_client, round_, app):
    made = AssignmentFactory(status="accepted", application=app, reader=reader("Leaving"))
    replacement = reader("Replacement")
    url = reverse("reviews:assignment-remove", args=[round_.pk, made.pk])

    response = staff_client.post(url, {"reason": "   ", "replacement": replacement.pk})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reason"] == ["Give a reason for removing the reader; it is kept in the record."]
    assert f'<option value="{replacement.pk}" selected>' in response.content.decode()
    made.refresh_from_db()
    assert made.status == Assignment.Status.ACCEPTED


def test_staff_remove_a_reader_with_a_reason(staff_client, round_, app):
    made = AssignmentFactory(status="accepted", application=app, reader=reader("Leaving"))

    response = staff_client.post(
        reverse("reviews:assignment-remove", args=[round_.pk, made.pk]), {"reason": "Withdrew: ill"}, follow=True
    )

    made.refresh_from_db()
    assert made.status == Assignment.Status.REMOVED
    assert made.end_reason == "Withdrew: ill"
    html = response.content.decode()
    assert "Removed Leaving Reader from R1-001." in html
    assert "Withdrew: ill" in html  # the board keeps the ended assignment with its reason


def test_staff_replace_a_reader_who_withdrew(staff_client, staff_user, round_, app):
    made = AssignmentFactory(status="accepted", application=app, reader=reader("Leaving"))
    replacement = reader("Replacement")

    response = staff_client.post(
        reverse("reviews:assignment-remove", args=[round_.pk, made.pk]),
        {"reason": "Withdrew", "replacement": replacement.pk},
        follow=True,
    )

    active = Assignment.objects.active().get()
    assert (active.reader, active.assigned_by) == (replacement, staff_user)
    assert "Removed Leaving Reader from R1-001 and assigned Replacement Reader." in response.content.decode()


def test_an_ended_assignment_cannot_be_removed_again(staff_client, round_, app):
    made = AssignmentFactory(application=app, reader=reader("Gone"), status=Assignment.Status.REMOVED)

    response = staff_client.get(reverse("reviews:assignment-remove", args=[round_.pk, made.pk]), follow=True)

    assert "Gone Reader is no longer assigned to R1-001." in response.content.decode()


# ---- Automatically -------------------------------------------------------------------------------------------


def test_automatic_assignment_explains_what_it_did_on_screen(staff_client, round_, app):
    readers = [reader(f"N{i}") for i in range(4)]
    short = ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R1-002")
    for person in readers[:2]:
        AffiliationFactory(user=person, organization=short.consortium.lead_agency)

    response = staff_client.post(
        reverse("reviews:assignment-auto", args=[round_.pk]), {"max_per_reader": ""}, follow=True
    )

    assert Assignment.objects.count() == 5
    html = response.content.decode()
    assert "Automatic assignment made 5 assignments." in html
    assert "What automatic assignment did" in html
    assert "least 1, most 2" in html
    assert "R1-002 has 2 readers and needs 1 more: only 2 of the 4 readers free of conflict." in html
    # The explanation is shown once, after the run.
    assert "What automatic assignment did" not in staff_client.get(board_url(round_)).content.decode()


def test_automatic_assignment_respects_the_maximum_typed(staff_client, round_, app):
    for i in range(3):
        reader(f"M{i}")
    ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R1-002")

    response = staff_client.post(
        reverse("reviews:assignment-auto", args=[round_.pk]), {"max_per_reader": "1"}, follow=True
    )

    assert Assignment.objects.count() == 3
    assert "at most 1 per reader" in response.content.decode()


def test_a_maximum_that_is_not_a_number_is_refused_next_to_the_field(staff_client, round_, app):
    reader("Someone")

    response = staff_client.post(reverse("reviews:assignment-auto", args=[round_.pk]), {"max_per_reader": "twelve"})

    assert response.status_code == 200
    assert response.context["auto_form"].errors["max_per_reader"] == ["Enter a whole number, for example 12."]
    assert 'value="twelve"' in response.content.decode()
    assert not Assignment.objects.exists()
