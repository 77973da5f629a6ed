"""Every worker segments every deck term whole: one added in another process, before this one started
or while it runs, is one token here. The other worker is a real second process serving HTTP."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from app.models import Role
from tests.conftest import FIXED_NOW
from tests.helpers import PASSWORD, ApiClient, login

ROOT = Path(__file__).resolve().parent.parent
SERVE = """
import sys
from datetime import datetime
from werkzeug.serving import make_server
import app.clock
from app import create_app
app.clock.utcnow = lambda: datetime.fromisoformat(sys.argv[3])  # the test's fixed clock, so its tokens hold
app = create_app("testing", SQLALCHEMY_DATABASE_URI=sys.argv[1], instance_path=sys.argv[2])
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


@pytest.fixture
def other_worker(database_url, tmp_path):
    """Start another process serving the app on the same database; yields a function that starts it."""
    processes = []

    def start() -> str:
        process = subprocess.Popen([sys.executable, "-c", SERVE, database_url, str(tmp_path / "worker"),
                                    FIXED_NOW.isoformat()],
                                   cwd=ROOT, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
        processes.append(process)
        port = int(process.stdout.readline())
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                requests.get(f"{base}/healthz", timeout=5)
                return base
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("the other worker did not start")

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def tokens(base: str, token: str, text: str) -> list[str]:
    response = requests.post(f"{base}/api/v1/annotate", json={"text": text},
                             headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert response.status_code == 200, response.text
    return [t["text"] for t in response.json()["tokens"]]


def test_terms_added_elsewhere_segment_whole_in_every_worker(client, make_user, other_worker):
    make_user("teacher_li", PASSWORD, Role.INSTRUCTOR)
    teacher = ApiClient(client, login(client, "teacher_li"))
    deck_id = teacher.post("/decks", {"title": "Made-up words"}).json["id"]
    assert teacher.post(f"/decks/{deck_id}/terms", {"terms": [{"hanzi": "春运回家路"}]}).status_code == 201

    # A worker started after the term was added (or a restarted server) knows it from the start.
    base = other_worker()
    assert "春运回家路" in tokens(base, teacher.token, "今天春运回家路很好")
    # A term added by this process while the other one runs is known there from its next request.
    assert "排队买票人" not in tokens(base, teacher.token, "今天排队买票人很多")
    assert teacher.post(f"/decks/{deck_id}/terms", {"terms": [{"hanzi": "排队买票人"}]}).status_code == 201
    assert "排队买票人" in tokens(base, teacher.token, "今天排队买票人很多")
