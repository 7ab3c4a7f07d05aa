"""Who may open each programs and rounds page: sign-in first, 403 for what is not yours, 404 for what does not exist."""

import pytest
from django.urls import reverse

from grants.programs.models import Round

from ..factories import ProgramFactory, configured_round

pytestmark = pytest.mark.django_db

CONFIGURE = [
    ("programs:program-create", None),
    ("programs:program-edit", "program"),
    ("programs:round-create", "program"),
    ("programs:round-edit", "round"),
    ("programs:round-categories", "round"),
    ("programs:round-rubric", "round"),
    ("programs:round-priorities", "round"),
    ("programs:round-required-attachments", "round"),
    ("programs:round-copy", "round"),
]
READ = [
    ("programs:programs", None),
    ("programs:program", "program"),
    ("programs:rounds", None),
    ("programs:round", "round"),
]


@pytest.fixture
def objects():
    round_ = configured_round(status=Round.Status.OPEN)
    return {"round": round_.pk, "program": round_.program.pk, None: None}


def _url(name, kind, objects, pk=None):
    if kind is None:
        return reverse(name)
    return reverse(name, args=[pk or objects[kind]])


@pytest.mark.parametrize(("name", "kind"), CONFIGURE + READ)
def test_anonymous_people_are_sent_to_sign_in(client, objects, name, kind):
    response = client.get(_url(name, kind, objects))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", ["applicant_user", "reader_user", "staff_user"])
@pytest.mark.parametrize(("name", "kind"), CONFIGURE)
def test_only_administrators_configure_programs_and_rounds(client, request, objects, role, name, kind):
    client.force_login(request.getfixturevalue(role))
    assert client.get(_url(name, kind, objects)).status_code == 403
    assert client.post(_url(name, kind, objects), {"name": "Hijacked"}).status_code == 403


@pytest.mark.parametrize(("name", "kind"), CONFIGURE)
def test_administrators_configure_programs_and_rounds(client, admin_user, objects, name, kind):
    client.force_login(admin_user)
    assert client.get(_url(name, kind, objects)).status_code == 200


@pytest.mark.parametrize("role", ["applicant_user", "reader_user", "staff_user", "admin_user"])
@pytest.mark.parametrize(("name", "kind"), READ)
def test_everyone_signed_in_reads_programs_and_published_rounds(client, request, objects, role, name, kind):
    client.force_login(request.getfixturevalue(role))
    assert client.get(_url(name, kind, objects)).status_code == 200


@pytest.mark.parametrize("role", ["applicant_user", "staff_user", "admin_user"])
@pytest.mark.parametrize(("name", "kind"), [(n, k) for n, k in CONFIGURE + READ if k is not None])
def test_an_unknown_program_or_round_is_not_found(client, request, objects, role, name, kind):
    client.force_login(request.getfixturevalue(role))
    assert client.get(_url(name, kind, objects, pk=987654)).status_code == 404


@pytest.mark.parametrize("role", ["applicant_user", "reader_user"])
def test_draft_rounds_are_hidden_from_applicants_and_readers(client, request, role):
    draft = configured_round(name="Secret draft round")
    client.force_login(request.getfixturevalue(role))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Secret draft round" not in client.get(reverse("programs:rounds")).content.decode()
    assert "Secret draft round" not in client.get(reverse("programs:program", args=[draft.program.pk])).content.decode()


@pytest.mark.parametrize("role", ["staff_user", "admin_user"])
def test_staff_and_administrators_see_draft_rounds(client, request, role):
    draft = configured_round(name="Draft round")
    client.force_login(request.getfixturevalue(role))
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert "Draft round" in client.get(reverse("programs:rounds")).content.decode()


def test_configuration_links_appear_only_for_administrators(client, staff_user, admin_user):
    draft = configured_round()
    ProgramFactory()
    client.force_login(staff_user)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Edit settings" not in html and "Copy this round" not in html
    client.force_login(admin_user)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Edit settings" in html and "Copy this round" in html and "Edit the rubric" in html
