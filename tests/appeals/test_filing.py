"""Filing an appeal: inside the round's window (enforced on the server, in Pacific time), on the round's grounds,
by the lead contact, one open appeal per application."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.dates import at_pacific
from ccpt.lib.refusal import Refusal
from consortia.models import Contact
from grants import workflow
from grants.appeals import services
from grants.appeals.models import Appeal
from grants.programs.models import Round
from tests.factories import ConsortiumFactory, contact_of

from .conftest import GROUND

pytestmark = pytest.mark.django_db


def file(application, by, **kwargs):
    kwargs.setdefault("grounds", [GROUND])
    kwargs.setdefault("statement", "Reader 2 scored criterion 3 against last year's rubric.")
    return services.file_appeal(application=application, by=by, **kwargs)


def publish(application, at):
    Round.objects.filter(pk=application.round_id).update(results_published_at=at)
    application.round.refresh_from_db()


def test_it_refuses_an_appeal_before_results_are_published(application, lead):
    publish(application, None)
    with pytest.raises(Refusal, match="are not published yet"):
        file(application, lead)
    assert not Appeal.objects.exists()


def test_the_window_closes_at_the_end_of_its_last_day_in_pacific_time(application, lead, staff):
    # Published March 2, 2026 at 10:00 PST; ten days later is March 12, after the change to daylight time.
    publish(application, at_pacific(2026, 3, 2, 10))

    appeal = file(application, lead, now=at_pacific(2026, 3, 12, 23, 59))
    assert appeal.status == Appeal.Status.FILED
    services.decide(appeal=appeal, by=staff, upheld=False, reasons="No error found.")
    with pytest.raises(Refusal, match=r"closed at the end of March 12, 2026 \(Pacific time\)"):
        file(application, lead, now=at_pacific(2026, 3, 13, 0, 0))


def test_a_round_without_appeal_settings_takes_no_appeals(application, lead):
    application.round.appeal_settings.delete()
    application.round.refresh_from_db()
    with pytest.raises(Refusal, match="does not take appeals"):
        file(application, lead)


def test_grounds_must_come_from_the_rounds_list(application, lead):
    with pytest.raises(Refusal) as refused:
        file(application, lead, grounds=["I did not like the score"])
    assert refused.value.errors["grounds"] == "Choose grounds from the round's list."
    with pytest.raises(Refusal) as refused:
        file(application, lead, grounds=[], statement="")
    assert set(refused.value.errors) == {"grounds", "statement"}
    assert not Appeal.objects.exists()


def test_one_open_appeal_per_application(application, lead):
    file(application, lead)
    with pytest.raises(Refusal, match="already filed and waiting for a decision"):
        file(application, lead)
    assert Appeal.objects.count() == 1


def test_only_the_lead_contact_files_and_others_are_refused(application, lead, assignment, staff):
    partner = contact_of(application.consortium, role=Contact.Role.PARTNER)
    with pytest.raises(Refusal, match="Only the consortium's lead contact"):
        file(application, partner)
    assert services.filing_problem(application, staff) == "Only the consortium's lead contact can file an appeal."
    for outsider in (staff, assignment.reader, contact_of(ConsortiumFactory())):
        with pytest.raises(PermissionDenied):
            file(application, outsider)
    assert not Appeal.objects.exists()


def test_filing_records_the_grounds_the_evidence_checked_by_content_and_the_history(application, lead):
    pdf = SimpleUploadedFile("scores.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    appeal = file(application, lead, files=[pdf])

    assert appeal.grounds == [GROUND] and appeal.filed_by == lead
    assert [e.original_name for e in appeal.evidence.all()] == ["scores.pdf"]
    assert [(line.source, line.target) for line in workflow.history_lines(appeal)] == [("(created)", "Filed")]


def test_evidence_that_is_not_what_its_name_says_is_refused(application, lead):
    fake = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(Refusal) as refused:
        file(application, lead, files=[fake])
    assert "files" in refused.value.errors
    assert not Appeal.objects.exists()


def test_the_lead_files_from_the_results_page(client, application, lead):
    client.force_login(lead)
    results = client.get(reverse("reviews:results", args=[application.pk])).content.decode()
    assert reverse("appeals:file", args=[application.pk]) in results

    response = client.post(
        reverse("appeals:file", args=[application.pk]),
        {"grounds": [GROUND], "statement": "The panel ignored our letter of support."},
        follow=True,
    )
    appeal = Appeal.objects.get()
    assert response.redirect_chain[-1][0] == appeal.get_absolute_url()
    assert "Appeal filed." in response.content.decode()

    publish(application, timezone.now() - timedelta(days=30))
    page = client.get(reverse("appeals:file", args=[application.pk])).content.decode()
    assert "appeals are no longer taken" in page
