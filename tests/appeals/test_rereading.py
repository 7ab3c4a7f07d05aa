"""An appeal upheld with a new reading re-opens review of that one application after publication: staff assign new
readers (never its original ones), they score it, and closing the re-reading records its score and place without
changing the other applications' published scores; a fundable re-read score makes it eligible for the plan."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants.appeals import rereading, services
from grants.appeals.models import Appeal, AppealSettings
from grants.programs.models import Round
from grants.reviews.models import ApplicationScore, Assignment, Review
from grants.reviews.services import assignment as assigning
from grants.reviews.services import board
from grants.reviews.services import reviews as reviewing
from tests.factories import (
    ApplicationScoreFactory,
    SubmittedApplicationFactory,
    UserFactory,
    contact_of,
    one_criterion_round,
    scored_review,
)

pytestmark = pytest.mark.django_db
R = Appeal.Remedy


@pytest.fixture
def round_():
    return one_criterion_round(status=Round.Status.IN_REVIEW, minimum_fundable_score=Decimal("70"))


@pytest.fixture
def original(db):
    return UserFactory(role="Readers", first_name="Olive", last_name="Original")


@pytest.fixture
def appealed(round_, original):
    application = SubmittedApplicationFactory(round=round_, number="R-0003")
    scored_review(application, original, [60])
    ApplicationScoreFactory(application=application, final=Decimal("60"), rank=3, fundable=False)
    return application


@pytest.fixture
def others(round_, appealed):
    """Two other published applications: 90 (rank 1) and 65 (rank 2)."""
    made = []
    for rank, final in ((1, "90"), (2, "65")):
        app = SubmittedApplicationFactory(round=round_, category=appealed.category)
        ApplicationScoreFactory(application=app, final=Decimal(final), rank=rank, fundable=Decimal(final) >= 70)
        made.append(app)
    return made


@pytest.fixture
def staff(db):
    return UserFactory(role="Program staff")


@pytest.fixture
def published(round_, appealed, others):
    Round.objects.filter(pk=round_.pk).update(results_published_at=timezone.now() - timedelta(days=1))
    AppealSettings.objects.create(round=round_, window_days=10)
    round_.refresh_from_db()
    appealed.round.refresh_from_db()
    return round_


def file(application):
    lead = contact_of(application.consortium)
    return services.file_appeal(application=application, by=lead, grounds=["Procedural error"], statement="Misread.")


def uphold(application, staff, remedy=R.NEW_READING):
    return services.decide(appeal=file(application), by=staff, upheld=True, reasons="Re-read it.", remedy=remedy)


def read(application, staff, points):
    """A new reader assigned by staff, who attests and submits `points` through the reviews service."""
    reader = UserFactory(role="Readers")
    made = assigning.assign(application=Application_of(application), reader=reader, by=staff)
    made = reviewing.attest(assignment=made, by=reader)
    criterion = application.round.criteria.get()
    reviewing.save_review(
        assignment=made,
        by=reader,
        data={"scores": {criterion.pk: {"points": Decimal(points), "comment": "Looked again."}}},
        submit=True,
    )
    return reader


def Application_of(application):  # noqa: N802 - fresh from the database, as a page would load it
    return type(application).objects.select_related("round").get(pk=application.pk)


def test_a_published_application_takes_no_reader_until_an_appeal_is_upheld_with_a_new_reading(
    published, appealed, staff
):
    reader = UserFactory(role="Readers")
    with pytest.raises(Refusal, match="published"):
        assigning.assign(application=appealed, reader=reader, by=staff)
    uphold(appealed, staff, remedy=R.FUNDING)
    with pytest.raises(Refusal, match="upheld appeal re-opens it"):
        assigning.assign(application=Application_of(appealed), reader=reader, by=staff)


def test_a_denied_appeal_reopens_nothing(published, appealed, staff):
    appeal = file(appealed)
    services.decide(appeal=appeal, by=staff, upheld=False, reasons="Scored as published.")
    with pytest.raises(Refusal, match="published"):
        assigning.assign(application=Application_of(appealed), reader=UserFactory(role="Readers"), by=staff)


def test_an_upheld_new_reading_lets_new_readers_score_that_application(published, appealed, staff):
    uphold(appealed, staff)
    reader = read(appealed, staff, "80")
    review = Review.objects.get(assignment__reader=reader)
    assert review.status == Review.Status.SUBMITTED


def test_other_published_applications_still_refuse_readers_and_automatic_assignment(published, appealed, others, staff):
    uphold(appealed, staff)
    with pytest.raises(Refusal, match="published"):
        assigning.assign(application=Application_of(others[0]), reader=UserFactory(role="Readers"), by=staff)
    with pytest.raises(Refusal, match="no longer assigned automatically"):
        assigning.auto_assign(round_=published, by=staff)


def test_the_original_readers_are_excluded_from_the_new_reading(published, appealed, original, staff):
    uphold(appealed, staff)
    with pytest.raises(Refusal, match="read R-0003 before it was re-opened"):
        assigning.assign(application=Application_of(appealed), reader=original, by=staff)
    eligible, _ = board.eligible_readers(application=Application_of(appealed))
    assert original not in eligible


def test_the_original_reviews_stay_frozen(published, appealed, original, staff):
    uphold(appealed, staff)
    frozen = Assignment.objects.get(application=appealed, reader=original)
    with pytest.raises(Refusal, match="published"):
        reviewing.save_review(assignment=frozen, by=original, data={"overall_comment": "Changed."}, submit=False)


def test_closing_records_the_rescore_of_that_application_only(published, appealed, others, staff):
    appeal = uphold(appealed, staff)
    read(appealed, staff, "70")
    read(appealed, staff, "80")
    before = {s.application_id: (s.final, s.rank) for s in ApplicationScore.objects.all()}

    closed = rereading.close_rereading(appeal=appeal, by=staff)

    assert (closed.rereading_final, closed.rereading_readers, closed.rereading_fundable) == (Decimal("75.00"), 2, True)
    assert (closed.previous_final, closed.previous_rank) == (Decimal("60"), 3)
    assert (closed.rereading_rank, closed.rereading_ranked) == (2, 3)  # below 90, above 65
    assert {s.application_id: (s.final, s.rank) for s in ApplicationScore.objects.all()} == before
    assert Event.objects.filter(object_id=appeal.pk, summary__startswith="Re-reading closed: 75.00").exists()
    # Closed: the application is frozen again.
    with pytest.raises(Refusal, match="published"):
        assigning.assign(application=Application_of(appealed), reader=UserFactory(role="Readers"), by=staff)


def test_closing_needs_a_new_reading_and_happens_once(published, appealed, staff):
    appeal = uphold(appealed, staff)
    with pytest.raises(Refusal, match="No new reading"):
        rereading.close_rereading(appeal=appeal, by=staff)
    read(appealed, staff, "50")
    rereading.close_rereading(appeal=appeal, by=staff)
    with pytest.raises(Refusal, match="closed already"):
        rereading.close_rereading(appeal=Appeal.objects.get(pk=appeal.pk), by=staff)


def test_a_fundable_rereading_makes_the_application_eligible_for_the_plan(published, appealed, staff):
    appeal = uphold(appealed, staff)
    assert appealed.pk not in services.fundable_by_appeal(published)
    read(appealed, staff, "72")
    rereading.close_rereading(appeal=appeal, by=staff)
    assert appealed.pk in services.fundable_by_appeal(published)


def test_a_rereading_below_the_minimum_is_not_eligible(published, appealed, staff):
    appeal = uphold(appealed, staff)
    read(appealed, staff, "55")
    rereading.close_rereading(appeal=appeal, by=staff)
    assert appealed.pk not in services.fundable_by_appeal(published)


def test_the_applicant_is_emailed_the_outcome_once_and_reads_it_on_the_appeal_page(
    published, appealed, staff, client, django_capture_on_commit_callbacks
):
    appeal = uphold(appealed, staff)
    read(appealed, staff, "90")
    with django_capture_on_commit_callbacks(execute=True):
        rereading.close_rereading(appeal=appeal, by=staff)
    sent = [m for m in mail.outbox if "new reading" in m.subject]  # the decision's own email goes out too
    assert [m.subject for m in sent] == ["CCPT Grants: the new reading of R-0003 is complete"]
    assert "may add the application" in sent[0].body
    assert rereading.notify_rereading(appeal.pk) == 0
    client.force_login(appeal.filed_by)
    page = client.get(reverse("appeals:appeal", args=[appeal.pk])).content.decode()
    assert "The new reading" in page and "90.00" in page and "funding plan may add" in page


def test_staff_close_from_the_appeal_page_and_others_may_not(published, appealed, staff, client):
    appeal = uphold(appealed, staff)
    read(appealed, staff, "80")
    client.force_login(appeal.filed_by)
    assert client.post(reverse("appeals:close-rereading", args=[appeal.pk])).status_code == 403
    client.force_login(staff)
    page = client.get(reverse("appeals:appeal", args=[appeal.pk])).content.decode()
    assert "Close the re-reading" in page
    assert client.post(reverse("appeals:close-rereading", args=[appeal.pk])).status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).rereading_closed_at is not None
