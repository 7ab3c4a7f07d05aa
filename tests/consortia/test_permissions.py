"""Who may open each consortium and organization page. 404 for what does not exist, 403 for what is not yours."""

import pytest

from consortia.models import Membership

from ..factories import MembershipFactory, OrganizationFactory

EVERYONE = {"lead", "partner", "outsider", "reader", "staff", "admin"}
STAFF = {"staff", "admin"}
APPLICANTS = {"lead", "partner", "outsider"}

# page -> (method, url, who gets in); {c}: the consortium, {m}: a non-lead membership, {o}: an organization
PAGES = {
    "list": ("get", "/consortia/", EVERYONE),
    "detail": ("get", "/consortia/{c}/", STAFF | {"lead", "partner"}),
    "create": ("get", "/consortia/new/", STAFF),
    "edit": ("get", "/consortia/{c}/edit/", STAFF | {"lead"}),
    "member add": ("get", "/consortia/{c}/members/add/", STAFF | {"lead"}),
    "member remove": ("post", "/consortia/{c}/members/{m}/remove/", STAFF | {"lead"}),
    "invite": ("get", "/consortia/{c}/invite/", STAFF | {"lead"}),
    "organization list": ("get", "/organizations/", STAFF | APPLICANTS),
    "organization create": ("get", "/organizations/new/", STAFF | APPLICANTS),
    "organization edit": ("get", "/organizations/{o}/edit/", STAFF),
}
PERSONAS = ["anonymous", "lead", "partner", "outsider", "reader", "staff", "admin"]


@pytest.fixture
def urls(consortium):
    membership = MembershipFactory(consortium=consortium)
    organization = OrganizationFactory()
    return {
        name: url.format(c=consortium.pk, m=membership.pk, o=organization.pk) for name, (_, url, _) in PAGES.items()
    }


def request(client, person, page, urls):
    if person is not None:
        client.force_login(person)
    method = PAGES[page][0]
    return getattr(client, method)(urls[page])


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", PAGES)
def test_each_page_lets_in_exactly_the_people_it_should(client, persona, person, page, urls):
    response = request(client, person, page, urls)

    allowed = PAGES[page][2]
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif persona in allowed:
        expected = 302 if PAGES[page][0] == "post" else 200
        assert response.status_code == expected
    else:
        assert response.status_code == 403
        assert "You do not have access to this page" in response.content.decode()
        assert "403.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("persona", ["staff", "lead"])
@pytest.mark.parametrize(
    "url",
    [
        "/consortia/999999/",
        "/consortia/999999/edit/",
        "/consortia/999999/members/add/",
        "/consortia/999999/invite/",
        "/consortia/99999999999999999999999/",
        "/organizations/999999/edit/",
        "/invitations/no-such-token/",
    ],
)
def test_unknown_ids_give_the_not_found_page(client, person, url):
    client.force_login(person)

    response = client.get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "lead"])
def test_removing_an_unknown_membership_gives_not_found(client, person, consortium):
    client.force_login(person)

    assert client.post(f"/consortia/{consortium.pk}/members/999999/remove/").status_code == 404


def test_a_membership_of_another_consortium_cannot_be_removed_through_this_one(client, consortium, lead):
    elsewhere = MembershipFactory()
    client.force_login(lead)

    response = client.post(f"/consortia/{consortium.pk}/members/{elsewhere.pk}/remove/")

    assert response.status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.parametrize("persona", ["outsider", "partner"])
def test_guessing_the_remove_url_of_another_consortium_changes_nothing(client, person, consortium):
    membership = MembershipFactory(consortium=consortium)
    client.force_login(person)

    response = client.post(f"/consortia/{consortium.pk}/members/{membership.pk}/remove/")

    assert response.status_code == 403
    assert consortium.memberships.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("persona", ["lead", "staff"])
def test_removing_a_member_only_works_by_post(client, person, consortium):
    membership = MembershipFactory(consortium=consortium)
    client.force_login(person)

    assert client.get(f"/consortia/{consortium.pk}/members/{membership.pk}/remove/").status_code == 405
