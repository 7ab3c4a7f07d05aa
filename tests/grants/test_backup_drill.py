"""The backup drill of README "Backups", run for real: dump the database with pg_dump, restore it into a fresh
database with pg_restore, and the site answers from the restored one with the same records (backup_check)."""

import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from grants import backup
from grants.setaside.services import draw_set_aside
from tests.factories import (
    AttachmentFactory,
    AwardFactory,
    ConsortiumFactory,
    NoticeFactory,
    SubmittedApplicationFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI", "").lower() == "true"
ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        message = f"the backup drill needs {name} (the PostgreSQL client tools)"
        if IN_CI:
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    return found


def _postgres_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "localhost", "PGPORT": str(db["PORT"] or 5432), "PGUSER": db["USER"]}
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(*command: str, env: dict | None = None) -> str:
    # The PostgreSQL tools and manage.py, with names this test made: no outside input.
    done = subprocess.run(command, env=env or _postgres_env(), capture_output=True, text=True, timeout=300)  # noqa: S603
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr}"
    return done.stdout


@contextmanager
def site_on(database: str):
    """This process's database connection pointed at another database of the same server, then back."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = database
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


@pytest.fixture
def records(settings, tmp_path):
    """Applications (one with its file), an award with a notice, and two draws on the set-aside, committed."""
    staff = UserFactory(role="Program staff")
    award = AwardFactory(amount=Decimal("400000.00"))
    NoticeFactory(award=award)
    AttachmentFactory(application=award.application)
    SubmittedApplicationFactory.create_batch(2)
    program = award.round.program
    draw_set_aside(
        program=program, kind="planning_grant", amount=Decimal("150000"), by=staff, consortium=ConsortiumFactory()
    )
    draw_set_aside(
        program=program, kind="planning_grant", amount=Decimal("50000.50"), by=staff, consortium=award.consortium
    )
    return {"staff": staff, "award": award, "program": program}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_fresh_database_answers_with_the_same_records(client, records, tmp_path):
    pg_dump, pg_restore, createdb, dropdb = (_tool(name) for name in ("pg_dump", "pg_restore", "createdb", "dropdb"))
    live = connection.settings_dict["NAME"]
    restored = f"{live}_restored"
    expected = backup.counts()
    assert (expected["applications"], expected["awards"], expected["set-aside ledger rows"]) == (3, 1, 2)
    dump = tmp_path / "ccpt.dump"

    _run(pg_dump, "--format=custom", "--no-owner", "--file", str(dump), live)
    _run(dropdb, "--if-exists", "--force", restored)
    _run(createdb, restored)
    try:
        _run(pg_restore, "--no-owner", "--exit-on-error", "--dbname", restored, str(dump))

        # The operator's check, as the drill runs it: a separate process on the restored database.
        db = connection.settings_dict
        password = quote(db["PASSWORD"] or "", safe="")
        url = f"postgres://{quote(db['USER'], safe='')}:{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        env = {
            **os.environ,
            "DATABASE_URL": f"{url}/{restored}",
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DJANGO_DEBUG": "true",
            "CELERY_TASK_ALWAYS_EAGER": "true",
        }
        printed = _run(sys.executable, str(ROOT / "manage.py"), "backup_check", "--json", env=env)
        figures = json.loads(printed.strip().splitlines()[-1])
        assert figures == {**expected, "attachment files missing": 0}

        with site_on(restored):
            assert backup.counts() == expected
            client.force_login(records["staff"])
            ledger = client.get(reverse("setaside:ledger", args=[records["program"].pk]))
            award_page = client.get(reverse("awards:award", args=[records["award"].pk]))
        assert ledger.status_code == 200 and "$50,000.50" in ledger.content.decode()
        assert award_page.status_code == 200 and records["award"].number in award_page.content.decode()
    finally:
        _run(dropdb, "--if-exists", "--force", restored)
