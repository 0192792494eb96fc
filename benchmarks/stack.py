"""The production processes on loopback (gunicorn with ``config.settings.prod``, ``db_worker``), for the load
run and the production-shape test: each starts in a process group of its own, logs to a file, and
``Stack.stop()`` ends every group it started, whatever happened."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict):
    """The ``DATABASE_URL`` of a Django PostgreSQL connection's settings."""
    user, password = (urllib.parse.quote(settings_dict[key] or "", safe="") for key in ("USER", "PASSWORD"))
    host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{settings_dict['NAME']}"


def prod_environment(*, database_url, static_root, **extra):
    """What ``config.settings.prod`` needs on loopback: a throwaway secret, 127.0.0.1, no HTTPS redirect."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "False",
        "STATIC_ROOT": str(static_root),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def wait_until(predicate, *, timeout, what):
    """Polls ``predicate`` until it returns something true; raises TimeoutError naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.1)
    raise TimeoutError(f"{what}: still not after {timeout} s")


class Stack:
    def __init__(self, log_dir):
        self.log_dir = Path(log_dir)
        self.processes = {}

    def start(self, name, argv, env):
        log = self.log_dir / f"{name}.log"
        with open(log, "wb") as output:
            process = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes[name] = process
        return process

    def log(self, name):
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def check_running(self, name):
        """Raises with the end of the log when the process has exited."""
        if self.processes[name].poll() is not None:
            raise RuntimeError(f"{name} exited ({self.processes[name].returncode}):\n{self.log(name)[-3000:]}")

    def gunicorn(self, *, port, env, workers=None, name="gunicorn"):
        """gunicorn with gunicorn.conf.py, on ``port``; ``workers`` processes, else the file's number."""
        argv = [BIN / "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
        return self.start(name, argv + (["--workers", str(workers)] if workers else []), env)

    def db_worker(self, *, worker_id, env):
        return self.start(worker_id, [sys.executable, "manage.py", "db_worker", "--worker-id", worker_id], env)

    def stop(self, timeout=10):
        """SIGTERM to every group (gunicorn and db_worker stop gracefully), then SIGKILL to whatever is left."""
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(0.1, deadline - time.monotonic()))
            _signal_group(process, signal.SIGKILL)
            process.wait()


def _signal_group(process, signum):
    with contextlib.suppress(ProcessLookupError):  # the whole group has already exited
        os.killpg(process.pid, signum)
