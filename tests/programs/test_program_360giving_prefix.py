"""A program's 360Giving prefix: a new program starts with the site's (CCPT_360G_PREFIX), administrators change it
in the program form, and it must follow 360Giving's rules ("360G-" and the publisher's registered code)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from grants.programs.models import Program

from ..factories import ProgramFactory
from .test_program_pages import _data, _saved_rows

pytestmark = pytest.mark.django_db


def _edit(client, program, prefix):
    url = reverse("programs:program-edit", args=[program.pk])
    return client.post(url, _data(rows=_saved_rows(program), threesixtygiving_prefix=prefix))


def test_a_new_program_starts_with_the_sites_prefix(admin_client, settings):
    settings.CCPT_360G_PREFIX = "360G-CAEDU-"  # as it was once written, with the joining hyphen

    form = admin_client.get(reverse("programs:program-create")).context["form"]

    assert form["threesixtygiving_prefix"].value() == "360G-CAEDU"
    assert ProgramFactory(name="Another program").threesixtygiving_prefix == "360G-CAEDU"


@pytest.mark.parametrize(
    "typed, stored",
    [("360G-CDE-CTEIG", "360G-CDE-CTEIG"), (" 360g-CDE_CTEIG- ", "360G-CDE_CTEIG")],
)
def test_an_administrator_sets_the_prefix_in_the_program_form(client, admin_user, typed, stored):
    program = ProgramFactory()
    client.force_login(admin_user)

    response = _edit(client, program, typed)

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.threesixtygiving_prefix == stored
    page = client.get(reverse("programs:program", args=[program.pk])).content.decode()
    assert f"<code>{stored}</code>" in page


@pytest.mark.parametrize(
    "typed, message",
    [
        ("CDE-CCPT", "A 360Giving prefix is “360G-” followed by the code 360Giving registered for the publisher"),
        ("360G-", "A 360Giving prefix is “360G-” followed by the code 360Giving registered for the publisher"),
        ("", "This field is required."),
        ("360G-CDE CCPT", "After “360G-” use only letters, digits, and hyphens or underscores between them"),
        ("360G-CDE/CCPT", "no spaces, slashes or other characters (360Giving's identifier guidance)"),
        ("360G-CDE--CCPT", "After “360G-” use only letters, digits, and hyphens or underscores between them"),
    ],
)
def test_a_prefix_that_breaks_360givings_rules_is_refused_next_to_the_field(client, admin_user, typed, message):
    program = ProgramFactory()
    client.force_login(admin_user)

    response = _edit(client, program, typed)

    assert response.status_code == 200
    (error,) = response.context["form"].errors["threesixtygiving_prefix"]
    assert message in error
    assert 'id="error_1_id_threesixtygiving_prefix"' in response.content.decode()
    assert escape(error) in response.content.decode()
    assert Program.objects.get(pk=program.pk).threesixtygiving_prefix == "360G-CDE-CCPT"


def test_program_staff_cannot_change_the_prefix(client, staff_user):
    program = ProgramFactory()
    client.force_login(staff_user)

    response = _edit(client, program, "360G-ELSEWHERE")

    assert response.status_code == 403
    assert Program.objects.get(pk=program.pk).threesixtygiving_prefix == "360G-CDE-CCPT"


def test_existing_programs_keep_the_prefix_the_site_published_under(settings):
    program = ProgramFactory()
    Program.objects.filter(pk=program.pk).update(threesixtygiving_prefix="")  # as just after the column was added
    settings.CCPT_360G_PREFIX = "360G-CDE-CCPT-"
    migration = importlib.import_module("grants.programs.migrations.0002_program_360giving_prefix")

    migration.prefix_as_published(apps, None)

    assert Program.objects.get(pk=program.pk).threesixtygiving_prefix == "360G-CDE-CCPT"
