"""Polyphone accuracy and throughput of vocab's context-aware pinyin on the CPP development split."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vocab.reading import char_pinyin_lines  # noqa: E402

MARK = "\u2581"


def load(data_dir: Path) -> tuple[list[str], list[int], list[str]]:
    sents, idx, gold = [], [], []
    with open(data_dir / "dev.sent", encoding="utf-8") as fs, open(data_dir / "dev.lb", encoding="utf-8") as fl:
        for raw, label in zip(fs, fl):
            raw = raw.rstrip("\n")
            i = raw.index(MARK)
            sents.append(raw.replace(MARK, ""))
            idx.append(i)
            gold.append(label.strip().replace("u:", "ü"))
    return sents, idx, gold


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "cpp",
                    help="directory with dev.sent and dev.lb (default: %(default)s)")
    ap.add_argument("--batch", type=int, default=2000, help="lines converted per call (default: %(default)s)")
    ap.add_argument("--errors", type=int, default=0, help="show the N most frequent confusions")
    args = ap.parse_args()
    sents, idx, gold = load(args.data)
    chars = sum(len(s) for s in sents)
    # Load dictionary, segmenter and model before timing: throughput is for conversion, load is
    # measured by bench/dictionary_load.py.
    char_pinyin_lines(["银行行长还是长大了。"])
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    preds: list[str | None] = []
    for start in range(0, len(sents), args.batch):
        batch = sents[start:start + args.batch]
        out = char_pinyin_lines(batch)
        preds.extend(o[i] for o, i in zip(out, idx[start:start + args.batch]))
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    correct = sum(p == g for p, g in zip(preds, gold))
    print(f"sentences      {len(sents)}")
    print(f"characters     {chars}")
    print(f"accuracy       {100 * correct / len(gold):.2f} %  ({correct}/{len(gold)})")
    print(f"wall time      {wall:.2f} s  -> {chars / wall:,.0f} chars/s")
    print(f"cpu time       {cpu:.2f} s  -> {chars / cpu:,.0f} chars/s (all threads)")
    print(f"cpus allowed   {len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}")
    if args.errors:
        conf = Counter((sents[k][idx[k]], gold[k], preds[k]) for k in range(len(gold)) if preds[k] != gold[k])
        for (ch, g, p), n in conf.most_common(args.errors):
            print(f"  {ch} gold {g} got {p}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
