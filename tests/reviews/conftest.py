"""Fixtures shared by the reading, assignment and scoring tests of this folder."""

import pytest

from ccpt.background.jobs import job
from grants.reviews import tasks


@pytest.fixture
def reader_client(client, assignment):
    """`client` signed in as the reader of the module's `assignment`."""
    client.force_login(assignment.reader)
    return client


@pytest.fixture
def scoring_enqueued(monkeypatch):
    """The round ids the background work scored (`tasks.score_round`, replaced by a recorder that scores nothing)."""
    enqueued = []
    monkeypatch.setattr(tasks, "score_round", job(coalesce=True)(lambda round_id: enqueued.append(round_id)))
    return enqueued
