import pytest
from django.urls import reverse

from consortia.models import Contact
from grants.applications.models import Application
from grants.programs.models import Round
from tests.factories import ApplicationFactory, OpenRoundFactory, UserFactory, contact_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory(round=OpenRoundFactory(), title="Ours")


def overview(application):
    return reverse("applications:application", args=[application.pk])


def section(application, name="summary"):
    return reverse("applications:application-section", args=[application.pk, name])


def save_title(client, application, title):
    application.refresh_from_db()
    return client.post(
        section(application), {"section_version": application.section_version("summary"), "title": title}
    )


def test_an_applicant_cannot_read_or_change_another_consortiums_application(client, application):
    client.force_login(contact_of(ApplicationFactory().consortium))

    assert client.get(overview(application)).status_code == 403
    assert client.get(section(application)).status_code == 403
    assert client.get(section(application, "budget")).status_code == 403
    assert save_title(client, application, "Hijacked").status_code == 403
    application.refresh_from_db()
    assert application.title == "Ours"


def test_a_partner_contact_can_edit_a_draft(client, application):
    client.force_login(contact_of(application.consortium, role=Contact.Role.PARTNER))

    assert client.get(overview(application)).status_code == 200
    assert save_title(client, application, "Edited by a partner").status_code == 302
    application.refresh_from_db()
    assert application.title == "Edited by a partner"


@pytest.mark.parametrize(
    "name",
    [
        "applications:applications",
        "applications:application-start",
        "applications:application",
        "applications:application-section",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, application, name):
    args = {
        "applications:application": [application.pk],
        "applications:application-section": [application.pk, "summary"],
    }
    url = reverse(name, args=args.get(name))

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_visitors_are_sent_to_sign_in_from_a_letter_of_intent(client, application):
    response = client.get(reverse("applications:letter-of-intent", args=[application.round.pk]))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_unknown_applications_and_sections_are_not_found(client, application):
    client.force_login(contact_of(application.consortium))

    assert client.get(reverse("applications:application", args=[999999])).status_code == 404
    assert client.get(reverse("applications:application-section", args=[999999, "summary"])).status_code == 404
    assert client.get(section(application, "secret-section")).status_code == 404


def test_a_submitted_application_is_read_only_for_its_contacts(client, application):
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SUBMITTED)
    client.force_login(contact_of(application.consortium))

    page = client.get(section(application))
    response = save_title(client, application, "Changed after submission")

    assert page.status_code == 200
    assert "Read-only:" in page.content.decode()
    assert 'name="section_version"' not in page.content.decode()
    assert page.context["can_edit"] is False
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.title == "Ours"
    assert "is read-only now" in client.get(response.url).content.decode()


def test_every_section_of_a_submitted_application_can_be_read(client, application):
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SUBMITTED)
    client.force_login(contact_of(application.consortium))

    for name in Application.Section.values:
        assert client.get(section(application, name)).status_code == 200, name


def test_program_staff_can_read_but_not_change_a_draft(client, application, staff_user):
    client.force_login(staff_user)

    assert client.get(overview(application)).status_code == 200
    assert client.get(section(application)).context["can_edit"] is False
    assert save_title(client, application, "Changed by staff").status_code == 403
    application.refresh_from_db()
    assert application.title == "Ours"


def test_a_reader_cannot_open_an_application_by_its_address(client, application, reader_user):
    client.force_login(reader_user)

    assert client.get(overview(application)).status_code == 403
    assert client.get(section(application)).status_code == 403


def test_someone_without_a_consortium_cannot_start_or_file(client, application):
    client.force_login(UserFactory(role="Applicants"))
    Round.objects.filter(pk=application.round.pk).update(loi_deadline=application.round.closes_at)

    assert client.get(reverse("applications:application-start")).status_code == 403
    assert client.get(reverse("applications:letter-of-intent", args=[application.round.pk])).status_code == 403
