"""Prebuilt reads (ccpt/lib/queries.py): the SQL the ORM built once, run with other values, gives what the queryset
gives, in one query each time; person_name names people in them as their pages do."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from ccpt.lib.queries import Prebuilt
from consortia.models import Membership
from grants import workflow
from grants.applications.models import CommittedResource, PartnerCommitment, ProgramOfStudy
from grants.applications.services.eligibility import all_checks, parts_of, read_parts
from grants.models import StatusChange
from tests.factories import (
    ApplicationFactory,
    PartnerCommitmentFactory,
    ProgramOfStudyFactory,
    UserFactory,
    submittable_application,
)

pytestmark = pytest.mark.django_db


def test_rows_are_the_querysets_rows_for_each_value_with_annotations():
    built = []
    partners = Prebuilt(
        lambda pk: (
            built.append(pk)
            or PartnerCommitment.objects.filter(application_id=pk).annotate(organization_name=F("organization__name"))
        )
    )
    first, second, empty = ApplicationFactory(), ApplicationFactory(), ApplicationFactory()
    for application in (first, first, second):
        PartnerCommitmentFactory(application=application)

    for application in (first, second, empty):
        with CaptureQueriesContext(connection) as queries:
            rows = partners.rows(application.pk)
        expected = list(PartnerCommitment.objects.filter(application=application))
        assert [r.pk for r in rows] == [p.pk for p in expected]
        assert [r.organization_name for r in rows] == [p.organization.name for p in expected]
        assert len(queries) == 1
    assert len(built) == 1  # built once, run three times


def test_a_value_that_is_not_a_parameter_is_refused_when_first_run():
    constant = Prebuilt(lambda pk: ProgramOfStudy.objects.filter(application_id=1))

    with pytest.raises(ImproperlyConfigured, match="ProgramOfStudy: the value is not a parameter"):
        constant.rows(5)


def test_the_application_pages_parts_are_those_of_its_relations():
    application = ApplicationFactory()
    ProgramOfStudyFactory(application=application, name="Health", position=2)
    ProgramOfStudyFactory(application=application, name="Engineering", position=1)
    PartnerCommitmentFactory(application=application)
    ProgramOfStudyFactory(application=ApplicationFactory())  # another application's

    read = read_parts(application)
    through_relations = parts_of(type(application).objects.get(pk=application.pk))

    assert [p.name for p in read.programs] == ["Engineering", "Health"]
    for name in ("programs", "partners", "narratives", "attachments"):
        assert [r.pk for r in getattr(read, name)] == [r.pk for r in getattr(through_relations, name)]
    assert [p.organization_name for p in read.partners] == [p.organization_name for p in through_relations.partners]


def test_person_name_names_people_as_their_pages_do():
    application = ApplicationFactory()
    people = [
        UserFactory(first_name="Ana", last_name="Reyes", email="ana@example.org"),
        UserFactory(first_name="Ana", last_name="", email="ana2@example.org"),
        UserFactory(first_name="", last_name="", email="nobody@example.org"),
        None,
    ]
    for person in people:
        StatusChange.objects.create(subject=application, from_status="draft", to_status="submitted", by=person)

    named = [line.by for line in workflow.history_lines(application)]

    assert named[-4:] == ["Ana Reyes", "Ana", "nobody@example.org", ""]
    assert named[-4:-1] == [str(person) for person in people[:3]]


def test_the_application_pages_committed_total_and_member_kinds_are_those_the_checks_read_otherwise():
    application = submittable_application()  # partners with resources, members of several kinds
    second = PartnerCommitmentFactory(application=application)
    for year, amount in (("2026-27", "1250.50"), ("2027-28", "99.25")):
        CommittedResource.objects.create(commitment=second, fiscal_year=year, kind="cash", amount=Decimal(amount))
    PartnerCommitmentFactory(application=application)  # committed nothing yet

    read = read_parts(application)

    assert read.committed == application.committed_total() > Decimal("1349.75")
    assert all(type(p.committed) is Decimal for p in read.partners)  # money, never a float (SQLite sums give floats)
    assert sorted(read.member_kinds) == sorted(
        Membership.objects.filter(consortium=application.consortium).values_list("organization__kind", flat=True)
    )
    fresh = type(application).objects.get(pk=application.pk)
    assert [c.passed for c in all_checks(application)] == [c.passed for c in all_checks(fresh)]
