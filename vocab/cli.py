"""Command line: `python -m vocab pinyin|annotate|extract|lookup`."""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
import unicodedata
from dataclasses import asdict
from typing import BinaryIO, Iterator, Sequence

__all__ = ["main", "escape_char", "per_char_lines"]

_BATCH = 256  # lines per model batch: large enough to amortise numpy calls, small enough to stream


class InputError(Exception):
    """Bad input file: reported as one line on stderr, exit status 1."""


def escape_char(ch: str) -> str:
    """How `pinyin --per-char` echoes a non-Han character.

    Output is tab-separated and line-oriented, so characters that would break that are escaped:
    tab -> \\t, carriage return -> \\r, backslash stays a single backslash, any other control or
    line/paragraph separator (and lone surrogates) -> \\xHH / \\uHHHH. Everything else,
    including a plain space, is echoed as itself.
    """
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Zl", "Zp", "Cs") or ch in "\x85\u2028\u2029":
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def _open_binary(path: str) -> tuple[BinaryIO, int | None]:
    if path == "-":
        return sys.stdin.buffer, None
    try:
        if os.path.isdir(path):
            raise InputError(f"{path}: is a directory")
        fh = open(path, "rb")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    try:
        size = os.fstat(fh.fileno()).st_size
    except OSError:
        size = None
    return fh, size


def _validate(fh: BinaryIO, name: str) -> None:
    """Check a whole regular file before any output, so bad input never leaves half a result.

    One streaming pass (64 KiB at a time) costs far less than annotating; pipes are checked as
    they are read instead.
    """
    try:
        if not fh.seekable():
            return
    except (AttributeError, OSError):
        return
    for _ in _lines(fh, name):
        pass
    fh.seek(0)


def _lines(fh: BinaryIO, name: str, progress=None, surrogates: bool = False,
           strip_bom: bool = True) -> Iterator[str]:
    """Decode UTF-8 incrementally, yielding lines without their '\\n' (and a '\\r' before it).

    Only '\\n' ends a line: other characters str.splitlines treats as breaks (\\x0b, \\x1c,
    U+2028 …) are content. Raises InputError on invalid UTF-8 or NUL bytes (binary files).
    """
    decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass" if surrogates else "strict")
    offset = 0
    pending = ""
    seen_any = False
    while True:
        chunk = fh.read(1 << 16)
        final = not chunk
        if chunk:
            seen_any = True
            if b"\x00" in chunk:
                raise InputError(f"{name}: looks like a binary file (contains NUL bytes), expected UTF-8 text")
        try:
            text = decoder.decode(chunk, final)
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}: not valid UTF-8 text (byte {offset + exc.start})") from None
        offset += len(chunk)
        if progress is not None and chunk:
            progress.update(len(chunk))
        if strip_bom and offset == len(chunk) and text.startswith("\ufeff"):
            text = text[1:]  # a UTF-8 BOM is an encoding marker, not a character of the first line
        pending += text
        parts = pending.split("\n")
        pending = parts.pop()
        for line in parts:
            yield line[:-1] if line.endswith("\r") else line
        if final:
            break
    if not seen_any:
        raise InputError(f"{name}: file is empty")
    if pending:
        yield pending[:-1] if pending.endswith("\r") else pending


def _batches(lines: Iterator[str], size: int = _BATCH) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _progress(size: int | None, name: str):
    # tqdm's delay keeps quick runs silent: the bar appears only once a file takes over a second.
    from tqdm import tqdm

    if size is None or not sys.stderr:
        return None
    return tqdm(total=size, unit="B", unit_scale=True, desc=os.path.basename(name), delay=1.0,
                file=sys.stderr, leave=False)


def _no_surrogates(line: str) -> str:
    if not any("\ud800" <= c <= "\udfff" for c in line):
        return line
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in line)


def per_char_lines(lines: Sequence[str]) -> list[str]:
    """The `pinyin --per-char` output line for each input line (without its newline)."""
    from .reading import char_pinyin_lines

    # The segmenter and model see lone surrogates replaced by U+FFFD: one character for one, so
    # positions still line up.
    clean = [_no_surrogates(line) for line in lines]
    out = []
    for line, syl in zip(lines, char_pinyin_lines(clean)):
        if len(syl) != len(line):  # defensive: never break the one-token-per-char contract
            syl = [None] * len(line)
        out.append("\t".join(s.lower() if s else escape_char(ch) for ch, s in zip(line, syl)))
    return out


def cmd_pinyin(args: argparse.Namespace) -> int:
    from .reading import Style, pinyin

    out = sys.stdout
    # Read bytes so we decide the decoding: strict UTF-8, but lone surrogates (surrogatepass)
    # are kept as characters so every input character still gets its own output token.
    lines = _lines(sys.stdin.buffer, "stdin", surrogates=True, strip_bom=False)
    for batch in _batches(lines):
        if args.per_char:
            for line in per_char_lines(batch):
                out.write(line + "\n")
        else:
            for line in batch:
                text = _no_surrogates(line)
                out.write(pinyin(text, Style(args.style), sandhi=args.sandhi) + "\n")
        out.flush()
    return 0


_TSV_FIELDS = ("line", "text", "kind", "simplified", "traditional", "pinyin", "pinyin_numbers", "hsk", "gloss")


def _tsv_cell(value) -> str:
    if value is None:
        return ""
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def cmd_annotate(args: argparse.Namespace) -> int:
    from .annotation import TokenKind, annotate_lines

    fh, size = _open_binary(args.file)
    out = sys.stdout
    bar = None
    try:
        _validate(fh, args.file)
        bar = _progress(size, args.file)
        lineno = 0
        for i, batch in enumerate(_batches(_lines(fh, args.file, bar))):
            if i == 0 and args.format == "tsv":
                out.write("\t".join(_TSV_FIELDS) + "\n")
            for line_tokens in annotate_lines(batch):
                lineno += 1
                for t in line_tokens:
                    if t.kind is TokenKind.WHITESPACE and not args.whitespace:
                        continue
                    # Built by hand: dataclasses.asdict deep-copies every field and was a third
                    # of the run time on large files.
                    row = {"line": lineno, "text": t.text, "kind": t.kind.value, "simplified": t.simplified,
                           "traditional": t.traditional, "pinyin": t.pinyin, "pinyin_numbers": t.pinyin_numbers,
                           "hsk": t.hsk, "gloss": t.gloss}
                    if args.format == "json":
                        out.write(json.dumps(row, ensure_ascii=False) + "\n")
                    else:
                        out.write("\t".join(_tsv_cell(row[f]) for f in _TSV_FIELDS) + "\n")
    finally:
        if bar is not None:
            bar.close()
        if fh is not sys.stdin.buffer:
            fh.close()
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from .extract import TermCounter
    from .segmentation import sentences

    known: list[str] = []
    if args.known:
        kfh, _ = _open_binary(args.known)
        with kfh:
            known = [w.split("\t")[0] for w in _lines(kfh, args.known) if w.strip()]
    fh, size = _open_binary(args.file)
    counter = TermCounter(known)
    bar = None
    try:
        _validate(fh, args.file)
        bar = _progress(size, args.file)
        def sents() -> Iterator[str]:
            for line in _lines(fh, args.file, bar):
                for s in sentences(line):
                    if s.strip():
                        yield s

        for batch in _batches(sents()):
            counter.add_sentences(batch)
    finally:
        if bar is not None:
            bar.close()
        if fh is not sys.stdin.buffer:
            fh.close()
    out = sys.stdout
    fields = ("simplified", "traditional", "pinyin", "pinyin_numbers", "hsk", "count", "gloss", "context")
    if args.format == "tsv":
        out.write("\t".join(fields) + "\n")
    for c in counter.result(args.limit):
        row = asdict(c)
        if args.format == "json":
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            out.write("\t".join(_tsv_cell(row[f]) for f in fields) + "\n")
    return 0


def cmd_lookup(args: argparse.Namespace) -> int:
    from .term import lookup_term

    for word in args.words:
        info = lookup_term(word)
        print(json.dumps(asdict(info) | {"ambiguous": info.ambiguous}, ensure_ascii=False))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from .dictionary_search import search

    for match in search(" ".join(args.query), args.limit):
        e = match.entry
        print(json.dumps({"simplified": e.simplified, "traditional": e.traditional, "pinyin": e.pinyin_marks,
                          "senses": list(e.meanings), "hsk": match.hsk, "classifiers": list(e.classifiers)},
                         ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m vocab", description="Guitu's Chinese language tools.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    pp = sub.add_parser("pinyin", help="pinyin of each line on stdin",
                        description="Read UTF-8 lines on stdin and print their pinyin, one output line per input line.")
    pp.add_argument("--per-char", action="store_true",
                    help="one tab-separated token per input character: numbered pinyin (le5, lü4) for "
                         "Han characters, the character itself otherwise. Lines end at \\n (a \\r just "
                         "before it is part of the line ending); an empty line gives an empty line. "
                         "Characters that would break the format are escaped: a tab as \\t, a carriage "
                         "return as \\r, other control characters, line separators and lone surrogates "
                         "as \\xHH or \\uHHHH")
    pp.add_argument("--style", choices=["marks", "numbers", "zhuyin"],
                    default="marks", help="without --per-char: marks (default), numbers or zhuyin")
    pp.add_argument("--sandhi", action="store_true", help="without --per-char: show tone sandhi (一, 不, 3-3)")
    pp.set_defaults(func=cmd_pinyin)

    pa = sub.add_parser("annotate", help="annotate a text file token by token",
                        description="Annotate a UTF-8 text file: one row per token with forms, pinyin, gloss and HSK level.")
    pa.add_argument("file", help="UTF-8 text file, or - for stdin")
    pa.add_argument("--format", choices=["tsv", "json"], default="tsv",
                    help="tsv (default, with a header row) or json (JSON Lines: one object per token)")
    pa.add_argument("--whitespace", action="store_true", help="also output whitespace tokens")
    pa.set_defaults(func=cmd_annotate)

    pe = sub.add_parser("extract", help="list candidate study words in a text file",
                        description="List the Chinese words of a UTF-8 text file, most frequent first, with context.")
    pe.add_argument("file", help="UTF-8 text file, or - for stdin")
    pe.add_argument("--known", metavar="FILE", help="words the learner knows, one per line (first column)")
    pe.add_argument("--limit", type=int, default=None, help="at most this many words")
    pe.add_argument("--format", choices=["tsv", "json"], default="tsv", help="tsv (default) or json (JSON Lines)")
    pe.set_defaults(func=cmd_extract)

    pl = sub.add_parser("lookup", help="dictionary data for terms (JSON, one line per term)",
                        description="Print what an instructor form needs for each term, as JSON lines.")
    pl.add_argument("words", nargs="+", help="terms in simplified or traditional characters")
    pl.set_defaults(func=cmd_lookup)

    ps = sub.add_parser("search", help="search the dictionary (JSON, one line per entry, best first)",
                        description="Search CC-CEDICT by characters, pinyin (tones and spaces optional) or English.")
    ps.add_argument("query", nargs="+", help="e.g. 国家, guojia, guo2jia1, 'railway station'")
    ps.add_argument("--limit", type=int, default=10, help="at most this many entries (default: %(default)s)")
    ps.set_defaults(func=cmd_search)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Output is UTF-8 whatever the locale says, with '\n' line ends, so pipelines get what the
    # help text promises.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace", newline="\n")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    try:
        return args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `… | head`: the reader left; exit quietly like other Unix tools.
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 141
