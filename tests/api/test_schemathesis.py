"""Schemathesis against the generated schema, in this process (the site's WSGI application, the test database): for
each role with its own token, a few generated requests to every operation; any 5xx or a response that breaks the
schema fails the test. Bounded (EXAMPLES a operation) so that it runs in well under two minutes."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db
EXAMPLES = 4


@pytest.fixture
def _connection_kept():
    """The WSGI application closes the database connection at the start and end of each request when it is not in
    autocommit (close_old_connections); inside the test's transaction on PostgreSQL that is always, and the next
    query finds the connection closed. Django's test client leaves the signals out for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ["anonymous", "applicant", "reader", "staff", "administrator"])
def test_no_generated_request_gets_a_server_error_or_breaks_the_schema(people, role, _connection_kept):
    people.a.report()
    headers = {}
    if role != "anonymous":
        person = {"applicant": people.a.lead}.get(role) or getattr(people, role)
        headers = {"Authorization": bearer(person)}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

        try:
            run()
        except Exception as error:  # noqa: BLE001 - collected, to name every failing operation at once
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:600]}")
    assert not failures, "\n\n".join(failures)
