"""On PostgreSQL, a statement a connection runs again and again is prepared once (settings.py): the pages' session,
person and object reads are not planned anew on every request. DATABASE_PREPARE_THRESHOLD= turns it off."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import ApplicationFactory, ContactFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {statement for (statement,) in cursor.fetchall()}


def test_a_page_visited_again_and_again_uses_prepared_statements(client):
    application = ApplicationFactory()
    lead = ContactFactory(consortium=application.consortium, role="lead").user
    client.force_login(lead)
    page = reverse("applications:application", args=[application.pk])

    for _ in range(6):
        assert client.get(page).status_code == 200

    prepared = _prepared()
    assert any('FROM "django_session"' in statement for statement in prepared)
    assert any('FROM "applications_application"' in statement for statement in prepared)


def test_the_parameters_are_sent_apart_from_the_sql():
    """Server-side binding: the same query with another value is the same statement, so it can be prepared."""
    ApplicationFactory.create_batch(2)
    from grants.applications.models import Application

    for application in Application.objects.all():
        for _ in range(5):
            Application.objects.filter(pk=application.pk).values_list("number", flat=True).get()

    reads = [s for s in _prepared() if 'SELECT "applications_application"."number"' in s]
    assert len(reads) == 1 and "$1" in reads[0]
