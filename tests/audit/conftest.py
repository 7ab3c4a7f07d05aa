import pytest

from ccpt.audit.models import Event


@pytest.fixture
def admin_client(client, admin_user):
    """`client` signed in as an administrator, with an empty audit trail (signing in writes to it)."""
    client.force_login(admin_user)
    Event.objects.all().delete()
    return client
