"""An appeal filed and decided through the browser: CRANE's lead contact appeals a published result from its results
page, program staff uphold it with a remedy, and the lead reads the outcome; every page is axe-clean."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from grants.appeals.models import Appeal, AppealSettings
from grants.programs.models import Round

from ..factories import SubmissionFactory

CRANE = "Capital Region Academies for the Next Economy (CRANE)"


@pytest.mark.django_db(transaction=True)
def test_crane_appeals_a_published_result_and_staff_uphold_it(page, live_server, demo, login, assert_accessible):
    crane = next(c for c in demo["consortia"] if c.name == CRANE)
    round_ = demo["rounds"]["r2"]
    application = SubmissionFactory(application__consortium=crane, application__round=round_).application
    Round.objects.filter(pk=round_.pk).update(
        status=Round.Status.IN_REVIEW, results_published_at=timezone.now() - timedelta(days=2)
    )
    AppealSettings.objects.create(round=round_, window_days=10)

    login(page, live_server, "applicant@example.org", demo["password"])
    page.goto(f"{live_server.url}/applications/{application.pk}/results/")
    assert_accessible(page)
    page.get_by_role("link", name="File an appeal").click()
    assert_accessible(page)
    page.get_by_label("Scoring error against the published rubric").check()
    page.get_by_label("Your statement").fill("Reader 2 scored criterion 3 against the 2014 rubric.")
    page.get_by_role("button", name="File the appeal").click()
    expect(page.get_by_text("Appeal filed.")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    login(page, live_server, "staff@example.org", demo["password"])
    page.goto(f"{live_server.url}/rounds/{round_.pk}/")
    page.get_by_role("link", name="Appeals", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=application.number).click()
    page.get_by_label("Uphold the appeal").check()
    page.get_by_label("Eligible for funding: the funding plan may add it from the money left").check()
    page.get_by_label("Reasons").fill("Criterion 3 was scored against the wrong rubric.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(re.compile("Appeal upheld"))).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    assert Appeal.objects.get().remedy == Appeal.Remedy.FUNDING
    assert [m.subject for m in mail.outbox if "appeal" in m.subject] == [
        f"CCPT Grants: your appeal on {application.number} was upheld"
    ]
    login(page, live_server, "applicant@example.org", demo["password"])
    page.goto(f"{live_server.url}/applications/{application.pk}/results/")
    page.get_by_role("link", name=f"See the appeal on {application.number}").click()
    expect(page.get_by_role("heading", name="Decision")).to_be_visible()
    expect(page.get_by_role("paragraph").filter(has_text="Criterion 3 was scored against the wrong")).to_be_visible()
    assert_accessible(page)
