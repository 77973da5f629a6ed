"""What the benchmarks that drive a real server share: a free port, gunicorn serving an app with the
repository's gunicorn.conf.py, its workers' pids and memory, and a fresh database."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import MetaData, create_engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import config  # noqa: E402

# Production settings, over plain HTTP on 127.0.0.1, with the sign-in limits out of the way: the
# benchmarks create many accounts from one address.
SERVER_ENV = {"GUITU_CONFIG": "production", "SECRET_KEY": "bench-" + "k" * 58, "SESSION_COOKIE_SECURE": "0",
              "PYTHONUNBUFFERED": "1", "LOGIN_RATE_LIMIT": "100000 per minute",
              "LOGIN_ACCOUNT_RATE_LIMIT": "100000 per minute", "REGISTER_RATE_LIMIT": "100000 per minute"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(url: str, workers: int, port: int, log, app: str = "wsgi:app", ready_path: str = "/healthz",
          env: dict | None = None) -> subprocess.Popen:
    """gunicorn with gunicorn.conf.py (the language core loaded before forking), until `ready_path`
    answers 200."""
    environ = {**os.environ, **SERVER_ENV, "DATABASE_URL": url, "WEB_CONCURRENCY": str(workers),
               "GUNICORN_BIND": f"127.0.0.1:{port}", **(env or {})}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app],
                              cwd=ROOT, env=environ, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}{ready_path}", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.2)
        if server.poll() is not None:
            break
    server.kill()
    raise SystemExit(f"gunicorn did not start; see its log {getattr(log, 'name', '')}")


def stop(server: subprocess.Popen) -> None:
    import signal

    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def workers_of(master: int) -> list[int]:
    try:
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


def memory_mb(pid: int) -> dict[str, float]:
    """Resident (RSS), proportional (PSS: pages shared with n processes count 1/n) and private (USS)
    memory of a process, in MB."""
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split(":", 1)
            fields[name] = int(value.split()[0]) / 1024
    except OSError:
        return {}
    return {"rss": fields.get("Rss", 0.0), "pss": fields.get("Pss", 0.0),
            "uss": fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0)}


def drop_everything(url: str) -> None:
    engine = create_engine(config.normalise_database_url(url))
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    engine.dispose()
