"""The production settings pass Django's deployment checks and pick PostgreSQL from DATABASE_URL."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_the_deploy_check_passes_with_production_settings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="grants.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_with_the_development_secret_key():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="grants.example.org",
    )

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


PRINT_DATABASE = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ccpt.settings'; django.setup();"
    "from django.conf import settings; from django.db.backends.postgresql.psycopg_any import is_psycopg3;"
    "db = settings.DATABASES['default'];"
    "print(db['ENGINE'], db['NAME'], db['HOST'], db['PORT'], is_psycopg3)"
)


def test_a_postgres_database_url_selects_the_psycopg_backend():
    result = run(["-c", PRINT_DATABASE], DATABASE_URL="postgres://ccpt@db.example.org:5432/ccpt")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "ccpt", "db.example.org", "5432", "True"]


def test_without_a_database_url_the_site_uses_sqlite_beside_manage_py():
    result = run(["-c", PRINT_DATABASE.replace(", is_psycopg3", ", True")])

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.db.backends.sqlite3", str(ROOT / "db.sqlite3")]
