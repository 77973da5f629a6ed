"""Time the server's speech: the five film terms and a sentence, from text to WAV (context pinyin, then
eSpeak NG), and the engine's installed size. The language core is loaded first (vocab.warm), as a
running server has it; the first synthesis also starts libespeak-ng.

    .venv/bin/python bench/speech.py
"""
from __future__ import annotations

import io
import statistics
import sys
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import vocab  # noqa: E402

WORDS = ("归途列车", "过年", "春节", "孝顺", "户口")
SENTENCE = "过年的时候，他们坐火车回家，车站里挤满了打工的人。"


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def synthesise(text: str, n: int) -> tuple[list[float], float, str]:
    """n syntheses of the text (the first also reads its pinyin; later ones find it in vocab's caches)."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        data = vocab.synthesize(text)
        times.append((time.perf_counter() - t0) * 1000)
    with wave.open(io.BytesIO(data)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    return times, seconds, vocab.spoken_pinyin(text)


def main() -> int:
    import espeakng_loader

    package = Path(espeakng_loader.__file__).parent
    print(f"engine: {vocab.SPEECH_ENGINE}; installed size {size_of(package) / 2**20:.1f} MB "
          f"(voice data {size_of(package / 'espeak-ng-data') / 2**20:.1f} MB)")
    t0 = time.perf_counter()
    vocab.warm()
    print(f"language core loaded in {time.perf_counter() - t0:.2f} s")
    t0 = time.perf_counter()
    vocab.synthesize("过年")
    print(f"first synthesis (starts libespeak-ng): {(time.perf_counter() - t0) * 1000:.1f} ms")
    for text in (*WORDS, SENTENCE):
        times, seconds, reading = synthesise(text, 20)
        print(f"{text}: {seconds:.1f} s of audio; first {times[0]:.1f} ms, then mean "
              f"{statistics.mean(times[1:]):.1f} ms; reads {reading}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
