"""The page shown when the site fails says honestly that what was just sent may not have been saved, and gives a
reference that is also in the log."""

import re

import pytest
from django.db import OperationalError

from grants.applications.services import drafts
from tests.factories import ApplicationFactory, OpenRoundFactory, contact_of
from tests.helpers import post_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return ApplicationFactory(round=OpenRoundFactory())


@pytest.fixture
def editor(client, application):
    client.force_login(contact_of(application.consortium))


@pytest.fixture
def failing_save(monkeypatch):
    def save_section(**kwargs):
        raise OperationalError("the database server closed the connection unexpectedly")

    monkeypatch.setattr(drafts, "save_section", save_section)


def test_a_failed_save_does_not_claim_that_nothing_was_lost(client, application, editor, failing_save):
    client.raise_request_exception = False

    response = post_section(client, application, "summary", {"title": "Bridges to Health"})

    assert response.status_code == 500
    page = response.content.decode()
    assert "Nothing you entered was lost" not in page
    assert "What you just sent may not have been saved." in page
    assert "Go back to the page" in page and "check what is there" in page
    assert "The error was logged with the reference" in page


def test_the_reference_on_the_page_is_in_the_log_beside_the_request(client, application, editor, failing_save, caplog):
    client.raise_request_exception = False

    page = post_section(client, application, "summary", {"title": "Bridges to Health"}).content.decode()

    reference = re.search(r"the reference <strong>(\d{8}-\d{6}-[0-9a-f]{6})</strong>", page).group(1)
    [line] = [r.getMessage() for r in caplog.records if reference in r.getMessage()]
    assert line == f"Server error, reference {reference}: POST /applications/{application.pk}/sections/summary/"
