"""Where the review loop's time goes, in the real server: bench/review_load.py's clients run against
gunicorn while py-spy samples every worker; prints the functions that hold the most samples.

    .venv/bin/python bench/profile_review.py [--seconds 20] [--database-url URL --reset]

"own" is time in the function itself; "inclusive" counts a sample for every Guitu function on its stack
(so the rows overlap). py-spy needs ptrace rights (root, or kernel.yama.ptrace_scope=0).
"""
from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.review_load import _review_client, enroll, prepare_database, run_clients  # noqa: E402
from bench.server import drop_everything, free_port, serve, stop, workers_of  # noqa: E402

FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


def _where(frame: str) -> tuple[str, str]:
    match = FRAME.match(frame)
    if not match:
        return frame, ""
    path = match["file"]
    for marker in ("site-packages/", "/lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    else:
        path = path.replace(str(ROOT) + "/", "")
    return match["name"], path


def summarise(raw_files: list[Path], top: int) -> None:
    own, inclusive, packages, total = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for raw in raw_files:
        for line in raw.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                continue
            n = int(count)
            frames = [_where(f) for f in stack.split(";")]
            total += n
            name, path = frames[-1]
            own[f"{name} ({path})"] += n
            for name, path in {f for f in frames if f[1].startswith(("app/", "vocab/"))}:
                inclusive[f"{name} ({path})"] += n
            for package in {path.split("/", 1)[0].removesuffix(".py") for _, path in frames if path}:
                packages[package] += n
    print(f"{total} samples over {len(raw_files)} workers")
    print("\nown time (top functions)")
    for key, n in own.most_common(top):
        print(f"  {100 * n / total:5.1f} %  {key}")
    print("\ninclusive time, by package (a sample counts for every package on its stack)")
    for key, n in packages.most_common(top):
        print(f"  {100 * n / total:5.1f} %  {key}")
    print("\ninclusive time, Guitu's functions")
    for key, n in inclusive.most_common(top):
        print(f"  {100 * n / total:5.1f} %  {key}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--learners", type=int, default=96)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp(prefix='guitu-prof-')) / 'prof.sqlite3'}"
    if args.reset:
        drop_everything(url)
    prepare_database(url)
    out = Path(tempfile.mkdtemp(prefix="guitu-pyspy-"))
    log = tempfile.NamedTemporaryFile("w+", prefix="guitu-prof-gunicorn-", suffix=".log", delete=False)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(url, args.workers, port, log)
    try:
        tokens = enroll(base, args.learners)
        spies = [subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid),
                                   "--duration", str(args.seconds), "--rate", "200", "--format", "raw",
                                   "--output", str(out / f"{pid}.txt"), "--nonblocking"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for pid in workers_of(server.pid)]
        shares = [tokens[i::args.clients] for i in range(args.clients)]
        results = run_clients(_review_client, [(base, share, args.seconds) for share in shares])
        for spy in spies:
            spy.wait(timeout=60)
    finally:
        stop(server)
    reviews = sum(r["reviews"] for r in results)
    print(f"{reviews / max(r['elapsed'] for r in results):.1f} reviews per second while sampled")
    summarise(sorted(out.glob("*.txt")), args.top)
    print(f"\npy-spy's raw stacks: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
