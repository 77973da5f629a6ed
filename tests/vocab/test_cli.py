"""`python -m vocab`: per-character pinyin alignment, file commands, and bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin.pinyin_dict import pinyin_dict

from vocab.cli import escape_char, main, per_char_lines
from vocab.hanzi import is_han

ROOT = Path(__file__).resolve().parents[2]
SYLLABLE = r"^[a-zü]+[1-5]$"


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vocab", *args], cwd=ROOT, input=stdin,
                          capture_output=True, timeout=120)


# Any character but the line separator, including controls, tabs and lone surrogates.
line_text = st.text(st.characters(exclude_characters="\n", exclude_categories=()), max_size=30)
han_heavy = st.text(st.sampled_from(list("了行长还得地重觉都乐我们银春运归途列车一不 \t\r,.a1😀𠀀\u2028\x0b")),
                    max_size=30)


@given(st.one_of(line_text, han_heavy))
@settings(max_examples=200, deadline=None)
def test_per_char_output_has_one_token_per_input_character(text):
    [out] = per_char_lines([text])
    tokens = out.split("\t")
    if text == "":
        assert out == ""
        return
    assert len(tokens) == len(text)
    assert "\n" not in out
    for ch, tok in zip(text, tokens):
        if "\u4e00" <= ch <= "\u9fff" and ord(ch) in pinyin_dict:
            assert re.match(SYLLABLE, tok), (ch, tok)
        elif "\u4e00" <= ch <= "\u9fff":
            # 68 characters of the block (e.g. recent additions like 鿐) have no known reading: echoed.
            assert tok == ch, (ch, tok)
        elif tok != escape_char(ch):
            # Other Han blocks (Extension A/B, compatibility ideographs, 〇) may get a reading too.
            assert re.match(SYLLABLE, tok) and is_han(ch), (ch, tok)


def test_per_char_end_to_end():
    stdin = "我觉得他跑得很快。\n\na\tb 了\r\n银行\n".encode()
    proc = run("pinyin", "--per-char", stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().split("\n")
    assert lines[0].split("\t") == ["wo3", "jue2", "de5", "ta1", "pao3", "de5", "hen3", "kuai4", "。"]
    assert lines[1] == ""  # empty line in, empty line out
    assert lines[2].split("\t") == ["a", "\\t", "b", " ", "le5"]  # CRLF accepted, tab echoed as \t
    assert lines[3] == "yin2\thang2"
    assert lines[4:] == [""]


def test_per_char_keeps_lone_surrogates_as_one_token(capsysbinary, monkeypatch):
    import io

    data = "了\ud800x\n".encode("utf-8", "surrogatepass")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["pinyin", "--per-char"]) == 0
    out = capsysbinary.readouterr().out.decode()
    assert out == "le5\t\\ud800\tx\n"


def test_pinyin_sentence_mode():
    proc = run("pinyin", "--style", "numbers", stdin="归途列车\n".encode())
    assert proc.stdout.decode() == "gui1 tu2 lie4 che1\n"


def test_annotate_and_extract_files(tmp_path, capsys):
    f = tmp_path / "t.txt"
    f.write_text("他们在广州打工。\n他们回四川。\n", encoding="utf-8")
    assert main(["annotate", str(f), "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["text"] == "他们" and rows[0]["line"] == 1 and rows[0]["pinyin"] == "tāmen"
    assert {r["line"] for r in rows} == {1, 2}
    assert main(["annotate", str(f)]) == 0
    tsv = capsys.readouterr().out.splitlines()
    assert tsv[0].split("\t")[:3] == ["line", "text", "kind"]
    assert main(["extract", str(f), "--limit", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[1].startswith("他们\t他們\ttāmen")


@pytest.mark.parametrize("content,reason", [
    (b"\xff\xfe\x00a", "binary"),
    (b"abc \xe4\xb8", "not valid UTF-8"),
    (b"caf\xe9\n", "not valid UTF-8"),
    (b"", "empty"),
])
@pytest.mark.parametrize("command", ["annotate", "extract"])
def test_bad_input_exits_non_zero_with_one_line_reason(tmp_path, capsys, content, reason, command):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    assert main([command, str(f)]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and reason in err[0]


def test_missing_file_and_directory(tmp_path, capsys):
    assert main(["annotate", str(tmp_path / "nope.txt")]) != 0
    assert "no such file" in capsys.readouterr().err
    assert main(["extract", str(tmp_path)]) != 0
    assert "directory" in capsys.readouterr().err


def test_bad_input_end_to_end_has_no_traceback(tmp_path):
    f = tmp_path / "bin.dat"
    f.write_bytes(bytes(range(256)))
    proc = run("annotate", str(f))
    assert proc.returncode != 0
    err = proc.stderr.decode()
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    proc = run("pinyin", "--per-char", stdin=b"\xff\n")
    assert proc.returncode != 0 and b"Traceback" not in proc.stderr


@pytest.mark.parametrize("command", ["pinyin", "annotate", "extract", "lookup"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_a_han_character_without_any_known_reading_is_echoed():
    [out] = per_char_lines(["鿐了"])
    assert out.split("\t") == ["鿐", "le5"]
