"""An open round's criteria and required attachments are read once per process (published.py), and never outlive
a change: a round sent back to draft, changed and opened again shows the change."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants import workflow
from grants.models import StatusChange
from grants.programs.models import Criterion, RequiredAttachment, Round
from grants.programs.published import published_parts
from tests.factories import (
    CriterionFactory,
    OpenRoundFactory,
    RequiredAttachmentFactory,
    configured_round,
    lead_of,
    submittable_application,
)

pytestmark = pytest.mark.django_db


def _names(parts):
    return [c.name for c in parts.criteria], [r.name for r in parts.required_attachments]


def test_opening_a_round_records_when_and_returning_it_to_draft_forgets(admin_user):
    round_ = configured_round(status=Round.Status.DRAFT)
    before = timezone.now()

    workflow.transition(round_, Round.Status.OPEN, by=admin_user)
    round_.refresh_from_db()
    assert before <= round_.opened_at <= timezone.now()

    workflow.transition(round_, Round.Status.DRAFT, by=admin_user, reason="The RFA was corrected.")
    round_.refresh_from_db()
    assert round_.opened_at is None


def test_an_open_rounds_parts_are_read_once_and_in_order():
    round_ = OpenRoundFactory()
    CriterionFactory(round=round_, name="Second", position=2)
    CriterionFactory(round=round_, name="First", position=1)
    RequiredAttachmentFactory(round=round_, name="Budget workbook", position=1)

    first = published_parts(round_)
    with CaptureQueriesContext(connection) as queries:
        again = published_parts(Round.objects.get(pk=round_.pk))

    assert _names(again) == (["First", "Second"], ["Budget workbook"])
    assert again is first
    assert len(queries) == 1  # the round itself, read above; its parts not again


def test_a_draft_rounds_parts_are_read_again_for_each_request():
    round_ = configured_round(status=Round.Status.DRAFT)
    published_parts(round_)
    Criterion.objects.filter(round=round_, name="Need").update(name="Renamed")  # no signal: as another process would

    assert _names(published_parts(Round.objects.get(pk=round_.pk)))[0] == ["Renamed", "Budget"]
    with CaptureQueriesContext(connection) as queries:
        published_parts(round_)  # the same request's other checks: kept on the instance
    assert len(queries) == 0


def test_a_round_sent_back_to_draft_changed_and_opened_again_is_read_anew(admin_user):
    """Another process changed it: no signal reaches this one, the new opening time does."""
    round_ = configured_round(status=Round.Status.DRAFT)
    workflow.transition(round_, Round.Status.OPEN, by=admin_user)
    round_.refresh_from_db()
    kept = _names(published_parts(round_))

    workflow.transition(round_, Round.Status.DRAFT, by=admin_user, reason="A criterion was misnamed.")
    Criterion.objects.filter(round=round_, name="Need").update(name="Corrected need")
    RequiredAttachment.objects.filter(round=round_).update(name="Signed agreement")
    round_.refresh_from_db()
    workflow.transition(round_, Round.Status.OPEN, by=admin_user)
    round_.refresh_from_db()

    assert _names(published_parts(round_)) != kept
    assert _names(published_parts(round_)) == (["Corrected need", "Budget"], ["Signed agreement"])


def test_a_part_saved_or_deleted_in_this_process_is_seen_at_once():
    round_ = OpenRoundFactory()
    kept = CriterionFactory(round=round_, name="Kept")
    published_parts(round_)

    CriterionFactory(round=round_, name="Added")
    assert _names(published_parts(round_))[0] == ["Kept", "Added"]
    kept.delete()
    assert _names(published_parts(round_))[0] == ["Added"]


def test_the_application_page_reads_the_rounds_parts_once_per_process(client):
    application = submittable_application()
    RequiredAttachmentFactory(round=application.round, name="Budget workbook", position=9)
    client.force_login(lead_of(application))
    url = reverse("applications:application", args=[application.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert "Budget workbook: <strong>missing</strong>" in response.content.decode()
    read = [q["sql"] for q in queries if 'FROM "programs_criterion"' in q["sql"]]
    read += [q["sql"] for q in queries if 'FROM "programs_requiredattachment"' in q["sql"]]
    assert read == []


def test_rounds_opened_before_the_field_existed_take_it_from_their_history(admin_user):
    """The migration's backfill: the last change from draft to open."""
    from importlib import import_module

    backfill = import_module("grants.programs.migrations.0005_round_opened_at").opened_at_from_history
    opened = configured_round(status=Round.Status.DRAFT)
    workflow.transition(opened, Round.Status.OPEN, by=admin_user)
    at = timezone.now() - timedelta(days=3)
    StatusChange.objects.filter(object_id=opened.pk, to_status="open").update(at=at)
    draft = configured_round(status=Round.Status.DRAFT)
    Round.objects.update(opened_at=None)

    backfill(apps, None)

    assert Round.objects.get(pk=opened.pk).opened_at == at
    assert Round.objects.get(pk=draft.pk).opened_at is None
