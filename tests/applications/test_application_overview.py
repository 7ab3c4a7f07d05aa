from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.dates import PACIFIC
from consortia.models import Contact
from grants.applications.models import Application, BudgetItem, NarrativeResponse, PartnerCommitment, ProgramOfStudy
from grants.programs.models import Round
from tests.factories import ApplicationFactory, CriterionFactory, OpenRoundFactory, contact_of

pytestmark = pytest.mark.django_db


def complete_application() -> Application:
    round_ = OpenRoundFactory(grant_start_year=2026, grant_years=2)
    criterion = CriterionFactory(round=round_)
    application = ApplicationFactory(
        round=round_,
        title="Pathways to Health",
        summary="Summary",
        target_group="Students in grades 9-14",
        students_served=400,
        need_statement="Need",
        labor_market="Market",
        budget_narratives={"2026-27": "Staff", "2027-28": "Staff and supplies"},
        requested_amount=Decimal("500000.00"),
    )
    ProgramOfStudy.objects.create(
        application=application,
        name="Allied Health",
        sector="health",
        k12_sequence="Biology",
        postsecondary_sequence="EMT",
        work_based_learning="Internships",
    )
    PartnerCommitment.objects.create(
        application=application,
        organization=application.consortium.lead_agency,
        role="k12",
        responsibilities="Fiscal agent",
    )
    BudgetItem.objects.create(application=application, fiscal_year="2026-27", object_code="1000", amount=500000)
    NarrativeResponse.objects.create(application=application, criterion=criterion, text="Our answer")
    return application


def overview(client, application):
    return client.get(reverse("applications:application", args=[application.pk]))


def test_the_overview_lists_every_section_with_what_is_missing(client):
    application = ApplicationFactory(round=OpenRoundFactory())
    client.force_login(contact_of(application.consortium))

    response = overview(client, application)

    sections = response.context["sections"]
    assert [s.section for s in sections] == list(Application.Section.values)
    summary = sections[0]
    assert summary.status == "Incomplete"
    assert "Give the project a title." in summary.problems
    assert summary.url == reverse("applications:application-section", args=[application.pk, "summary"])
    page = response.content.decode()
    assert "Give the project a title." in page
    assert "Incomplete" in page


def test_the_checklist_has_completeness_and_the_eligibility_checks_in_words(client):
    application = ApplicationFactory(round=OpenRoundFactory())
    client.force_login(contact_of(application.consortium))

    response = overview(client, application)

    checks = {c.key: c for c in response.context["checks"]}
    assert {"complete", "lead_agency", "composition", "category_maximum", "attachments"} <= set(checks)
    assert not checks["complete"].passed
    page = response.content.decode()
    assert "Every section is complete: not yet." in page
    assert "Lead agency is eligible: passed." in page
    assert response.context["can_edit"] is True
    assert response.context["can_submit"] is False


def test_a_complete_eligible_draft_can_be_submitted_by_a_lead_contact(client):
    application = complete_application()
    client.force_login(contact_of(application.consortium))

    response = overview(client, application)

    assert all(check.passed for check in response.context["checks"]), response.context["checks"]
    assert all(s.complete for s in response.context["sections"])
    assert response.context["can_submit"] is True


def test_a_partner_contact_cannot_submit_even_a_complete_draft(client):
    application = complete_application()
    client.force_login(contact_of(application.consortium, role=Contact.Role.PARTNER))

    response = overview(client, application)

    assert response.context["can_edit"] is True
    assert response.context["can_submit"] is False


def test_nothing_can_be_submitted_once_the_round_has_closed(client):
    application = complete_application()
    Round.objects.filter(pk=application.round.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    client.force_login(contact_of(application.consortium))

    assert overview(client, application).context["can_submit"] is False


def test_the_closing_time_is_shown_in_pacific_time_with_the_time_left(client):
    closes = (timezone.now() + timedelta(days=3)).astimezone(PACIFIC).replace(hour=17, minute=0, second=0)
    application = ApplicationFactory(round=OpenRoundFactory(closes_at=closes))
    client.force_login(contact_of(application.consortium))

    page = overview(client, application).content.decode()

    assert f"{closes:%B} {closes.day}, {closes.year}, 5:00 PM {closes:%Z}" in page
    assert "left)" in page


def test_a_submitted_application_is_shown_read_only(client):
    application = complete_application()
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.SUBMITTED, submitted_at=datetime(2026, 3, 1, 10, tzinfo=PACIFIC)
    )
    client.force_login(contact_of(application.consortium))

    response = overview(client, application)

    assert response.context["can_edit"] is False
    assert response.context["can_submit"] is False
    page = response.content.decode()
    assert "Read-only:" in page
    assert "submitted March 1, 2026, 10:00 AM PST" in page
    assert ">View<" in page


def test_the_overview_includes_the_actions_and_the_attachments_summary(client):
    application = ApplicationFactory(round=OpenRoundFactory())
    client.force_login(contact_of(application.consortium))

    names = [t.name for t in overview(client, application).templates]

    assert "applications/_actions.html" in names
    assert "applications/_attachments_summary.html" in names
