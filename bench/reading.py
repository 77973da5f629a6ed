"""What learners see, measured: shown pinyin, senses and names on Guitu's labelled set, speed, and
polyphone accuracy on the CPP development split.

    .venv/bin/python bench/reading.py            # everything
    .venv/bin/python bench/reading.py --errors 40  # and the first 40 mistakes of each kind
    .venv/bin/python bench/reading.py --readings R.tsv --senses S.tsv  # another labelled set
    taskset -c 0 .venv/bin/python bench/reading.py --cpp-only   # CPP accuracy and speed on one core
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vocab.annotation import annotate_lines  # noqa: E402
from vocab.evaluate import load_readings, load_senses, score_readings, score_senses  # noqa: E402
from vocab.reading import char_pinyin_lines  # noqa: E402

DATA = ROOT / "tests" / "vocab" / "data"
CPP = ROOT.parent / "shared" / "data" / "cpp"
MARK = "\u2581"


def load_cpp(data_dir: Path) -> tuple[list[str], list[int], list[str]]:
    sents, idx, gold = [], [], []
    with open(data_dir / "dev.sent", encoding="utf-8") as fs, open(data_dir / "dev.lb", encoding="utf-8") as fl:
        for raw, label in zip(fs, fl):
            raw = raw.rstrip("\n")
            i = raw.index(MARK)
            sents.append(raw.replace(MARK, ""))
            idx.append(i)
            gold.append(label.strip().replace("u:", "ü"))
    return sents, idx, gold


def cpp(data_dir: Path, batch: int, errors: int) -> None:
    sents, idx, gold = load_cpp(data_dir)
    chars = sum(len(s) for s in sents)
    char_pinyin_lines(["银行行长还是长大了。"])  # load everything before timing
    t0, cpu0 = time.perf_counter(), time.process_time()
    preds: list[str | None] = []
    for start in range(0, len(sents), batch):
        out = char_pinyin_lines(sents[start:start + batch])
        preds.extend(o[i] for o, i in zip(out, idx[start:start + batch]))
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    right = sum(p == g for p, g in zip(preds, gold))
    print(f"CPP dev: {len(gold)} polyphones in {len(sents)} sentences, {chars} characters")
    print(f"  accuracy              {100 * right / len(gold):.2f} %  ({right}/{len(gold)})")
    print(f"  pinyin speed          {chars / wall:,.0f} chars/s wall, {chars / cpu:,.0f} chars/s CPU "
          f"({len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'} CPUs allowed)")
    if errors:
        conf = Counter((sents[k][idx[k]], gold[k], preds[k]) for k in range(len(gold)) if preds[k] != gold[k])
        for (ch, g, p), n in conf.most_common(errors):
            print(f"    {ch} gold {g} got {p}: {n}")


def speed() -> None:
    text = (ROOT / "vocab" / "data" / "last_train_home.tsv").read_text(encoding="utf-8")
    han = "".join(line.split("\t")[5] for line in text.splitlines()[1:] if line.count("\t") > 5)
    sample = (han * (5000 // len(han) + 1))[:5000]
    annotate_lines([sample[:100]])  # warm
    runs, cpu = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        annotate_lines([sample])
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"annotate 5,000 characters (warm): best {min(runs) * 1000:.0f} ms, median "
          f"{sorted(runs)[2] * 1000:.0f} ms wall; best {min(cpu) * 1000:.0f} ms CPU")


def labelled(errors: int, readings: Path, senses_path: Path) -> None:
    cases = load_readings(readings)
    t0 = time.perf_counter()
    s = score_readings(cases)
    wall = time.perf_counter() - t0
    print(f"Reading set: {len(cases)} sentences, {s.chars} Han characters ({wall:.1f} s)")
    print(f"  shown pinyin, polyphones (strict)  {100 * s.polyphone_accuracy:.2f} %  "
          f"({s.polyphones_right}/{s.polyphones})")
    print(f"  shown pinyin, all characters       {100 * s.char_accuracy:.2f} %  ({s.chars_right}/{s.chars})")
    print(f"  names kept whole                   {100 * s.names_accuracy:.2f} %  ({s.names_whole}/{s.names}; "
          f"{s.names_marked} marked as names)")
    by_cat: Counter[str] = Counter()
    for case, _, _ in s.errors:
        by_cat[case.category] += 1
    if errors:
        for case, k, got in s.errors[:errors]:
            han = [ch for ch in case.sentence if "\u3400" <= ch <= "\u9fff" or ch == "〇"]
            print(f"    {case.line}: {case.sentence}  {han[k]} want {'/'.join(sorted(case.labels[k]))} got {got}")
        for case, name in s.split_names[:errors]:
            print(f"    {case.line}: {case.sentence}  name {name} split")
    senses = load_senses(senses_path)
    ss = score_senses(senses)
    print(f"Sense set: {len(senses)} cases; in {ss.inside} the dictionary reads the word as part of a longer one")
    print(f"  first sense right                  {100 * ss.accuracy:.2f} %  ({ss.right}/{ss.cases})")
    print(f"  reading right                      {100 * ss.reading_right / ss.cases:.2f} %")
    if errors:
        for case, reading, first in ss.errors[:errors]:
            print(f"    {case.line}: {case.sentence} {case.word} want '{case.sense}' got '{first}' [{reading}]")
        for case, holder in ss.longer[:errors]:
            print(f"    {case.line}: {case.sentence} {case.word} is read inside {holder}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cpp", type=Path, default=CPP, help="directory with CPP's dev.sent and dev.lb")
    ap.add_argument("--batch", type=int, default=2000, help="CPP lines per call (default: %(default)s)")
    ap.add_argument("--errors", type=int, default=0, help="show the first N mistakes of each kind")
    ap.add_argument("--cpp-only", action="store_true", help="only the CPP figures")
    ap.add_argument("--readings", type=Path, default=DATA / "readings.tsv",
                    help="labelled sentences (default: %(default)s; any file in its format, e.g. a held-out set)")
    ap.add_argument("--senses", type=Path, default=DATA / "senses.tsv", help="labelled senses (default: %(default)s)")
    args = ap.parse_args()
    if not args.cpp_only:
        labelled(args.errors, args.readings, args.senses)
        speed()
    if (args.cpp / "dev.sent").exists():
        cpp(args.cpp, args.batch, args.errors)
    else:
        print(f"CPP dev split not found in {args.cpp}; skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
