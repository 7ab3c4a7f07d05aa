"""A page of awards with their ledgers, and a page of indicator values, take as many queries at any page size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.payments.models import Payment, Recovery
from tests.api.conftest import api, fill
from tests.factories.reporting import reporting_grantee

pytestmark = pytest.mark.django_db


def queries(client, path, **params) -> int:
    client.get(path, params)  # the token's last use is written once a minute: not on the counted request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_the_awards_list_with_ledgers_takes_the_same_queries_at_any_page_size(people, django_user_model):
    for grantee in [people.a, people.b, *(reporting_grantee(round=people.a.award.round) for _ in range(3))]:
        Payment.objects.create(award=grantee.award, fiscal_year="2026-27", amount="1000.00")
        Recovery.objects.create(
            award=grantee.award, amount="10.00", reason="Unspent.", received_on="2027-07-01", by=people.staff
        )
    client = api(people.staff)

    assert queries(client, "/api/v1/awards/", page_size=2) == queries(client, "/api/v1/awards/", page_size=5)


def test_the_indicator_values_list_takes_the_same_queries_at_any_page_size(people):
    fill(people.a.report(), people.a.lead)
    client = api(people.staff)

    assert queries(client, "/api/v1/indicator-values/", page_size=2) == queries(
        client, "/api/v1/indicator-values/", page_size=20
    )
