"""The API's people: two grantees (consortia A and B, each with an accepted award and its reports), a reader, program
staff and an administrator, each with a token; `api(person)` is a client that sends that person's token."""

from dataclasses import dataclass

import pytest
from django.test import Client

from ccpt.api.tokens import make_token
from grants.reporting.services import data_managers, reports
from grants.reporting.services.values import Entry, enter_values
from tests.factories import UserFactory
from tests.factories.reporting import Grantee, reporting_grantee

EVERY_SCOPE = ("read", "report-write")


def bearer(user, scopes=EVERY_SCOPE, **token_fields) -> str:
    """The Authorization header of a new token of the person's."""
    _, secret = make_token(user=user, name="Test token", scopes=list(scopes), **token_fields)
    return f"Bearer {secret}"


def api(user, scopes=EVERY_SCOPE, **token_fields) -> Client:
    return Client(headers={"Authorization": bearer(user, scopes, **token_fields)})


@dataclass
class People:
    a: Grantee
    b: Grantee
    reader: object
    staff: object
    administrator: object


@pytest.fixture
def people(db) -> People:
    a = reporting_grantee()
    b = reporting_grantee(round=a.award.round)
    return People(
        a=a,
        b=b,
        reader=UserFactory(role="Readers"),
        staff=UserFactory(role="Program staff"),
        administrator=UserFactory(role="Administrators"),
    )


def fill(report, by) -> None:
    """Every member's value of each indicator it reports, and the progress answer: ready to submit."""
    members = data_managers.member_organizations(report.award.consortium)
    entries = [
        Entry(
            str(member.pk),
            version.indicator.code,
            value="" if version.unit == "rate" else "10",
            numerator="3" if version.unit == "rate" else "",
            denominator="4" if version.unit == "rate" else "",
        )
        for member in members
        for version in reports.report_versions(report)
        if reports.reports_it(version, member)
    ]
    outcome = enter_values(
        report=report,
        entries=entries,
        by=by,
        allowed={m.pk for m in members},
        narrative={"progress": "Two pathways opened."},
    )
    assert not outcome.problems
