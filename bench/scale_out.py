"""Guitu scaled out: two gunicorn instances on one PostgreSQL database, Redis for the rate limits, nginx in
front (round robin). Checks that nothing breaks across instances, and times the review loop through
the proxy:

- sessions: a learner logged in through the proxy stays logged in whichever instance answers;
- rate limits: failed logins count once, whichever instance they reach (Redis);
- idempotent sync: one review sent to both instances is recorded once;
- segmentation: a term an instructor adds through one instance is one word on the other at once.

Needs PostgreSQL, Redis and nginx (Debian: apt-get install nginx-light).

    .venv/bin/python bench/scale_out.py --reset --database-url postgresql+psycopg://postgres@127.0.0.1:5432/guitu_scale
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.review_load import PASSWORD, prepare_database  # noqa: E402
from bench.server import drop_everything, free_port, serve, stop  # noqa: E402

NGINX = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream guitu {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 16m;
        location / {{
            proxy_pass http://guitu;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def start_nginx(a: int, b: int, port: int) -> tuple[subprocess.Popen, Path]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise SystemExit("nginx is not installed (Debian: apt-get install nginx-light)")
    workdir = Path(tempfile.mkdtemp(prefix="guitu-nginx-"))
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX.format(dir=workdir, a=a, b=b, port=port))
    proc = subprocess.Popen([binary, "-c", str(conf), "-p", str(workdir)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(100):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return proc, workdir
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"nginx did not start; see {workdir}/error.log")


def csrf(session: requests.Session, url: str) -> str | None:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', session.get(url).text)
    return found.group(1) if found else None


def check_sessions(proxy: str) -> str:
    session = requests.Session()
    name = f"scale-{uuid.uuid4().hex[:6]}"
    session.post(f"{proxy}/auth/register", data={"csrf_token": csrf(session, f"{proxy}/auth/register"),
                                                 "username": name, "password": PASSWORD, "confirm": PASSWORD,
                                                 "role": "learner"})
    token = csrf(session, f"{proxy}/auth/login")
    if token:  # registering may log the new learner in already
        session.post(f"{proxy}/auth/login", data={"csrf_token": token, "username": name, "password": PASSWORD})
    upstreams, logged_in = set(), 0
    for _ in range(20):
        answer = session.get(f"{proxy}/decks", allow_redirects=False)
        upstreams.add(answer.headers.get("X-Upstream"))
        logged_in += answer.status_code == 200
    ok = logged_in == 20 and len(upstreams) == 2
    return f"{'ok' if ok else 'FAILED'}: 20 of 20 page views logged in? {logged_in}/20, over {len(upstreams)} instances"


def check_rate_limit(proxy: str, limit: int) -> str:
    """Run first on a fresh Redis: every login attempt from this address, through either instance,
    counts against one budget."""
    codes = []
    upstreams = set()
    for _ in range(limit + 1):
        answer = requests.post(f"{proxy}/api/v1/tokens", auth=(f"nobody-{uuid.uuid4().hex[:4]}", "wrong password"))
        codes.append(answer.status_code)
        upstreams.add(answer.headers.get("X-Upstream"))
    ok = codes[:limit] == [401] * limit and codes[limit] == 429 and len(upstreams) == 2
    return (f"{'ok' if ok else 'FAILED'}: {limit} failed logins over {len(upstreams)} instances, then "
            f"{codes[limit]} (limit {limit} per minute, counted in Redis)")


def api_user(base: str, role: str = "learner") -> dict:
    name = f"scale-{role}-{uuid.uuid4().hex[:6]}"
    assert requests.post(f"{base}/api/v1/users", json={"username": name, "password": PASSWORD, "role": role}).status_code == 201
    token = requests.post(f"{base}/api/v1/tokens", auth=(name, PASSWORD)).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def check_sync(a: str, b: str) -> str:
    headers = api_user(a)
    deck = next(d for d in requests.get(f"{a}/api/v1/decks", headers=headers).json()["decks"] if d["builtin"])
    requests.post(f"{a}/api/v1/decks/{deck['id']}/study", headers=headers, json={})
    card = requests.get(f"{a}/api/v1/review/next", headers=headers).json()["card"]
    item = {"card_id": card["id"], "rating": 3, "client_review_id": uuid.uuid4().hex}
    first = requests.post(f"{a}/api/v1/reviews", headers=headers, json={"reviews": [item]}).json()
    again = requests.post(f"{b}/api/v1/reviews", headers=headers, json={"reviews": [item]}).json()
    reps = requests.get(f"{b}/api/v1/cards/{card['id']}", headers=headers).json()["reps"]
    ok = first["results"][0]["applied"] and again["results"][0]["duplicate"] and reps == 1
    return f"{'ok' if ok else 'FAILED'}: the same review sent to both instances: recorded {reps} time(s)"


def check_segmentation(a: str, b: str) -> str:
    headers = api_user(a, "instructor")
    term = "鹅鸭杀鱼丸"
    before = [t["text"] for t in requests.post(f"{b}/api/v1/annotate", headers=headers,
                                                json={"text": f"我喜欢{term}"}).json()["tokens"]]
    deck = requests.post(f"{a}/api/v1/decks", headers=headers, json={"title": "Scale"}).json()
    requests.post(f"{a}/api/v1/decks/{deck['id']}/terms", headers=headers,
                  json={"terms": [{"hanzi": term, "english": "a game"}]})
    after = [t["text"] for t in requests.post(f"{b}/api/v1/annotate", headers=headers,
                                               json={"text": f"我喜欢{term}"}).json()["tokens"]]
    ok = term not in before and term in after
    return f"{'ok' if ok else 'FAILED'}: added on one instance, one word on the other: {'|'.join(after)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/guitu_scale")
    parser.add_argument("--reset", action="store_true", help="drop every table in the database first")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    args = parser.parse_args()
    if args.reset:
        drop_everything(args.database_url)
    prepare_database(args.database_url)
    redis.Redis.from_url(args.redis).flushdb()
    limit = 12
    env = {"RATELIMIT_STORAGE_URI": args.redis, "PROXY_COUNT": "1", "LOGIN_RATE_LIMIT": f"{limit} per minute",
           "LOGIN_ACCOUNT_RATE_LIMIT": "1000 per minute"}
    log = tempfile.NamedTemporaryFile("w+", prefix="guitu-scale-", suffix=".log", delete=False)
    ports = free_port(), free_port()
    instances = [serve(args.database_url, args.workers, port, log, env=env) for port in ports]
    proxy_port = free_port()
    nginx, workdir = start_nginx(*ports, proxy_port)
    a, b = (f"http://127.0.0.1:{port}" for port in ports)
    try:
        results = {"rate limits": check_rate_limit(f"http://127.0.0.1:{proxy_port}", limit)}
        redis.Redis.from_url(args.redis).flushdb()  # a fresh budget for the other checks' logins
        results |= {
            "sessions": check_sessions(f"http://127.0.0.1:{proxy_port}"),
            "idempotent sync": check_sync(a, b),
            "segmentation of instructor terms": check_segmentation(a, b),
        }
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        for server in instances:
            stop(server)
        shutil.rmtree(workdir, ignore_errors=True)
    for name, result in results.items():
        print(f"{name:34} {result}")
    return 0 if all(r.startswith("ok") for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
