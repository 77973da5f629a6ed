"""Load time and added memory of vocab's dictionary (and the rest of vocab.warm()), cold and warm cache."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in a fresh interpreter so nothing is already imported or cached in memory.
_CHILD = r"""
import json, os, sys, time
sys.path.insert(0, sys.argv[1])

def rss_mb():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

what = sys.argv[2]
base = rss_mb()
t0 = time.perf_counter()
if what == "dictionary":
    from vocab.dictionary import get_dictionary
    d = get_dictionary()
    d.lookup("银行"); d.lookup("長城")
else:
    import vocab
    vocab.warm()
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "rss_added_mb": rss_mb() - base, "rss_mb": rss_mb()}))
"""


def run(what: str, cache_dir: str) -> dict:
    env = dict(os.environ, GUITU_CACHE_DIR=cache_dir)
    out = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), what], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3, help="warm runs to average (default: %(default)s)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="guitu-bench-") as tmp:
        for what in ("dictionary", "warm"):
            label = "dictionary only" if what == "dictionary" else "vocab.warm() (dictionary + jieba + pinyin model)"
            cache = os.path.join(tmp, what)
            cold = run(what, cache)  # empty cache dir: parses CC-CEDICT and writes the caches
            warm = [run(what, cache) for _ in range(args.repeat)]
            secs = sum(w["seconds"] for w in warm) / len(warm)
            rss = sum(w["rss_added_mb"] for w in warm) / len(warm)
            print(f"{label}")
            print(f"  cold (no cache)  {cold['seconds']:.2f} s, +{cold['rss_added_mb']:.0f} MB RSS")
            print(f"  warm (cached)    {secs:.2f} s, +{rss:.0f} MB RSS (mean of {len(warm)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
