"""The site served as in production for bench/pages.py: gunicorn with 2 sync workers, DEBUG off, hashed static
files, a random secret key; plus a settings module of the benchmark's own, written to a temporary directory, that
adds bench/query_count.py's middleware (production code stays as it is). People are signed in by a session made
in the database as signing in makes it; each page is then fetched over HTTP."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import common
from common import ROOT

SETTINGS = "bench_pages_settings"


def environment(database_url: str, secret: str, scratch: Path, media: Path, conn_max_age: int) -> dict:
    """The server's environment: production settings, but no TLS in front (no HTTPS redirect) and background work
    in-process (no broker); staff need no second factor here, so that the benchmark signs them in by session."""
    (scratch / f"{SETTINGS}.py").write_text(
        "from ccpt.settings import *  # noqa: F403\n\n"
        "# First, so that it counts every other middleware's queries too.\n"
        'MIDDLEWARE = ["query_count.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405\n'
    )
    (scratch / "queries").mkdir(exist_ok=True)
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    return {
        **keep,
        "PYTHONPATH": os.pathsep.join([str(scratch), str(ROOT / "bench"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": os.environ.get(
            "BENCH_STATIC_ROOT", str(Path(tempfile.gettempdir()) / "ccpt_bench_pages_static")
        ),
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_CONN_MAX_AGE": str(conn_max_age),
        "DJANGO_LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "CCPT_REQUIRE_STAFF_2FA": "false",
        "EMAIL_URL": "memorymail://",
        "BENCH_QUERY_DIR": str(scratch / "queries"),
    }


def collect_static(env: dict) -> None:
    """WhiteNoise's manifest storage (DEBUG off) serves only what collectstatic hashed."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "ccpt.settings"},
        check=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`gunicorn` from the project's directory (so it reads gunicorn.conf.py: ccpt.wsgi, no Server header)."""

    def __init__(self, env: dict, log: Path, workers: int = 2):
        self.env, self.log, self.workers, self.port, self.process = env, log, workers, free_port(), None

    def start(self, timeout: float = 60) -> None:
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--worker-class=sync",
                "--timeout=300",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited with {self.process.returncode}; see {self.log}")
            try:
                if get(self.port, "/accounts/login/").status == 200:
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.2)
        self.stop()
        sys.exit(f"gunicorn did not answer within {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        common.stop_process(self.process)


def signed_in(user) -> str:
    """A session key for `user`, stored as signing in stores it: the user, a backend from
    AUTHENTICATION_BACKENDS, the password-derived hash, and consortia.accounts.sessions' times (now)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from consortia.accounts import sessions
    from consortia.accounts.backends import PATH as backend  # the backend that signs people in

    assert backend in settings.AUTHENTICATION_BACKENDS
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = timezone.now().isoformat()
    for key in (sessions.SIGNED_IN_AT, sessions.AUTHENTICATED_AT, sessions.LAST_SEEN_AT):
        store[key] = now
    store.create()
    return store.session_key


@dataclass
class Response:
    status: int
    seconds: float
    queries: int | None
    cpu_ms: float | None
    size: int
    location: str = ""


def get(port: int, path: str, session: str = "", query_dir: Path | None = None) -> Response:
    """One GET on a new connection (gunicorn's sync workers close each one), timed until the body is read."""
    request_id = secrets.token_hex(8)
    headers = {"X-Bench-Request": request_id, **({"Cookie": f"sessionid={session}"} if session else {})}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    seconds = time.perf_counter() - started
    count, cpu = answer.getheader("X-Query-Count"), answer.getheader("X-Server-CPU")
    if count is None and query_dir is not None and (query_dir / request_id).exists():
        count, cpu = (query_dir / request_id).read_text().split()  # a streamed response, to its end (query_count.py)
    return Response(
        answer.status,
        seconds,
        int(count) if count else None,
        float(cpu) if cpu else None,
        len(body),
        answer.getheader("Location", ""),
    )


@dataclass
class Timing:
    status: int
    timings: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    size: int = 0
    location: str = ""


def calm(threshold: float, longest: float) -> float:
    """Wait (at most `longest` seconds) until the machine's one-minute load average is under `threshold`; returns
    the load average then. Other work on a 2-CPU machine makes requests wait for a CPU: the wall clock grows."""
    deadline = time.monotonic() + longest
    while threshold and os.getloadavg()[0] >= threshold and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def measure(
    port: int, path: str, session: str, requests: int, warmups: int, query_dir: Path, budget: float = 120
) -> Timing:
    """`warmups` untimed requests, then `requests` timed ones, or fewer (at least 5) when the page is so slow that
    they would take more than `budget` seconds; stops at the first answer that is not 200."""
    slowest = 0.0
    for _ in range(warmups):
        first = get(port, path, session, query_dir)
        if first.status != 200:
            return Timing(first.status, location=first.location)
        slowest = max(slowest, first.seconds)
    if slowest * requests > budget:
        requests = max(5, int(budget / slowest))
    result = Timing(200)
    for _ in range(requests):
        answer = get(port, path, session, query_dir)
        if answer.status != 200:
            return Timing(answer.status, location=answer.location)
        result.timings.append(answer.seconds)
        if answer.queries is not None:
            result.queries.append(answer.queries)
        if answer.cpu_ms is not None:
            result.cpu_ms.append(answer.cpu_ms)
        result.size = answer.size
    return result
