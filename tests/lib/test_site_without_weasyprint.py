"""A fresh laptop without Pango: the site starts, migrates and serves its pages; only PDFs are unavailable.

WeasyPrint is made unimportable for a whole separate process (a sitecustomize on PYTHONPATH, read before anything
else), so nothing imported at start-up may need it."""

import json
import os
import subprocess
import sys

import pytest

from tests.test_deploy_settings import ROOT

SENTENCE = "PDFs are unavailable on this server (WeasyPrint needs Pango: see the README)."


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> dict:
    here = tmp_path_factory.mktemp("without-weasyprint")
    (here / "sitecustomize.py").write_text(
        "import sys\n\nsys.modules['weasyprint'] = None  # import weasyprint fails\n"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    environment.update(
        PYTHONPATH=str(here),
        DATABASE_URL=f"sqlite:///{here / 'db.sqlite3'}",
        DJANGO_DEBUG="true",
        CELERY_TASK_ALWAYS_EAGER="true",
        EMAIL_URL="memorymail://",
        DJANGO_MEDIA_ROOT=str(here / "media"),
    )
    return environment


def run(environment: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def seen(environment) -> dict:
    result = run(environment, "-m", "tests.lib.site_without_weasyprint")
    assert result.returncode == 0, result.stderr
    return {**json.loads(result.stdout.splitlines()[-1]), "log": result.stderr}


def test_the_checks_pass_without_weasyprint(environment):
    result = run(environment, "manage.py", "check")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_site_starts_and_says_in_its_log_why_pdfs_are_unavailable(seen):
    assert seen["weasyprint importable"] is False
    assert SENTENCE in seen["log"]
    assert "import of weasyprint halted" in seen["log"]
    assert seen["log"].index(SENTENCE) < seen["log"].index("Successful login")  # said at start, before any page


def test_its_pages_work_and_say_pdfs_are_unavailable(seen):
    pages = seen["pages"]
    for name in ("dashboard", "awards", "award", "round awards", "program", "submission"):
        assert pages[name][0] == 200, name
    assert SENTENCE in pages["award"][1]
    assert "Download the award letter" not in pages["award"][1]
    assert SENTENCE in pages["submission"][1]


def test_its_pdf_addresses_answer_503_with_a_plain_page(seen):
    for name in ("award letter", "submission pdf"):
        status, page = seen["pages"][name]
        assert status == 503, name
        assert "<h1>PDFs are unavailable on this server</h1>" in page, name


def test_the_award_notice_is_emailed_without_the_letter(seen):
    assert seen["notice delivered"] is True
    (email,) = [email for email in seen["emails"] if "pleased to award" in email["body"]]
    assert email["attachments"] == 0
    assert "is not attached to this email: download it from the award's page in CCPT Grants" in email["body"]
