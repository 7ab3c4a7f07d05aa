"""A Redis and a Celery worker of the test's own, for tests that stop the broker or kill the worker (marked
`redis`): they never touch the services other tests share."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from ccpt.celery import app as celery_app
from tests.conftest import need_service

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OwnRedis:
    def __init__(self, directory: Path):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - the Debian package's server, our arguments
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self):
        """Stop it the hard way: what it held in memory (queued messages) is lost, as in a crash."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(tmp_path):
    if not shutil.which("redis-server"):
        need_service("needs redis-server (Debian package redis-server) to start a broker of the test's own")
    if connection.vendor != "postgresql":
        need_service("needs PostgreSQL: a worker in another process must see the test's database")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


class OwnWorker:
    def __init__(self, broker: OwnRedis, mail_dir: Path, log: Path):
        db = connection.settings_dict
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DATABASE_URL", "EMAIL_URL"))},
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": broker.url,
            "EMAIL_URL": f"filemail:///{mail_dir}",
            "DJANGO_DEBUG": "true",
        }
        self.log = log
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and Celery app
            [sys.executable, "-m", "celery", "-A", "ccpt", "worker", "--pool=solo", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=ROOT, env=self.env, stdout=self.log.open("a"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "ready" in self.log.read_text(errors="replace"):
                return
            time.sleep(0.1)
        raise RuntimeError(f"the worker did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def kill(self):
        """SIGKILL: no goodbye, no acknowledgement, its database transaction dropped mid-way."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    directory = tmp_path / "mail"
    directory.mkdir()
    return directory


@pytest.fixture
def own_worker(own_redis, mail_dir, tmp_path, monkeypatch):
    """Start workers on the test's own Redis (`own_worker()`), and send this process's work there."""
    monkeypatch.setenv("CELERY_BROKER_WRITE_URL", own_redis.url)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    workers = []

    def start() -> OwnWorker:
        worker = OwnWorker(own_redis, mail_dir, tmp_path / f"worker-{len(workers)}.log")
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def signed_in_recently():
    """Sign `user` in on `client` as if they had just typed their password (actions that move money ask for it)."""
    from django.utils import timezone

    def sign_in(client, user):
        client.force_login(user)
        session = client.session
        session["authenticated_at"] = session["signed_in_at"] = timezone.now().isoformat()
        session.save()

    return sign_in
