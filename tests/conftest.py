"""Shared fixtures. Services: a test marked `postgres` or `worker` needs the real service; it is
skipped when the service is not configured, except under CI=true, where it fails instead."""

import os
from pathlib import Path

import pytest
from django.db import connection
from django.http import HttpRequest
from django.test.client import ClientMixin

from ccpt.celery import app as celery_app
from consortia.reference import ensure_reference_data

from .factories import UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def need_service(reason: str):
    """Skip the test for want of a service, or fail it under CI=true, where every service must be there."""
    if IN_CI:
        pytest.fail(f"CI=true and a required service is missing: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        need_service("needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Counties, regions and role groups come from a data migration, and a transactional test's flush
    removes them; put them back for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    transactional = "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_reference_data()


@pytest.fixture(autouse=True)
def _eager_tasks(request, settings):
    """Unit tests run tasks in-process; tests marked `worker` send them through the real broker."""
    eager = not request.node.get_closest_marker("worker")
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2 takes about a second per password on a busy two-core machine; tests do not need its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _client_login_with_a_request(monkeypatch):
    """django-axes throttles sign-ins by address and refuses authenticate() without a request, which the test
    client's login() does not pass: give it one from 127.0.0.1, as axes' documentation advises."""
    login = ClientMixin.login

    def login_with_a_request(self, **credentials):
        request = HttpRequest()
        request.META["REMOTE_ADDR"] = "127.0.0.1"
        return login(self, request=request, **credentials)

    monkeypatch.setattr(ClientMixin, "login", login_with_a_request)


@pytest.fixture
def celery_worker_ready():
    """A real worker answering on the broker in CELERY_BROKER_URL (started by .ci/run)."""
    if not os.environ.get("CELERY_BROKER_URL"):
        need_service("needs Redis and a worker: set CELERY_BROKER_URL and run `celery -A ccpt worker`")
    try:
        replies = celery_app.control.ping(timeout=5.0)
    except Exception as error:  # noqa: BLE001 - any broker failure means no worker
        need_service(f"cannot reach the Celery broker: {error}")
    if not replies:
        need_service("no Celery worker answered a ping on the broker")
    return replies


@pytest.fixture
def worker_mail_dir():
    """The directory the worker's file email backend (EMAIL_URL=filemail://) writes to: CCPT_WORKER_MAIL_DIR."""
    directory = os.environ.get("CCPT_WORKER_MAIL_DIR")
    if not directory:
        need_service("needs CCPT_WORKER_MAIL_DIR: the worker's EMAIL_URL=filemail:// directory")
    return Path(directory)


@pytest.fixture
def staff_user(db):
    """A member of the Program staff group."""
    return UserFactory(role="Program staff")


@pytest.fixture
def admin_user(db):
    """A member of the Administrators group."""
    return UserFactory(role="Administrators")


@pytest.fixture
def reader_user(db):
    """A member of the Readers group."""
    return UserFactory(role="Readers")


@pytest.fixture
def applicant_user(db):
    """A member of the Applicants group."""
    return UserFactory(role="Applicants")


@pytest.fixture
def staff_client(client, staff_user):
    """`client` signed in as `staff_user`."""
    client.force_login(staff_user)
    return client
