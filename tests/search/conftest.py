"""The search tests' fixtures."""

import pytest

from grants.search.services import query


@pytest.fixture
def plain_search(monkeypatch):
    """The search SQLite gets, whatever the database."""
    monkeypatch.setattr(query, "full_text", lambda: False)
