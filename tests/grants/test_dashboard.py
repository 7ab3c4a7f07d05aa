import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants import demo
from grants.applications.models import Application
from tests.factories import ApplicationFactory


@pytest.fixture
def loaded(db):
    return demo.load()


def login(client, email):
    assert client.login(email=email, password=demo.DEMO_PASSWORD)


def test_staff_see_every_round_in_progress_with_links_to_its_work(client, loaded):
    login(client, "staff@example.org")
    page = client.get("/").content.decode()
    assert "Rounds in progress" in page
    assert loaded["rounds"]["r2"].name in page
    assert f"/rounds/{loaded['rounds']['r2'].pk}/submissions/" in page


def test_the_administrator_is_offered_configuration(client, loaded):
    login(client, "admin@example.org")
    page = client.get("/").content.decode()
    assert "Configuration and approvals" in page
    assert "Programs, appropriations and rounds" in page


def test_the_applicant_sees_their_consortium_draft_and_the_open_round(client, loaded):
    crane = loaded["consortia"][0]
    r2 = loaded["rounds"]["r2"]
    ApplicationFactory(round=r2, consortium=crane, category=r2.categories.first(), title="Health pathways")
    login(client, "applicant@example.org")
    page = client.get("/").content.decode()
    assert crane.name in page
    assert "Health pathways" in page and "Draft" in page
    assert "Open now" in page and r2.name in page


def test_the_reader_without_assignments_is_told_what_happens_next(client, loaded):
    login(client, "reader@example.org")
    page = client.get("/").content.decode()
    assert "No applications are assigned to you yet" in page


def test_the_staff_dashboard_runs_the_same_number_of_queries_however_many_applications(client, loaded):
    login(client, "staff@example.org")
    r2 = loaded["rounds"]["r2"]
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for consortium in loaded["consortia"][1:]:
        ApplicationFactory(round=r2, consortium=consortium, category=r2.categories.first(), status="submitted")
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert Application.objects.count() >= 11
    assert len(many) == len(few)
