"""Two tabs submitting at the same moment: the row lock lets exactly one of them through."""

import threading
import time

import pytest
from django.db import connection

from ccpt.lib.refusal import Refusal
from grants.applications import tasks
from grants.applications.models import Application, Submission
from grants.applications.services import submission as service
from grants.models import StatusChange
from tests.factories import lead_of, submittable_application


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_make_exactly_one_submission(monkeypatch):
    application = submittable_application()
    lead = lead_of(application)
    enqueued = []
    monkeypatch.setattr(tasks.screen_submission, "delay", enqueued.append)
    build = service.build_snapshot

    def slow_build(*args, **kwargs):
        time.sleep(0.5)  # hold the lock long enough for the other tab to arrive
        return build(*args, **kwargs)

    monkeypatch.setattr(service, "build_snapshot", slow_build)
    start = threading.Barrier(2)
    outcomes = []

    def tab():
        try:
            stale = Application.objects.get(pk=application.pk)  # both tabs see a draft
            start.wait()
            outcomes.append(service.submit_application(application=stale, by=lead))
        except Refusal as refused:
            outcomes.append(refused)
        finally:
            connection.close()

    tabs = [threading.Thread(target=tab) for _ in range(2)]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join(timeout=30)

    assert Submission.objects.filter(application=application).count() == 1
    assert sorted(type(o).__name__ for o in outcomes) == ["Refusal", "Submission"]
    refusal = next(o for o in outcomes if isinstance(o, Refusal))
    assert "was already submitted" in str(refusal)
    assert StatusChange.objects.filter(object_id=application.pk, to_status="submitted").count() == 1
    assert enqueued == [Submission.objects.get().pk]
