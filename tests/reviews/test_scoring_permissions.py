"""Who may open the score pages and act on them: staff and administrators only; 404 for unknown objects."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.reviews.services.scoring import score_round
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    ContactFactory,
    CriterionFactory,
    RoundFactory,
    UserFactory,
    scored_review,
)

pytestmark = pytest.mark.django_db

ROUND_PAGES = [
    ("get", "scores"),
    ("get", "scores-ranking"),
    ("get", "scores-csv"),
    ("post", "scores-recompute"),
    ("get", "results-publish"),
    ("post", "results-publish"),
]
APPLICATION_PAGES = [
    ("get", "reconcile"),
    ("post", "reconcile-revisit"),
    ("post", "reconcile-reader"),
    ("post", "reconcile-consensus"),
    ("post", "reconcile-clear"),
    ("post", "priority-claims"),
]

# Who signs in, and whether they may use the page.
STAFF_ONLY = pytest.mark.parametrize(
    ("who", "allowed"), [("staff", True), ("administrator", True), ("reader", False), ("applicant", False)]
)


@pytest.fixture
def setting():
    round_ = RoundFactory()
    CriterionFactory(round=round_, max_points=Decimal("10"))
    application = ApplicationFactory(round=round_, status="submitted")
    contact = ContactFactory(consortium=application.consortium).user
    reader = UserFactory(role="Readers")
    scored_review(application, reader, [7])
    score_round(round_id=round_.pk)
    return {
        "round": round_,
        "application": application,
        "people": {
            "staff": UserFactory(role="Program staff"),
            "administrator": UserFactory(role="Administrators"),
            "reader": reader,
            "applicant": contact,
        },
    }


def request(client, setting, who, method, name, target):
    if who != "anonymous":
        client.login(email=setting["people"][who].email, password=PASSWORD)
    url = reverse(f"reviews:{name}", args=[setting[target].pk])
    return getattr(client, method)(url)


@pytest.mark.parametrize(("method", "name"), ROUND_PAGES)
@STAFF_ONLY
def test_round_score_pages_are_for_staff_only(client, setting, who, allowed, method, name):
    response = request(client, setting, who, method, name, "round")

    assert response.status_code in ((200, 302) if allowed else (403,))


@pytest.mark.parametrize(("method", "name"), APPLICATION_PAGES)
@STAFF_ONLY
def test_reconciliation_is_for_staff_only(client, setting, who, allowed, method, name):
    response = request(client, setting, who, method, name, "application")

    assert response.status_code in ((200, 302) if allowed else (403,))


@pytest.mark.parametrize(("method", "name"), ROUND_PAGES + APPLICATION_PAGES + [("get", "results")])
def test_anonymous_visitors_are_sent_to_sign_in(client, setting, method, name):
    target = "round" if (method, name) in ROUND_PAGES else "application"

    response = request(client, setting, "anonymous", method, name, target)

    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.parametrize(("method", "name"), ROUND_PAGES + APPLICATION_PAGES + [("get", "results")])
def test_unknown_objects_are_404_even_for_staff(client, setting, method, name):
    client.login(email=setting["people"]["staff"].email, password=PASSWORD)

    assert getattr(client, method)(reverse(f"reviews:{name}", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("staff", 200), ("administrator", 200), ("reader", 403), ("applicant", 403)]
)
def test_results_before_publication_are_for_staff_only(client, setting, who, status):
    assert request(client, setting, who, "get", "results", "application").status_code == status
