"""What the search tests share: applications with text of our choosing, indexed as the site would index them."""

from grants.applications.models import NarrativeResponse
from grants.search import signals
from grants.search.services import query
from tests.factories import ApplicationFactory, CriterionFactory


def indexed():
    """Rebuild what the signals marked: the work the site does once the transaction commits (the tests' own
    transaction never commits)."""
    signals.flush()


def application(title="", summary="", narrative="", **kwargs):
    """A submitted application with this title and summary and, if given, one narrative response."""
    kwargs.setdefault("status", "submitted")
    made = ApplicationFactory(title=title, summary=summary, **kwargs)
    if narrative:
        NarrativeResponse.objects.create(application=made, criterion=CriterionFactory(round=made.round), text=narrative)
    return made


def found(user, text, **filters):
    """The numbers of the applications the person finds, in the order shown (the first page)."""
    _, results = query.search(user=user, text=text, filters=query.Filters(**filters))
    return [r.application.number for r in results]
