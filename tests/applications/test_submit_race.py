"""Two tabs submitting at the same moment: the row lock lets exactly one of them through."""

import time
from functools import partial

import pytest

from ccpt.background.models import Job
from ccpt.lib.refusal import Refusal
from grants.applications.models import Application, Submission
from grants.applications.services import submission as service
from grants.models import StatusChange
from tests.factories import lead_of, submittable_application
from tests.helpers import race


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_make_exactly_one_submission(monkeypatch):
    application = submittable_application()
    lead = lead_of(application)
    build = service.build_snapshot

    def slow_build(*args, **kwargs):
        time.sleep(0.5)  # hold the lock long enough for the other tab to arrive
        return build(*args, **kwargs)

    monkeypatch.setattr(service, "build_snapshot", slow_build)

    def tab(stale):
        try:
            return service.submit_application(application=stale, by=lead)
        except Refusal as refused:
            return refused

    stale_tabs = [Application.objects.get(pk=application.pk) for _ in range(2)]  # both tabs see a draft
    outcomes = race(*(partial(tab, stale) for stale in stale_tabs), timeout=30)

    assert Submission.objects.filter(application=application).count() == 1
    assert sorted(type(o).__name__ for o in outcomes) == ["Refusal", "Submission"]
    refusal = next(o for o in outcomes if isinstance(o, Refusal))
    assert "was already submitted" in str(refusal)
    assert StatusChange.objects.filter(object_id=application.pk, to_status="submitted").count() == 1
    assert list(Job.objects.values_list("task", "args")) == [
        ("grants.applications.tasks.screen_submission", [Submission.objects.get().pk])
    ]
