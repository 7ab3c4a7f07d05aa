"""Each application's search document follows its text: the application's sections, its narratives, programs
and partners, its consortium's name and members, their organizations' names; rebuilt once the change commits."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from grants.search.models import SearchDocument
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PartnerCommitmentFactory,
    ProgramOfStudyFactory,
)

from .helpers import application, found, indexed

pytestmark = pytest.mark.django_db


def _document(app) -> SearchDocument:
    return SearchDocument.objects.get(application=app)


def test_a_change_to_an_application_is_indexed_once_it_commits(django_capture_on_commit_callbacks, staff_user):
    with django_capture_on_commit_callbacks(execute=True):
        app = application(title="Culinary arts")
    assert found(staff_user, "culinary") == [app.number]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        app.title = "Aviation maintenance"
        app.save()

    assert callbacks, "the rebuild waits for the commit"
    assert found(staff_user, "culinary") == []
    assert found(staff_user, "aviation") == [app.number]


def test_nothing_is_rebuilt_before_the_commit(staff_user):
    app = application(title="Culinary arts")
    indexed()
    app.title = "Aviation maintenance"
    app.save()

    assert found(staff_user, "aviation") == []  # the test's transaction has not committed
    indexed()
    assert found(staff_user, "aviation") == [app.number]


def test_a_status_change_alone_does_not_rebuild_the_document():
    app = application(title="Culinary arts")
    indexed()
    before = _document(app).indexed_at

    app.status = "withdrawn"
    app.save(update_fields=["status"])
    indexed()

    assert _document(app).indexed_at == before


def test_narratives_programs_and_partners_are_indexed(staff_user):
    app = application(title="One", narrative="Mechatronics labs in every high school.")
    ProgramOfStudyFactory(application=app, name="Diesel technology pathway")
    PartnerCommitmentFactory(application=app, organization=OrganizationFactory(name="Sierra Freight Lines"))
    indexed()

    body = _document(app).body
    assert "Mechatronics" in body and "Diesel technology pathway" in body and "Sierra Freight Lines" in body
    assert found(staff_user, "mechatronics diesel freight") == [app.number]


def test_renaming_the_consortium_or_an_organization_rebuilds_its_applications(staff_user):
    app = application(title="One")
    member = OrganizationFactory(name="Kern High")
    MembershipFactory(consortium=app.consortium, organization=member)
    indexed()
    assert found(staff_user, "Kern") == [app.number]

    app.consortium.name = "Golden Valley Pathways Consortium"
    app.consortium.save()
    member.name = "Bakersfield Unified"
    member.save()
    indexed()

    assert found(staff_user, "golden valley") == [app.number]
    assert found(staff_user, "Bakersfield") == [app.number]
    assert found(staff_user, "Kern") == []


def test_a_member_leaving_is_no_longer_found(staff_user):
    app = application(title="One")
    membership = MembershipFactory(consortium=app.consortium, organization=OrganizationFactory(name="Delano Joint"))
    indexed()
    assert found(staff_user, "Delano") == [app.number]

    membership.delete()
    indexed()

    assert found(staff_user, "Delano") == []


def test_the_command_rebuilds_every_document(staff_user):
    app = application(title="Culinary arts")
    SearchDocument.objects.all().delete()
    assert found(staff_user, "culinary") == []

    call_command("rebuild_search_index", stdout=io.StringIO())

    assert found(staff_user, "culinary") == [app.number]


@pytest.mark.postgres
def test_the_vector_weighs_the_title_a_the_summary_b_and_the_rest_c():
    app = application(title="Welding", summary="Robotics", narrative="Aviation")
    indexed()

    with connection.cursor() as cursor:
        cursor.execute("SELECT vector::text FROM search_searchdocument WHERE application_id = %s", [app.pk])
        vector = cursor.fetchone()[0]

    weights = {lexeme.strip("'"): positions[-1] for lexeme, positions in (e.split(":") for e in vector.split())}
    assert (weights["weld"], weights["robot"], weights["aviat"]) == ("A", "B", "C")
