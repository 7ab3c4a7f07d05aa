import pytest

from tests.factories.reporting import reporting_grantee


@pytest.fixture
def grantee(db):
    """An accepted award whose consortium reports (tests/factories/reporting.py)."""
    return reporting_grantee()
