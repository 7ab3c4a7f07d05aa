"""Who may open which funding-decision page: the permission matrix, URL guessing included."""

import pytest
from django.urls import reverse

from consortia.models import Contact
from grants.awards.models import FundingPlan
from grants.awards.services.allocation import build_plan
from grants.programs.models import Round
from tests.factories import (
    AwardFactory,
    ContactFactory,
    FundingCategoryFactory,
    NoticeFactory,
    RoundFactory,
    UserFactory,
    ranked_application,
    submit,
)


@pytest.fixture
def world(db):
    award = AwardFactory()
    other = AwardFactory(round=award.round)
    in_review = RoundFactory(program=award.round.program, status=Round.Status.IN_REVIEW)
    category = FundingCategoryFactory(round=in_review)
    ranked_application(in_review, category, 1, "100000.00")
    plan = FundingPlan.objects.create(round=in_review, created_by=UserFactory(role="Program staff"))
    build_plan(plan=plan)
    return {
        "award": award,
        "other": other,
        "round": award.round,
        "in_review": in_review,
        "plan": plan,
        "line": plan.lines.get(),
        "program": award.round.program,
        "notice": NoticeFactory(award=award),
        "lead": ContactFactory(consortium=award.consortium, role=Contact.Role.LEAD).user,
        "partner": ContactFactory(consortium=award.consortium, role=Contact.Role.PARTNER).user,
        "other_lead": ContactFactory(consortium=other.consortium, role=Contact.Role.LEAD).user,
    }


def staff_pages(w):
    return [
        reverse("awards:plan", args=[w["in_review"].pk]),
        reverse("awards:plan-line", args=[w["line"].pk]),
        reverse("awards:round-awards", args=[w["round"].pk]),
        reverse("awards:program-awards", args=[w["program"].pk]),
        reverse("setaside:ledger", args=[w["program"].pk]),
        reverse("awards:notices", args=[w["round"].pk]),
        reverse("awards:notice-resend", args=[w["notice"].pk]),
        reverse("awards:award-amend", args=[w["award"].pk]),
    ]


def staff_posts(w):
    return [
        reverse("awards:plan-generate", args=[w["in_review"].pk]),
        reverse("awards:plan-recompute", args=[w["plan"].pk]),
        reverse("awards:plan-swap", args=[w["plan"].pk]),
        reverse("awards:plan-line", args=[w["line"].pk]),
        reverse("awards:award-status", args=[w["award"].pk]),
        reverse("awards:award-amend", args=[w["award"].pk]),
        reverse("setaside:ledger", args=[w["program"].pk]),
        reverse("awards:notice-resend", args=[w["notice"].pk]),
    ]


def award_pages(w):
    return [reverse("awards:award", args=[w["award"].pk]), reverse("awards:award-letter", args=[w["award"].pk])]


def approve_page(w):
    return reverse("awards:plan-approve", args=[w["plan"].pk])


def statuses(client, urls, method="get"):
    return {url: getattr(client, method)(url).status_code for url in urls}


def test_anonymous_people_are_sent_to_sign_in(client, world):
    urls = staff_pages(world) + award_pages(world) + [approve_page(world), reverse("awards:awards")]
    for url in urls + staff_posts(world):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    response = client.post(reverse("awards:award-respond", args=[world["award"].pk]), {"decision": "accept"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["Applicants", "Readers"])
def test_applicants_and_readers_are_refused_everything(client, world, role):
    client.force_login(UserFactory(role=role))
    urls = staff_pages(world) + award_pages(world) + [approve_page(world)]
    assert set(statuses(client, urls).values()) == {403}
    assert set(statuses(client, staff_posts(world), "post").values()) == {403}
    assert client.post(reverse("awards:award-respond", args=[world["award"].pk])).status_code == 403


def test_program_staff_build_plans_and_manage_awards_but_do_not_approve(client, world, staff_user):
    client.force_login(staff_user)
    assert set(statuses(client, staff_pages(world) + award_pages(world)).values()) == {200}
    assert client.get(approve_page(world)).status_code == 403
    assert client.post(reverse("awards:award-respond", args=[world["award"].pk])).status_code == 403


def test_administrators_open_every_staff_page_and_the_approval(client, world, admin_user):
    submit(world["plan"])  # the approval page opens for a plan submitted for approval
    client.force_login(admin_user)
    assert set(statuses(client, staff_pages(world) + award_pages(world) + [approve_page(world)]).values()) == {200}


@pytest.mark.parametrize("who", ["lead", "partner"])
def test_a_consortiums_contacts_see_its_award_and_letter_and_nothing_of_staff(client, world, who):
    client.force_login(world[who])
    assert set(statuses(client, award_pages(world)).values()) == {200}
    assert set(statuses(client, staff_pages(world) + [approve_page(world)]).values()) == {403}
    assert set(statuses(client, staff_posts(world), "post").values()) == {403}


def test_a_contact_cannot_open_another_consortiums_award_by_guessing_its_address(client, world):
    client.force_login(world["lead"])
    other = world["other"]
    assert client.get(reverse("awards:award", args=[other.pk])).status_code == 403
    assert client.get(reverse("awards:award-letter", args=[other.pk])).status_code == 403
    response = client.post(reverse("awards:award-respond", args=[other.pk]), {"decision": "decline", "reason": "x"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.status == "offered"


def test_contacts_list_only_their_own_awards(client, world):
    client.force_login(world["lead"])
    content = client.get(reverse("awards:awards")).content.decode()
    assert world["award"].number in content
    assert world["other"].number not in content


def test_unknown_objects_are_not_found(client, world, admin_user):
    client.force_login(admin_user)
    for name in [
        "awards:plan", "awards:plan-generate", "awards:plan-recompute", "awards:plan-swap", "awards:plan-approve",
        "awards:plan-line", "awards:round-awards", "awards:program-awards", "awards:award", "awards:award-letter",
        "awards:award-respond", "awards:award-status", "awards:award-amend", "setaside:ledger", "awards:notices",
        "awards:notice-resend",
    ]:  # fmt: skip
        url = reverse(name, args=[999999])
        assert client.post(url).status_code == 404, name


def test_the_letter_is_a_pdf_download(client, world):
    client.force_login(world["partner"])
    response = client.get(reverse("awards:award-letter", args=[world["award"].pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="award-letter-{world["award"].number}.pdf"' in response["Content-Disposition"]


def test_the_award_page_shows_its_terms_to_a_contact(client, world):
    award = world["award"]
    client.force_login(world["partner"])
    content = client.get(reverse("awards:award", args=[award.pk])).content.decode()
    assert f"${award.amount:,.2f}" in content
    assert f"Fiscal years {award.fiscal_years[0]} through {award.fiscal_years[-1]}" in content
    assert "awaiting the answer of" in content  # a partner sees the offer but cannot answer it
    assert reverse("awards:award-respond", args=[award.pk]) not in content


def test_the_award_email_links_to_the_award_page(world):
    from grants.awards.services.notices import build_message

    message = build_message(world["notice"], ["someone@example.org"])
    assert reverse("awards:award", args=[world["award"].pk]) in message.body


def test_staff_are_pointed_from_the_awards_page_to_each_programs_awards(client, world, staff_user):
    client.force_login(staff_user)
    content = client.get(reverse("awards:awards")).content.decode()
    assert reverse("awards:program-awards", args=[world["program"].pk]) in content
