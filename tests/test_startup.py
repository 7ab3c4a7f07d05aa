"""The site fails closed: without DEBUG asked for, there is no default secret key, and background work runs inside
web requests only when CELERY_TASK_ALWAYS_EAGER=true says so; the site refuses to start rather than break that."""

import os
import secrets
import socket
import subprocess
import sys
import time
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

from tests.test_deploy_settings import ROOT, run

START_THE_SITE = "import ccpt.wsgi; print('serving')"
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG, s.CELERY_TASK_ALWAYS_EAGER)"
)


def without_eager(**env):
    """No broker and no in-process background work, unless `env` says otherwise (CI sets a broker)."""
    return {"CELERY_TASK_ALWAYS_EAGER": "", "CELERY_BROKER_URL": "", **env}


def test_debug_is_off_unless_asked_for():
    result = run(["-c", "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ccpt.settings';" + SHOW], **without_eager())

    assert result.stdout.split() == ["False", "False"], result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    result = run(["-c", START_THE_SITE], **without_eager(DJANGO_DEBUG="false", CELERY_BROKER_URL="redis://x:6379/0"))

    assert result.returncode != 0 and "serving" not in result.stdout
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_without_a_broker_the_site_refuses_to_run_background_work_in_its_requests():
    result = run(["-c", START_THE_SITE], **without_eager(DJANGO_DEBUG="false", DJANGO_SECRET_KEY=secrets.token_hex(32)))

    assert result.returncode != 0
    assert "No broker for background work: set CELERY_BROKER_URL" in result.stderr
    assert "CELERY_TASK_ALWAYS_EAGER=true" in result.stderr


def test_running_background_work_in_requests_is_an_explicit_setting():
    result = run(
        ["-c", START_THE_SITE],
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY=secrets.token_hex(32), CELERY_TASK_ALWAYS_EAGER="true",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "serving"


def test_a_started_web_process_keeps_what_start_up_made_out_of_the_garbage_collectors_sight():
    """ccpt.startup.settle(): without it, one request in ten waited for a full collection of the whole process."""
    result = run(
        ["-c", "import gc, ccpt.wsgi; print(gc.get_freeze_count() > 50_000)"],
        DJANGO_DEBUG="true", CELERY_TASK_ALWAYS_EAGER="true",
    )  # fmt: skip

    assert result.stdout.strip() == "True", result.stderr


def test_the_development_server_turns_on_debug_and_in_process_work_by_itself(tmp_path):
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        page = _get_when_up(f"http://127.0.0.1:{port}/no-such-page/")
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]

    assert "Using the URLconf defined in" in page, output  # Django's DEBUG page, never shown in production


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get_when_up(url: str) -> str:
    for _ in range(60):
        try:
            return urlopen(url, timeout=5).read().decode()  # noqa: S310 - a local http URL of ours
        except HTTPError as error:
            return error.read().decode()
        except URLError:
            time.sleep(0.25)
    raise AssertionError(f"nothing answered at {url}")


def test_the_development_server_refuses_production_settings_it_cannot_honour():
    result = run(["manage.py", "runserver", "127.0.0.1:0", "--noreload"], **without_eager(DJANGO_DEBUG="false"))

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_prepare_threshold_that_is_not_a_number_is_refused_in_words():
    result = run(
        ["-c", SHOW],
        DJANGO_SETTINGS_MODULE="ccpt.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        DATABASE_PREPARE_THRESHOLD="five",
    )

    assert result.returncode != 0
    assert "DATABASE_PREPARE_THRESHOLD='five': give a whole number of runs" in result.stderr
