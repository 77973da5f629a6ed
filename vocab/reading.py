"""Context-aware pinyin for running text: the dictionary entry for each word, chosen in context.

Each word of a line (vocab.segmentation) gets the readings CC-CEDICT gives it. Where a word has
several (便宜 biànyí / piányi, 还 hái / huán), g2pM's polyphone model scores each reading
character by character in the sentence, and each entry adds what it says about itself (a common
word beats a proper noun; see vocab.senses.entry_prior); `vocab.polyphones` then applies the
grammar rules the model misses (还了钱 huán, 还得 děi). A word keeps its dictionary spelling:
neutral tones (东西 dōngxi), erhua (一点儿 yīdiǎnr), CC-CEDICT's capitals for names (Guǎngzhōu).
Shown readings add the 一/不 tone changes textbooks print (一起 yìqǐ, 不用 búyòng).
"""

from __future__ import annotations

import enum
import importlib.util
import math
import pickle
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from . import cache
from .dictionary import get_dictionary
from .hanzi import all_han
from .segmentation import Word, WordKind, words
from .syllables import numbers_to_marks, parse_syllable, to_zhuyin
from .syllables import sandhi as apply_sandhi

__all__ = ["Style", "Tones", "WordReading", "char_pinyin", "char_pinyin_lines", "read", "read_lines",
           "pinyin", "sentence_pinyin", "word_pinyin"]


class Style(enum.Enum):
    MARKS = "marks"  # guītú lièchē
    NUMBERS = "numbers"  # gui1 tu2 lie4 che1
    ZHUYIN = "zhuyin"  # ㄍㄨㄟ ㄊㄨˊ …


class Tones(enum.Enum):
    DICTIONARY = "dictionary"  # as CC-CEDICT writes each word: 一起 yīqǐ, 不要 bùyào
    TEXTBOOK = "textbook"  # 一/不 changed as textbooks print them: yìqǐ, búyào
    SPOKEN = "spoken"  # textbook plus third-tone sandhi: 你好 níhǎo


@dataclass(frozen=True, slots=True)
class WordReading:
    """One word of a line with its reading.

    `syllables` has one numbered syllable per character (None for characters that are not Han):
    the character's own citation reading, as per-character output and the CPP data give it.
    `parts` is the reading as a dictionary prints it, one run per dictionary word inside the
    token, with CC-CEDICT's capitals, neutral tones and erhua ('Guang3 zhou1', 'yi1 dian3 r5');
    `shown` is `parts` with the textbook 一/不 tone changes of its context. `entry` is the
    CC-CEDICT reading the word was read as (None for names, numbers and composed words), and
    `kind` says whether the word is a name or a number."""

    text: str
    syllables: tuple[str | None, ...]
    parts: tuple[str, ...] | None
    shown: tuple[str, ...] | None = None
    entry: str | None = None
    kind: WordKind = WordKind.WORD

    @property
    def numbers(self) -> str:
        """'gui1 tu2 lie4 che1' (dictionary tones); the token itself if it has no reading."""
        return " ".join(self.parts) if self.parts else self.text

    @property
    def marks(self) -> str:
        """'guītú lièchē': one run per dictionary word; the token itself if it has no reading."""
        return " ".join(numbers_to_marks(p, join=True) for p in self.parts) if self.parts else self.text

    @property
    def shown_numbers(self) -> str:
        """The reading a learner sees, numbered: 一起 'yi4 qi3'."""
        return " ".join(self.shown or self.parts or ()) or self.text

    @property
    def shown_marks(self) -> str:
        """The reading a learner sees: 一起 'yìqǐ'."""
        runs = self.shown or self.parts
        return " ".join(numbers_to_marks(p, join=True) for p in runs) if runs else self.text


def _g2pm_dir() -> Path:
    spec = importlib.util.find_spec("g2pM")
    if spec is None or spec.origin is None:
        raise RuntimeError("the g2pM package is not installed")
    return Path(spec.origin).parent


class _Model:
    """g2pM's bi-LSTM polyphone classifier, re-run batched: same weights, far fewer numpy calls.

    Input projections are folded into the embedding table once, so each time step is one small
    matmul per direction; the classifier runs only at the positions that need it, and its
    probabilities are taken over the readings the character actually has in that word.
    """

    def __init__(self) -> None:
        d = _g2pm_dir()
        with open(d / "char2idx.pkl", "rb") as fh:
            self.char2idx: dict[str, int] = pickle.load(fh)
        with open(d / "class2idx.pkl", "rb") as fh:
            class2idx: dict[str, int] = pickle.load(fh)
        with open(d / "np_ckpt.pkl", "rb") as fh:
            sd = pickle.load(fh)
        with open(d / "digest_cedict.pkl", "rb") as fh:
            digest: dict[str, list[str]] = pickle.load(fh)
        f32 = np.float32
        emb = sd["embedding.weight"].astype(f32)
        self.proj_f = (emb @ sd["lstm.weight_ih_l0"].T + sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"]).astype(f32)
        self.proj_b = (emb @ sd["lstm.weight_ih_l0_reverse"].T + sd["lstm.bias_ih_l0_reverse"]
                       + sd["lstm.bias_hh_l0_reverse"]).astype(f32)
        self.whh_f = sd["lstm.weight_hh_l0"].T.astype(f32).copy()
        self.whh_b = sd["lstm.weight_hh_l0_reverse"].T.astype(f32).copy()
        self.w0 = sd["logit_layer.0.weight"].T.astype(f32).copy()
        self.b0 = sd["logit_layer.0.bias"].astype(f32)
        self.w1 = sd["logit_layer.2.weight"].T.astype(f32).copy()
        self.b1 = sd["logit_layer.2.bias"].astype(f32)
        self.classes = [""] * len(class2idx)
        for name, i in class2idx.items():
            self.classes[i] = name.replace("u:", "ü")
        self.class_idx = {c: i for i, c in enumerate(self.classes)}
        self.bos, self.eos, self.unk = self.char2idx["시"], self.char2idx["끝"], self.char2idx["<UNK>"]
        # Readings per character, in ü spelling.
        self.readings = {ch: [p.replace("u:", "ü") for p in prons] for ch, prons in digest.items()}

    def _run(self, ids: np.ndarray, proj: np.ndarray, whh: np.ndarray) -> np.ndarray:
        b, t = ids.shape
        x = proj[ids]  # [b, t, 4h]
        hdim = whh.shape[0]
        h = np.zeros((b, hdim), np.float32)
        c = np.zeros((b, hdim), np.float32)
        out = np.empty((b, t, hdim), np.float32)
        for step in range(t):
            g = x[:, step] + h @ whh
            i_f = 1.0 / (1.0 + np.exp(-g[:, :2 * hdim]))
            gg = np.tanh(g[:, 2 * hdim:3 * hdim])
            o = 1.0 / (1.0 + np.exp(-g[:, 3 * hdim:]))
            c = i_f[:, hdim:] * c + i_f[:, :hdim] * gg
            h = o * np.tanh(c)
            out[:, step] = h
        return out

    def predict(self, sentences: Sequence[str], targets: Sequence[tuple[int, int, Sequence[str]]],
                batch: int = 256) -> list[dict[str, float]]:
        """For each (sentence index, character index, candidate readings) the probability of each
        candidate in context (readings the model does not know share what is left evenly)."""
        if not targets:
            return []
        by_sent: dict[int, list[int]] = {}
        for k, (si, _, _) in enumerate(targets):
            by_sent.setdefault(si, []).append(k)
        order = sorted(by_sent, key=lambda si: len(sentences[si]))
        result: list[dict[str, float]] = [{} for _ in targets]
        c2i = self.char2idx
        unk = self.unk
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            lengths = [len(sentences[si]) + 2 for si in chunk]
            tmax = max(lengths)
            ids = np.zeros((len(chunk), tmax), np.int64)
            rev = np.zeros((len(chunk), tmax), np.int64)
            for r, si in enumerate(chunk):
                seq = [self.bos] + [c2i.get(ch, unk) for ch in sentences[si]] + [self.eos]
                ids[r, :len(seq)] = seq
                rev[r, :len(seq)] = seq[::-1]
            hf = self._run(ids, self.proj_f, self.whh_f)
            hb = self._run(rev, self.proj_b, self.whh_b)
            rows, fpos, bpos, ks = [], [], [], []
            for r, si in enumerate(chunk):
                for k in by_sent[si]:
                    p = targets[k][1] + 1  # +1 for BOS
                    rows.append(r)
                    fpos.append(p)
                    bpos.append(lengths[r] - 1 - p)
                    ks.append(k)
            feats = np.concatenate([hf[rows, fpos], hb[rows, bpos]], axis=1)
            logits = np.maximum(feats @ self.w0 + self.b0, 0) @ self.w1 + self.b1
            for row, k in enumerate(ks):
                cands = targets[k][2]
                known = [c for c in cands if c in self.class_idx]
                if not known:
                    result[k] = {c: 1.0 / len(cands) for c in cands}
                    continue
                z = np.array([logits[row, self.class_idx[c]] for c in known], dtype=np.float64)
                p = np.exp(z - z.max())
                p /= p.sum()
                unknown = len(cands) - len(known)
                floor = 1e-4 if unknown else 0.0
                probs = {c: float(v) * (1 - floor * unknown) for c, v in zip(known, p)}
                probs.update({c: floor for c in cands if c not in probs})
                result[k] = probs
        return result


#: How much the context model's evidence counts against what a word's entries say of themselves
#: (senses.entry_prior) when a word has several readings, and the least probability it can give
#: a common word's reading. The model was trained on encyclopedia text, where 便宜 is biànyí and
#: 大夫 dàfū far more often than in what learners read, so it may tip a choice but not veto an
#: everyday reading. Tuned on CPP dev and the reading set (bench/reading.py).
CONTEXT_WEIGHT = 0.5
CONTEXT_FLOOR = 0.1
#: A proper noun read differently from the common word of the same characters (明朝 Míng Cháo
#: 'Ming dynasty' beside míngzhāo 'tomorrow morning') is a word of its own: most of the
#: proper-noun penalty of senses.entry_prior is given back, and the context decides.
DISTINCT_PROPER_BONUS = 3.0

#: For proper nouns the model overrules the dictionary's reading only when its own choice has at
#: least this probability among the character's readings.
OVERRIDE_CONFIDENCE = 0.99  # accuracy on CPP dev is flat (97.84-97.88 %) from 0.5 to 0.99

_lock = threading.Lock()
_model: _Model | None = None


def _get_model() -> _Model:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _Model()
                cache.settle()
    return _model


@lru_cache(maxsize=65536)
def _char_readings(ch: str) -> tuple[str, ...]:
    """Lower-case numbered readings of one character, most common first where the source knows."""
    model = _get_model()
    if ch in model.readings:
        return tuple(model.readings[ch])
    from .syllables import char_readings_table

    raw = char_readings_table().get(ord(ch))
    if raw:
        out = []
        for r in raw.split(","):
            try:
                s = parse_syllable(r)
            except ValueError:
                continue
            out.append(f"{s.base}{s.tone or 5}")
        return tuple(dict.fromkeys(out))
    entries = get_dictionary().lookup(ch)
    return tuple(dict.fromkeys(e.pinyin.lower() for e in entries if len(e.pinyin.split()) == 1))


def _lexical(ch: str, syllable: str) -> tuple[str, ...]:
    """The character's own reading(s) behind its syllable in a word.

    Dictionaries write words as spoken, with neutral tones (认识 ren4 shi5, 琵琶 pi2 pa5); a
    character's reading is its citation tone (识 shi2), and neutral only where the character itself
    is neutral (了 le5). So a neutral syllable maps to the character's readings with the same sound.
    """
    syllable = syllable.lower()
    if syllable == "r5":
        return ("er5",)  # erhua 儿
    if not syllable.endswith("5"):
        return (syllable,)
    own = _char_readings(ch)
    if not own or syllable in own:
        return (syllable,)
    base = syllable[:-1]
    same = tuple(r for r in own if r[:-1] == base)
    return same or (syllable,)


# --- Reading options ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Option:
    """One way to read a piece: its dictionary spelling, the citation readings it allows per
    character, and what the entry itself says for it (log-odds, see senses.entry_prior)."""

    display: str  # numbered, as CC-CEDICT writes it: 'Guang3 zhou1', 'dong1 xi5'
    lexical: tuple[tuple[str, ...], ...]
    prior: float
    entry: str | None  # the CC-CEDICT reading behind it, for the gloss
    # Per character, the readings the model may confirm this option with: a neutral tone is the
    # word's, not the character's, so 孙子 sūnzi is as compatible with 子 zǐ as 孙子 Sūnzǐ is.
    compatible: tuple[tuple[str, ...], ...] = ()
    rule_only: bool = False  # a dictionary's neutral reading the model does not know: only rules choose it


@dataclass(slots=True)
class _Piece:
    text: str
    offset: int  # in the line
    options: list[_Option]
    proper: bool = False  # a proper noun's single reading: the model may overrule it, see OVERRIDE_CONFIDENCE
    role: str = ""  # in a name: prefix, surname, given or title
    chosen: _Option | None = None
    syllables: list[str | None] | None = None


@lru_cache(maxsize=131072)
def _word_options(word: str, as_name: bool = False) -> tuple[tuple[_Option, ...], bool]:
    """The readings of a CC-CEDICT word (or single character), most likely first before context,
    and whether they are all proper-noun readings."""
    from .senses import entry_prior

    n = len(word)
    from .senses import is_erhua_variant

    entries = get_dictionary().lookup(word)
    if any(e.meanings for e in entries):
        # 'variant of …' pointers are not readings; erhua forms (花儿 huār) are.
        entries = tuple(e for e in entries if e.meanings or is_erhua_variant(e))
    by_reading: dict[str, tuple[str, float, str | None]] = {}  # lower-case reading -> (display, prior, entry)
    if n == 1:
        # A character alone is read by the context model and the rules, over the readings the
        # model was trained with (commonest first); CC-CEDICT's only where the model has none.
        own = _char_readings(word)
        for r in own or tuple(dict.fromkeys(e.pinyin.lower() for e in entries if len(e.pinyin.split()) == 1)):
            common_first = sorted(entries, key=lambda e: e.pinyin[:1].isupper())  # 元 yuán before Yuán
            entry = next((e.pinyin for e in common_first if e.pinyin.lower() == r), None) or \
                next((e.pinyin for e in common_first if e.pinyin.lower()[:-1] == r[:-1]), None)
            by_reading[r] = (r, 0.0, entry)
        neutral = [e for e in entries if e.pinyin.lower() not in by_reading and e.pinyin.endswith("5")
                   and len(e.pinyin.split()) == 1]
        entries = ()
    for e in entries:
        syl = e.pinyin.split()
        if len(syl) != n or not all(s[:1].isalpha() for s in syl):
            continue  # readings with punctuation or letters do not align with the characters
        low = e.pinyin.lower()
        prior = entry_prior(e, as_name)
        if low not in by_reading or prior > by_reading[low][1]:
            by_reading[low] = (e.pinyin, prior, e.pinyin)
    options = tuple(
        _Option(display, tuple(_lexical(ch, s) for ch, s in zip(word, display.split())), prior, entry,
                tuple(_compatible(ch, s) for ch, s in zip(word, display.split())) if n > 1 else ())
        for display, prior, entry in sorted(by_reading.values(), key=lambda v: -v[1]))  # stable
    if n > 1 and any(o.display[:1].islower() for o in options):
        # A proper noun spelled like a common word (大学 Dàxué, 老板 Lǎobǎn) loses to it outright;
        # one read differently (明朝 Míng Cháo beside míngzhāo) is a word of its own, and the
        # context decides.
        common = {o.display for o in options if o.display[:1].islower()}
        options = tuple(
            o if o.display[:1].islower() or o.display.lower() in common else
            _Option(o.display, o.lexical, o.prior + DISTINCT_PROPER_BONUS, o.entry, o.compatible)
            for o in options)
    if n == 1:
        options += tuple(_Option(e.pinyin.lower(), ((e.pinyin.lower(),),), 0.0, e.pinyin, rule_only=True)
                         for e in neutral)
    proper = bool(options) and all(o.display[:1].isupper() for o in options)
    return options, proper


def _compatible(ch: str, syllable: str) -> tuple[str, ...]:
    syllable = syllable.lower()
    if syllable == "r5":
        syllable = "er5"  # erhua is the word's, like a neutral tone: 花儿 huār is as likely as huā'ér
    if not syllable.endswith("5"):
        return _lexical(ch, syllable)
    return tuple(dict.fromkeys(_lexical(ch, syllable) + tuple(
        r for r in _char_readings(ch) if r[:-1] == syllable[:-1])))


def _char_options(ch: str) -> list[_Option]:
    return [_Option(r, ((r,),), 0.0, None) for r in _char_readings(ch)]


def _pieces(word: Word, offset: int) -> list[_Piece]:
    """How a word is read: as one dictionary word, or piece by piece (names, numbers, erhua and
    terms the dictionary lacks)."""
    text = word.text
    d = get_dictionary()
    if word.kind is WordKind.NAME and text not in d and not _is_street_or_town(text):
        return _name_pieces(text, offset)
    if word.kind is WordKind.NUMBER or (text not in d and len(text) > 1):
        if text.endswith("儿") and len(text) > 1 and word.kind is WordKind.WORD:
            base = _pieces(Word(text[:-1]), offset)
            return base + [_Piece("儿", offset + len(text) - 1, [_Option("r5", (("er5",),), 0.0, None)])]
        out, off = [], offset
        from .segmentation import _dictionary_split

        for piece in _dictionary_split(text):
            out.extend(_pieces(Word(piece), off))
            off += len(piece)
        return out
    options, proper = _word_options(text, word.kind is WordKind.NAME)
    if not options:
        if len(text) == 1:
            return [_Piece(text, offset, [])]
        return [p for k, ch in enumerate(text) for p in _pieces(Word(ch), offset + k)]
    return [_Piece(text, offset, list(options), proper)]


def _is_street_or_town(text: str) -> bool:
    from .segmentation import _street_or_town

    return _street_or_town(text)


def _name_pieces(text: str, offset: int) -> list[_Piece]:
    """A personal name: the surname's reading as a surname (曾 Zēng, 单 Shàn), the given name read in
    context, a title (先生) as the dictionary has it."""
    from .names import PREFIXES, TITLES, is_surname, surname_readings

    title = next((t for t in TITLES if text.endswith(t) and len(text) > len(t)), "")
    core = text[:len(text) - len(title)]
    out: list[_Piece] = []
    k = 0
    if core[:1] in PREFIXES and len(core) == 2:
        out += [_role(p, "prefix") for p in _pieces(Word(core[0]), offset)]
        k = 1
    surname = core[k:k + 2] if len(core) > k + 2 and is_surname(core[k:k + 2]) else core[k:k + 1]
    readings = surname_readings(surname)
    if readings:
        out.append(_Piece(surname, offset + k, [_Option(
            r, tuple(_lexical(ch, s) for ch, s in zip(surname, r.split())), 0.0, None) for r in readings],
            role="surname"))
    else:
        out += [_role(p, "surname") for p in _pieces(Word(surname), offset + k)]
    k += len(surname)
    out += [_Piece(ch, offset + k + j, _char_options(ch), role="given") for j, ch in enumerate(core[k:])]
    if title:
        out += [_role(p, "title") for p in _pieces(Word(title), offset + len(core))]
    return out


def _role(piece: _Piece, role: str) -> _Piece:
    piece.role = role
    return piece


# --- Reading a batch of lines -------------------------------------------------------------------

#: Lines longer than this are read sentence by sentence (and cut at this length if a sentence is
#: longer still), which bounds memory and keeps the model's input close to what it was trained on.
_CHUNK = 400


def _chunks(line: str) -> list[str]:
    if len(line) <= _CHUNK:
        return [line]
    from .segmentation import sentences

    out: list[str] = []
    for sent in sentences(line):
        out.extend(sent[i:i + _CHUNK] for i in range(0, len(sent), _CHUNK))
    return out


def read_lines(lines: Sequence[str]) -> list[list[WordReading]]:
    """Segment and read many lines at once (one model batch for all of them). A line in traditional
    characters is read as its simplified form, which the segmenter's dictionary and the polyphone
    model know (還沒 is hái méi, not the rare xuán), and its words keep the characters as written."""
    simple = [_simplified(line) for line in lines]
    read = _read_lines(simple)
    return [words_ if s is line else _as_written(words_, line) for words_, s, line in zip(read, simple, lines)]


def _simplified(line: str) -> str:
    """The line with each traditional character that is the standard form of a simplified one
    replaced by it (還 还; not a variant such as 閤, which OpenCC maps to 合 though it reads gé);
    the line itself (the same object) when nothing changes."""
    from .script import to_script, traditional_chars

    if traditional_chars().isdisjoint(line):
        return line  # the common case, without a call into OpenCC
    simple = to_script(line, "simplified")
    if simple == line or len(simple) != len(line):
        return line
    back = to_script(simple, "traditional")
    if len(back) != len(line):
        return line
    chars = [s if b == o else o for o, s, b in zip(line, simple, back)]
    out = "".join(chars)
    return out if out != line else line


def _as_written(words_: list[WordReading], line: str) -> list[WordReading]:
    out, pos = [], 0
    for w in words_:
        n = len(w.text)
        out.append(replace(w, text=line[pos:pos + n]))
        pos += n
    return out


def _read_lines(lines: Sequence[str]) -> list[list[WordReading]]:
    if all(len(line) <= _CHUNK for line in lines):
        return _read(lines)
    chunks: list[str] = []
    owner: list[int] = []
    for i, line in enumerate(lines):
        for c in _chunks(line):
            chunks.append(c)
            owner.append(i)
    out: list[list[WordReading]] = [[] for _ in lines]
    for i, words_ in zip(owner, _read(chunks)):
        out[i].extend(words_)
    return out


def _read(lines: Sequence[str]) -> list[list[WordReading]]:
    from .rules import apply_rules

    plans: list[list[tuple[Word, list[_Piece]]]] = []
    targets: list[tuple[int, int, tuple[str, ...]]] = []
    owners: list[tuple[_Piece, int]] = []  # the piece and character each target belongs to
    for li, line in enumerate(lines):
        plan = []
        pos = 0
        for w in words(line):
            pieces = _pieces(w, pos) if all_han(w.text) else []
            for piece in pieces:
                for k in range(len(piece.text)):
                    cands = _candidates(piece, k)
                    if len(cands) > 1:
                        targets.append((li, piece.offset + k, cands))
                        owners.append((piece, k))
            plan.append((w, pieces))
            pos += len(w.text)
        plans.append(plan)
    probs: dict[tuple[int, int], dict[str, float]] = {}
    for (piece, k), p in zip(owners, _get_model().predict(lines, targets)):
        probs[(id(piece), k)] = p
    for li, plan in enumerate(plans):
        for _, pieces in plan:
            for piece in pieces:
                _choose(piece, probs)
        apply_rules(lines[li], plan)
    out: list[list[WordReading]] = []
    for plan in plans:
        readings = [_word_reading(w, pieces) for w, pieces in plan]
        out.append(_with_shown(readings))
    return out


def _candidates(piece: _Piece, k: int) -> tuple[str, ...]:
    """Citation readings the model chooses between at character k of a piece."""
    if piece.proper and len(piece.options) == 1:
        own = _char_readings(piece.text[k])
        return tuple(dict.fromkeys(own + piece.options[0].lexical[k]))
    cands: dict[str, None] = {}
    for o in piece.options:
        if o.rule_only:
            continue
        for r in (o.compatible or o.lexical)[k]:
            cands[r] = None
    return tuple(cands)


def _choose(piece: _Piece, probs: dict[tuple[int, int], dict[str, float]]) -> None:
    """Pick the option with the best context score plus prior; fill the citation syllables."""
    if not piece.options:
        piece.syllables = [None] * len(piece.text)
        return
    key = id(piece)
    if piece.proper and len(piece.options) == 1:
        # Names and transliterations (勃艮第, 黄陂) are where CC-CEDICT's readings are least
        # settled: the model may overrule the reading per character when it is confident.
        only = piece.options[0]
        sylls: list[str | None] = []
        for k in range(len(piece.text)):
            p = probs.get((key, k))
            pref = only.lexical[k][0]
            if p:
                best = max(p, key=p.__getitem__)
                sylls.append(best if best != pref and p[best] >= OVERRIDE_CONFIDENCE else
                             max(only.lexical[k], key=lambda r: p.get(r, 0.0)))
            else:
                sylls.append(pref)
        piece.chosen = only
        piece.syllables = sylls
        return
    best_score, best = -math.inf, piece.options[0]
    for o in piece.options:
        if o.rule_only:
            continue
        score = o.prior
        for k in range(len(piece.text)):
            p = probs.get((key, k))
            if p:
                floor = CONTEXT_FLOOR if o.display[:1].islower() else 1e-6
                score += CONTEXT_WEIGHT * math.log(
                    max(max(p.get(r, 0.0) for r in (o.compatible or o.lexical)[k]), floor))
        if score > best_score:
            best_score, best = score, o
    piece.chosen = best
    piece.syllables = [max(best.lexical[k], key=lambda r: (probs.get((key, k)) or {}).get(r, 0.0))
                       for k in range(len(piece.text))]


def set_reading(piece: _Piece, reading: str) -> bool:
    """Read a piece as `reading` (numbered, as one of its dictionary readings, or one of them with
    some syllables in the neutral tone: 不 bu5 in 搬不动), if it is one of its options. Used by
    the context rules."""
    for o in piece.options:
        if o.display.lower() == reading.lower():
            if o.display != reading and reading[:1].isupper():
                # The proper noun spelled like the common word (东北 Dōngběi, 'Northeast China'):
                # same sounds, the other entry.
                o = _Option(reading, o.lexical, o.prior, reading, o.compatible)
            piece.chosen = o
            piece.syllables = [lex[0] for lex in o.lexical]
            return True
    for o in piece.options:
        if _neutral_variant(o.display.lower(), reading.lower()):
            piece.chosen = _Option(reading, tuple((s,) for s in reading.split()), o.prior, o.entry)
            piece.syllables = reading.split()
            return True
    return False


def _neutral_variant(display: str, reading: str) -> bool:
    """`reading` is `display` with one or more syllables in the neutral tone (bu4 -> bu5)."""
    a, b = display.split(), reading.split()
    return len(a) == len(b) and a != b and all(x == y or (y.endswith("5") and x[:-1] == y[:-1])
                                               for x, y in zip(a, b))


def _word_reading(w: Word, pieces: list[_Piece]) -> WordReading:
    if not pieces:
        return WordReading(w.text, tuple([None] * len(w.text)), None, kind=w.kind)
    syllables: list[str | None] = []
    for piece in pieces:
        syllables.extend(piece.syllables or [None] * len(piece.text))
    if any(p.chosen is None for p in pieces):
        return WordReading(w.text, tuple(syllables), None, kind=w.kind)
    displays = [p.chosen.display for p in pieces]  # type: ignore[union-attr]
    if any(p.role for p in pieces):
        parts = _name_runs(pieces)
    elif w.kind is WordKind.NUMBER:
        parts = _number_runs(pieces)
    else:
        parts = displays
    if len(parts) > 1 and parts[-1] == "r5":
        parts = parts[:-2] + [parts[-2] + " r5"]  # erhua joins its word: 门口儿 ménkǒur
    entry = pieces[0].chosen.entry if len(pieces) == 1 else None  # type: ignore[union-attr]
    return WordReading(w.text, tuple(syllables), tuple(parts), entry=entry, kind=w.kind)


def _number_runs(pieces: list[_Piece]) -> list[str]:
    """Numbers as pinyin writes them: a number with units as one word (一百二十 yìbǎi'èrshí), digits
    read one by one and 年/月/日 apart (二〇〇八年 èr líng líng bā nián)."""
    from .segmentation import NUMERALS, number_value

    runs: list[str] = []
    group: list[str] = []
    text = "".join(p.text for p in pieces)
    digits = number_value(text.rstrip("年")) is not None and not any(ch in "十百千万亿" for ch in text)
    for p in pieces:
        display = p.chosen.display  # type: ignore[union-attr]
        if all(ch in NUMERALS for ch in p.text) and not digits:
            group.append(display)
            continue
        if group:
            runs.append(" ".join(group))
            group = []
        runs.append(display)
    if group:
        runs.append(" ".join(group))
    return runs


def _name_runs(pieces: list[_Piece]) -> list[str]:
    """A name written as names are: 'Xiao3 Liu2', 'Zhang1' 'Chang1 hua2', 'Zhang1' 'xian1 sheng5'."""
    runs: list[str] = []
    given: list[str] = []
    for p in pieces:
        display = p.chosen.display  # type: ignore[union-attr]
        if p.role == "given":
            given.append(display.lower())
            continue
        if given:
            runs.append(_capital(" ".join(given)))
            given = []
        runs.append(_capital(display) if p.role in ("prefix", "surname") else display.lower())
    if given:
        runs.append(_capital(" ".join(given)))
    return runs


def _capital(numbered: str) -> str:
    return numbered[:1].upper() + numbered[1:]


# --- Shown tones: 一 and 不 as textbooks print them ----------------------------------------------

def _with_shown(readings: list[WordReading]) -> list[WordReading]:
    """Add the textbook reading of each word: 一/不 changed by the tone that follows them, across
    word boundaries (一|本 yì běn); see syllables.textbook_tones."""
    from .syllables import textbook_tones

    flat: list[str | None] = []
    final: list[bool] = []
    for r in readings:
        syl = r.numbers.split() if r.parts else []
        n = len(r.text)
        # A reading that does not align with the characters (CC-CEDICT's 'T xu4') is left alone.
        flat.extend(syl if len(syl) == n else [None] * n)
        final.extend([False] * (n - 1) + [n > 1])
    shown = textbook_tones(flat, "".join(r.text for r in readings), final)
    out = []
    k = 0
    for r in readings:
        n = len(r.text)
        runs = r.parts
        if runs and all(s is not None for s in shown[k:k + n]) and len(r.numbers.split()) == n:
            syl, runs, m = shown[k:k + n], [], 0
            for p in r.parts:  # type: ignore[union-attr]
                c = len(p.split())
                runs.append(" ".join(syl[m:m + c]))  # type: ignore[arg-type]
                m += c
        out.append(WordReading(r.text, r.syllables, r.parts, tuple(runs) if runs else None, r.entry, r.kind))
        k += n
    return out


def read(text: str) -> list[WordReading]:
    """Segment `text` and give each word its context-aware reading."""
    return read_lines([text])[0]


def char_pinyin_lines(lines: Sequence[str]) -> list[list[str | None]]:
    """Per-character numbered pinyin for many lines (None for non-Han characters)."""
    return [[s for w in words_ for s in w.syllables] for words_ in read_lines(lines)]


def char_pinyin(text: str) -> list[str | None]:
    """One numbered syllable per character of `text` ('le5' for neutral tone), None for non-Han."""
    return char_pinyin_lines([text])[0]


def _spoken(words_: Sequence[WordReading]) -> list[tuple[str, ...] | None]:
    """Per word, the shown parts with third-tone sandhi applied across each run of Han words."""
    flat_text = "".join(w.text for w in words_)
    flat: list[str | None] = []
    for w in words_:
        disp = w.shown_numbers.split() if w.parts else []
        flat.extend(disp if len(disp) == len(w.text) else [None] * len(w.text))
    spoken = list(flat)
    i = 0
    while i < len(flat):
        if flat[i] is None:
            i += 1
            continue
        j = i
        while j < len(flat) and flat[j] is not None:
            j += 1
        run = apply_sandhi([("er5" if x.lower() == "r5" else x) for x in flat[i:j]], flat_text[i:j])  # type: ignore[union-attr]
        for k, (orig, new) in enumerate(zip(flat[i:j], run)):
            # Sandhi changes only the tone digit; keep CC-CEDICT's capitals and erhua spelling.
            spoken[i + k] = orig[:-1] + new[-1]  # type: ignore[index]
        i = j
    out: list[tuple[str, ...] | None] = []
    k = 0
    for w in words_:
        n = len(w.text)
        runs = w.shown or w.parts
        if not runs:
            out.append(None)
        elif len(w.numbers.split()) != n or any(s is None for s in spoken[k:k + n]):
            out.append(runs)
        else:
            syl = spoken[k:k + n]
            parts = []
            m = 0
            for p in runs:
                c = len(p.split())
                parts.append(" ".join(syl[m:m + c]))  # type: ignore[arg-type]
                m += c
            out.append(tuple(parts))
        k += n
    return out


def pinyin(text: str, style: Style | str = Style.MARKS, sandhi: bool = False,
           tones: Tones | str = Tones.DICTIONARY) -> str:
    """Pinyin of a word or sentence: '归途列车' -> 'guītú lièchē', 'gui1 tu2 lie4 che1', or zhuyin.

    Words are separated by spaces; non-Han text and punctuation are kept as they are.
    `tones` says which tones are shown: each word as the dictionary has it (default), with the
    textbook 一/不 changes, or spoken (also third-tone sandhi; `sandhi=True` means the same).
    """
    style = Style(style)
    tones = Tones.SPOKEN if sandhi else Tones(tones)
    words_ = read(text)
    if tones is Tones.SPOKEN:
        all_parts = _spoken(words_)
    elif tones is Tones.TEXTBOOK:
        all_parts = [w.shown or w.parts for w in words_]
    else:
        all_parts = [w.parts for w in words_]
    rendered = []
    for w, parts in zip(words_, all_parts):
        if not parts:
            rendered.append(w.text)
        elif style is Style.NUMBERS:
            rendered.append(" ".join(parts))
        elif style is Style.ZHUYIN:
            rendered.append(" ".join(to_zhuyin(["er5" if s.lower() == "r5" else s for s in p.split()])
                                     for p in parts))
        else:
            rendered.append(" ".join(numbers_to_marks(p, join=True) for p in parts))
    return _join(words_, rendered)


def _join(words_: Sequence[WordReading], rendered: Sequence[str]) -> str:
    # A space between two words that both became romanised text (or Latin text next to pinyin);
    # punctuation and existing whitespace attach as they are.
    out = ""
    prev_word = False
    for w, r in zip(words_, rendered):
        word = w.parts is not None or w.text[:1].isalnum()
        if out and word and prev_word:
            out += " "
        out += r
        prev_word = word
    return out


def sentence_pinyin(text: str) -> str:
    """The pinyin printed under an example sentence: tone marks, 一/不 as textbooks print them
    (一起 yìqǐ, 不用 búyòng), neutral tones kept (东西 dōngxi)."""
    return pinyin(text, Style.MARKS, tones=Tones.TEXTBOOK)


def word_pinyin(word: str) -> str:
    """Numbered reading of a word alone ('Guang3 zhou1'), composed from its parts if the
    dictionary lacks it ('gui1 tu2 lie4 che1' for 归途列车)."""
    return " ".join(w.numbers if w.parts else w.text for w in read(word))

