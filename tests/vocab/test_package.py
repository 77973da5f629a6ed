"""Package-level promises: no Flask, lazy loading, warm() from many threads."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import vocab

ROOT = Path(__file__).resolve().parents[2]


def test_vocab_never_imports_flask_and_loads_lazily():
    code = ("import sys, vocab\n"
            "assert 'jieba' not in sys.modules and 'numpy' not in sys.modules\n"
            "vocab.numbers_to_marks('gui1')\n"
            "assert 'jieba' not in sys.modules\n"
            "vocab.warm(); vocab.annotate('归途列车'); vocab.extract_terms('春运')\n"
            "assert not any(m == 'flask' or m.startswith('flask.') for m in sys.modules)\n"
            "assert 'pypinyin.phrases_dict' not in sys.modules\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_warm_and_use_from_many_threads():
    results: list[str] = []
    errors: list[BaseException] = []

    def work():
        try:
            vocab.warm()
            results.append(vocab.pinyin("我去银行还钱。", style="numbers"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == ["wo3 qu4 yin2 hang2 huan2 qian2。"] * 8


def test_public_names_resolve():
    for name in vocab.__all__:
        assert getattr(vocab, name) is not None
    assert callable(vocab.pinyin) and callable(vocab.segment) and callable(vocab.annotate)
