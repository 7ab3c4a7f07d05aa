"""gunicorn, started as in production from the project's directory (so it reads gunicorn.conf.py), serves the
sign-in page with the security headers and without a Server header."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_security_headers import STRICT_POLICY, directives

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """The production-like environment, with its static files collected and its database migrated."""
    here = tmp_path_factory.mktemp("production")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    environment.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(here / "static"),
        DATABASE_URL=f"sqlite:///{here / 'db.sqlite3'}",
        CELERY_TASK_ALWAYS_EAGER="true",
    )
    steps = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py; the two run side by side
            [sys.executable, "manage.py", *command, "--noinput", "-v0"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in (["collectstatic"], ["migrate"])
    ]
    for step in steps:
        _, errors = step.communicate(timeout=300)
        assert step.returncode == 0, errors
    return environment


def _serve(environment: dict, *options: str):
    """gunicorn ccpt.wsgi on a free port, from the project's directory; the port once it answers."""
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
        [str(GUNICORN), "ccpt.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", *options],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{server.stderr.read()}", pytrace=False)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return server, port
        except OSError:
            time.sleep(0.2)
    server.terminate()
    pytest.fail("gunicorn did not answer within 30 s", pytrace=False)


def _get(port: int, path: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _headers(environment: dict, path: str, *options: str) -> tuple[int, dict[str, list[str]]]:
    server, port = _serve(environment, *options)
    try:
        response = _get(port, path)
    finally:
        server.terminate()
        server.wait(timeout=30)
    headers: dict[str, list[str]] = {}
    for name, value in response.getheaders():
        headers.setdefault(name.lower(), []).append(value)
    return response.status, headers


def test_gunicorn_serves_the_sign_in_page_without_a_server_header_and_with_the_policies(production):
    status, headers = _headers(production, "/accounts/login/")

    assert status == 200
    assert "server" not in headers
    [csp] = headers["content-security-policy"]
    assert directives(csp) == STRICT_POLICY
    assert {"camera=()", "microphone=()", "geolocation=()"} <= set(headers["permissions-policy"][0].split(", "))
    assert headers["referrer-policy"] == ["same-origin"]
    assert headers["x-content-type-options"] == ["nosniff"]


def test_static_files_come_without_a_server_header_too(production):
    status, headers = _headers(production, "/static/css/site.css")

    assert status == 200
    assert "server" not in headers


def test_without_the_project_configuration_gunicorn_announces_itself(production, tmp_path):
    """The control: the same server with an empty configuration file says "Server: gunicorn"."""
    empty = tmp_path / "empty.conf.py"
    empty.write_text("")

    status, headers = _headers(production, "/accounts/login/", "--config", str(empty))

    assert status == 200
    assert headers["server"] == ["gunicorn"]
