"""Small helpers for tests that no fixture fits: racing threads, waiting on a worker, posting forms."""

import threading
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.urls import reverse


def race(*callables, timeout: float = 60):
    """Call the callables at the same moment, each in its own thread released by one barrier.

    Each thread closes its database connection when done. Returns what each callable returned, in the
    order given; if any of them raised, the test fails with what they raised (an ExceptionGroup).
    """
    barrier = threading.Barrier(len(callables), timeout=timeout)
    results: list = [None] * len(callables)
    errors: list[Exception] = []

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - raised in the test's thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    if running := sum(thread.is_alive() for thread in threads):
        pytest.fail(f"{running} of {len(threads)} racing calls still running after {timeout:.0f} s", pytrace=False)
    if errors:
        raise ExceptionGroup("a racing call raised", errors)
    return results


def wait_until(condition, what: str, timeout: float = 30, explain=None):
    """Poll `condition` every quarter second until it returns something true, and return that.

    When it has not by `timeout`, fail with "the worker did not {what} within {timeout} s", followed by
    ": " and what `explain()` returns when `explain` is given.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.25)
    message = f"the worker did not {what} within {timeout:.0f} s"
    pytest.fail(f"{message}: {explain()}" if explain else message, pytrace=False)


def mail_files_containing(mail_dir: Path, text: str) -> list[Path]:
    """The files in the worker's mail directory (see the `worker_mail_dir` fixture) whose text has `text`."""
    return [path for path in mail_dir.glob("*") if path.is_file() and text in path.read_text(errors="replace")]


def section_url(application, section: str) -> str:
    """The page of one section of an application."""
    return reverse("applications:application-section", args=[application.pk, section])


def post_section(client, application, section: str, data: dict):
    """Post `data` to a section of the application as its page would: at the section's current version."""
    application.refresh_from_db()
    return client.post(
        section_url(application, section), {"section_version": application.section_version(section), **data}
    )


def formset_data(prefix: str, rows) -> dict:
    """A formset's fields as its page posts them: the management form, then each row (saved rows carry an id)."""
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": sum(1 for row in rows if row.get("id")),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def enqueue(task: str, *args):
    """Record and send background work as a service does: in a transaction, handed to the workers on commit.
    Returns the job (for work that is coalesced, the one waiting)."""
    from ccpt.background.models import Job
    from ccpt.background.services import later

    with transaction.atomic():
        later(task, *args)
    return Job.objects.filter(task=task, args=list(args)).latest("pk")


def deliver_again(job) -> None:
    """A second message for the same job, as when the broker or the sweeper sends it twice."""
    from ccpt.background.services import dispatch

    dispatch([job.pk])


def authenticated_minutes_ago(client, minutes: float) -> None:
    """Make the signed-in session's last password check `minutes` old. Signing in (force_login too) counts as a
    check just made; re-authentication (consortia/accounts/reauth.py) asks again once it is CCPT_REAUTH_MINUTES old."""
    from datetime import timedelta

    from django.utils import timezone

    session = client.session
    session["authenticated_at"] = (timezone.now() - timedelta(minutes=minutes)).isoformat()
    session.save()


def hidden_fields(html: str) -> dict[str, list[str]]:
    """The hidden inputs of a page (the CSRF token left out), as a browser would post them back."""
    import html as html_lib
    import re

    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)"', html):
        if name != "csrfmiddlewaretoken":
            fields.setdefault(html_lib.unescape(name), []).append(html_lib.unescape(value))
    return fields
