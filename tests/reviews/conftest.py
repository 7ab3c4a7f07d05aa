"""Fixtures shared by the reading, assignment and scoring tests of this folder."""

from types import SimpleNamespace

import pytest

from grants.reviews import tasks


@pytest.fixture
def reader_client(client, assignment):
    """`client` signed in as the reader of the module's `assignment`."""
    client.force_login(assignment.reader)
    return client


@pytest.fixture
def scoring_enqueued(monkeypatch):
    """The round ids sent to the scoring task (`tasks.score_round.delay`), which no longer runs."""
    enqueued = []
    monkeypatch.setattr(tasks, "score_round", SimpleNamespace(delay=enqueued.append), raising=False)
    return enqueued
