"""Context-aware pinyin for running text: dictionary word readings first, g2pM's model for the rest."""

from __future__ import annotations

import enum
import importlib.util
import pickle
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from .dictionary import get_dictionary
from .segmentation import segment
from .syllables import numbers_to_marks, parse_syllable, to_zhuyin
from .syllables import sandhi as apply_sandhi

__all__ = ["Style", "WordReading", "char_pinyin", "char_pinyin_lines", "read", "read_lines", "pinyin",
           "word_pinyin"]


class Style(enum.Enum):
    MARKS = "marks"  # guītú lièchē
    NUMBERS = "numbers"  # gui1 tu2 lie4 che1
    ZHUYIN = "zhuyin"  # ㄍㄨㄟ ㄊㄨˊ …


@dataclass(frozen=True, slots=True)
class WordReading:
    """One segmented token with its reading. `syllables` has one numbered syllable per character
    (None for characters that are not Han), the character's own (citation) reading; `parts` is the
    reading as a dictionary prints it, per dictionary word in the token, keeping CC-CEDICT's
    capitals for proper nouns, neutral tones and erhua ('Guang3 zhou1', 'yi1 dian3 r5')."""

    text: str
    syllables: tuple[str | None, ...]
    parts: tuple[str, ...] | None  # numbered reading per dictionary word inside the token

    @property
    def numbers(self) -> str:
        """'gui1 tu2 lie4 che1'; the token itself if it has no reading."""
        return " ".join(self.parts) if self.parts else self.text

    @property
    def marks(self) -> str:
        """'guītú lièchē': one run per dictionary word; the token itself if it has no reading."""
        return " ".join(numbers_to_marks(p, join=True) for p in self.parts) if self.parts else self.text


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff" \
        or "\U00020000" <= ch <= "\U0002fa1f" or ch == "〇"


def _g2pm_dir() -> Path:
    spec = importlib.util.find_spec("g2pM")
    if spec is None or spec.origin is None:
        raise RuntimeError("the g2pM package is not installed")
    return Path(spec.origin).parent


class _Model:
    """g2pM's bi-LSTM polyphone classifier, re-run batched: same weights, far fewer numpy calls.

    Input projections are folded into the embedding table once, so each time step is one small
    matmul per direction; the classifier runs only at the positions that need it, and its argmax is
    restricted to the readings the character actually has.
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

    def _run(self, ids: np.ndarray, lengths: np.ndarray, proj: np.ndarray, whh: np.ndarray) -> np.ndarray:
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

    def predict(self, sentences: Sequence[str], targets: Sequence[tuple],
                batch: int = 256) -> list[str]:
        """For each (sentence index, char index, candidate readings, preferred reading or None)
        return the chosen reading."""
        if not targets:
            return []
        by_sent: dict[int, list[int]] = {}
        for k, target in enumerate(targets):
            si = target[0]
            by_sent.setdefault(si, []).append(k)
        order = sorted(by_sent, key=lambda si: len(sentences[si]))
        result: list[str] = [""] * len(targets)
        c2i = self.char2idx
        unk = self.unk
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            lengths = np.array([len(sentences[si]) + 2 for si in chunk])
            tmax = int(lengths.max())
            ids = np.zeros((len(chunk), tmax), np.int64)
            rev = np.zeros((len(chunk), tmax), np.int64)
            for r, si in enumerate(chunk):
                seq = [self.bos] + [c2i.get(ch, unk) for ch in sentences[si]] + [self.eos]
                ids[r, :len(seq)] = seq
                rev[r, :len(seq)] = seq[::-1]
            hf = self._run(ids, lengths, self.proj_f, self.whh_f)
            hb = self._run(rev, lengths, self.proj_b, self.whh_b)
            rows, fpos, bpos, ks = [], [], [], []
            for r, si in enumerate(chunk):
                for k in by_sent[si]:
                    p = targets[k][1] + 1  # +1 for BOS
                    rows.append(r)
                    fpos.append(p)
                    bpos.append(int(lengths[r]) - 1 - p)
                    ks.append(k)
            feats = np.concatenate([hf[rows, fpos], hb[rows, bpos]], axis=1)
            logits = np.maximum(feats @ self.w0 + self.b0, 0) @ self.w1 + self.b1
            for row, k in enumerate(ks):
                cands = [self.class_idx[c] for c in targets[k][2] if c in self.class_idx]
                if cands:
                    best = max(cands, key=lambda ci: logits[row, ci])
                else:
                    best = int(np.argmax(logits[row]))
                prefer = targets[k][3] if len(targets[k]) > 3 else None  # type: ignore[misc]
                if prefer is not None and prefer in self.class_idx and self.classes[best] != prefer:
                    z = logits[row, cands] - logits[row, cands].max()
                    p_best = 1.0 / float(np.exp(z).sum())
                    if p_best < OVERRIDE_CONFIDENCE:
                        best = self.class_idx[prefer]
                result[k] = self.classes[best]
        return result


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
    return _model


def _pypinyin_single() -> dict[int, str]:
    from .syllables import char_readings_table

    return char_readings_table()


@lru_cache(maxsize=65536)
def _char_readings(ch: str) -> tuple[str, ...]:
    """Lower-case numbered readings of one character, most common first where the source knows."""
    model = _get_model()
    if ch in model.readings:
        return tuple(model.readings[ch])
    raw = _pypinyin_single().get(ord(ch))
    if raw:
        out = []
        for r in raw.split(","):
            try:
                s = parse_syllable(r)
            except ValueError:
                continue
            out.append(f"{s.base}{s.tone or 5}")
        return tuple(dict.fromkeys(out))
    return ()


def _lexical(ch: str, syllable: str) -> tuple[str, ...]:
    """The character's own reading(s) behind its syllable in a word.

    Dictionaries write words as spoken, with neutral tones (认识 ren4 shi5, 琵琶 pi2 pa5); a
    character's reading is its citation tone (识 shi2), and neutral only where the character itself
    is neutral (了 le5). So a neutral syllable maps to the character's readings with the same sound.
    """
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


@lru_cache(maxsize=131072)
def _word_plan(word: str) -> tuple[tuple[tuple[str, ...], ...], str | None, tuple[str | None, ...]]:
    """For a multi-character dictionary word: candidate readings per character (restricted to the
    word's dictionary readings), the display reading when the word has only one reading, and for
    proper nouns the dictionary's reading per character as a preference (see OVERRIDE_CONFIDENCE)."""
    entries = get_dictionary().lookup(word)
    n = len(word)
    readings: dict[str, str] = {}  # lower-case numbered -> display form
    for e in entries:
        syl = e.pinyin.split()
        if len(syl) != n:
            continue  # readings with punctuation or letters do not align with the characters
        low = " ".join(s.lower() for s in syl)
        # Prefer an entry with meanings for display (proper-noun capitals, not a variant pointer).
        if low not in readings or (not e.is_reference_only and readings[low].lower() == readings[low]):
            readings[low] = e.pinyin
    prefer: list[str | None] = [None] * n
    if not readings:
        return (), None, ()
    display = next(iter(readings.values())) if len(readings) == 1 else None
    if all(r[:1].isupper() for r in readings.values()):
        # Names and transliterations (勃艮第, 黄陂, 帖木儿) are where CC-CEDICT's readings are least
        # settled, so for proper nouns the dictionary reading is only a preference: the context
        # model may overrule it when confident. The entry's reading is still what we display.
        only = next(iter(readings)).split() if len(readings) == 1 else None
        cands = []
        for i, ch in enumerate(word):
            own = _char_readings(ch)
            pref = _lexical(ch, only[i].lower()) if only else ()
            cands.append(tuple(dict.fromkeys(own + pref)))
            prefer[i] = pref[0] if len(pref) == 1 else None
        return tuple(cands), display, tuple(prefer)
    per_char: list[tuple[str, ...]] = []
    for i in range(n):
        opts: dict[str, None] = {}
        for r in readings:
            for o in _lexical(word[i], r.split()[i]):
                opts[o] = None
        per_char.append(tuple(opts))
    return tuple(per_char), display, ()


def _dictionary_pieces(token: str) -> list[str]:
    """Split a token unknown to CC-CEDICT into its longest dictionary words (归途列车 -> 归途, 列车)."""
    d = get_dictionary()
    out = []
    i = 0
    while i < len(token):
        for j in range(min(len(token), i + 8), i, -1):
            if j - i == 1 or token[i:j] in d:
                out.append(token[i:j])
                i = j
                break
    return out


# What follows the complement marker 得 (跑得很快, 说得不好, 写得清楚): degree adverbs, negation,
# and the commonest complements.
_AFTER_DE_COMPLEMENT = set("很非太真好不特十更越比挺最多快慢清满够极好")
# 得 dé 'obtain, get' before these: 他得了冠军, 她得到, 他得知, 得分, 得奖, 得罪.
_DE_GAIN = set("了到出知分奖罪益失过主病逞票胜")
# After 地 these start a place word (地上, 地下, 地区…), where 地 is the noun dì.
_AFTER_DI_NOUN = set("上下里中区方面点球图域位带段产主址形势震铁道图")


def _particle_rule(line: str, pos: int, prev_len: int) -> str | None:
    """Structural particles the context model (trained on encyclopedia text) under-predicts.

    得 standing alone right after a verb or adjective and before a degree adverb or complement
    is the complement marker de5 (跑得很快); right after a pronoun it is the modal děi (我得走了). 地 standing alone after a word of two or more
    characters and before a verb is the adverbial marker de5 (慢慢地走, 高兴地笑).
    """
    ch = line[pos]
    prev = line[pos - 1] if pos > 0 else ""
    nxt = line[pos + 1] if pos + 1 < len(line) else ""
    if not prev or not nxt or not _is_han(prev) or not _is_han(nxt):
        return None
    if ch == "得" and prev not in "我你他她它您们咱" and nxt in _AFTER_DE_COMPLEMENT:
        return "de5"
    if ch == "地" and prev_len >= 2 and nxt not in _AFTER_DI_NOUN and nxt not in _AFTER_DE_COMPLEMENT:
        return "de5"
    if ch == "得" and prev in "我你他她它您们咱" and nxt not in _DE_GAIN:
        return "dei3"  # modal 'must' right after the subject: 我得走了, 我们得去
    return None


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
    """Segment and read many lines at once (one model batch for all of them)."""
    if all(len(line) <= _CHUNK for line in lines):
        return _read(lines)
    chunks: list[str] = []
    owner: list[int] = []
    for i, line in enumerate(lines):
        for c in _chunks(line):
            chunks.append(c)
            owner.append(i)
    out: list[list[WordReading]] = [[] for _ in lines]
    for i, words in zip(owner, _read(chunks)):
        out[i].extend(words)
    return out


def _read(lines: Sequence[str]) -> list[list[WordReading]]:
    # Per line, per token: (token, per-char slots, pieces as (offset, length, dictionary display)).
    plans: list[list[tuple[str, list, list[tuple[int, int, str | None]]]]] = []
    targets: list[tuple[int, int, Sequence[str], str | None]] = []
    slots_for_target: list[tuple[list, int]] = []
    particles: list[tuple[int, int, list, int, int]] = []  # standalone 得/地, see _particle_rule
    d = get_dictionary()
    for li, line in enumerate(lines):
        plan = []
        pos = 0
        prev_len = 0  # length of the previous Han token, for the particle rules
        for tok in segment(line):
            slots: list = [None] * len(tok)
            pieces_out: list[tuple[int, int, str | None]] = []
            han = all(_is_han(ch) for ch in tok)
            if han:
                pieces = [tok] if (len(tok) == 1 or tok in d) else _dictionary_pieces(tok)
                off = 0
                for piece in pieces:
                    if len(piece) == 1 and piece in "得地":
                        particles.append((li, pos + off, slots, off, prev_len if off == 0 else off))
                    cands_per_char, piece_display, prefer = _word_plan(piece) if len(piece) > 1 else ((), None, ())
                    if not cands_per_char:
                        cands_per_char = tuple(_char_readings(ch) for ch in piece)
                    pieces_out.append((off, len(piece), piece_display))
                    for k, cands in enumerate(cands_per_char):
                        if len(cands) == 1:
                            slots[off + k] = cands[0]
                        elif cands:
                            targets.append((li, pos + off + k, cands, prefer[k] if prefer else None))
                            slots_for_target.append((slots, off + k))
                        # else: a Han character nobody has a reading for stays None
                    off += len(piece)
            plan.append((tok, slots, pieces_out))
            pos += len(tok)
            prev_len = len(tok) if han else 0
        plans.append(plan)
    if targets:
        chosen = _get_model().predict(lines, targets)
        for (slots, k), reading in zip(slots_for_target, chosen):
            slots[k] = reading
    for li, pos, slots, k, prev_len in particles:
        reading = _particle_rule(lines[li], pos, prev_len)
        if reading:
            slots[k] = reading
    out: list[list[WordReading]] = []
    for plan in plans:
        words = []
        for tok, slots, pieces_out in plan:
            parts: list[str] | None = [] if pieces_out else None
            for off, n, disp in pieces_out:
                piece_slots = slots[off:off + n]
                if disp is None:
                    if any(x is None for x in piece_slots):
                        parts = None
                        break
                    disp = " ".join(piece_slots)
                parts.append(disp)  # type: ignore[union-attr]
            words.append(WordReading(tok, tuple(slots), tuple(parts) if parts else None))
        out.append(words)
    return out


def read(text: str) -> list[WordReading]:
    """Segment `text` and give each word its context-aware reading."""
    return read_lines([text])[0]


def char_pinyin_lines(lines: Sequence[str]) -> list[list[str | None]]:
    """Per-character numbered pinyin for many lines (None for non-Han characters)."""
    return [[s for w in words for s in w.syllables] for words in read_lines(lines)]


def char_pinyin(text: str) -> list[str | None]:
    """One numbered syllable per character of `text` ('le5' for neutral tone), None for non-Han."""
    return char_pinyin_lines([text])[0]


def _spoken(words: Sequence[WordReading]) -> list[tuple[str, ...] | None]:
    """Per word, the display parts with sandhi applied across each run of Han words."""
    flat_text = "".join(w.text for w in words)
    # Use the display syllables where they align with the characters (keeps capitals and erhua r5).
    flat: list[str | None] = []
    for w in words:
        disp = w.numbers.split() if w.parts else []
        if len(disp) == len(w.text):
            flat.extend(disp)
        else:
            flat.extend(w.syllables)
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
    for w in words:
        n = len(w.text)
        if not w.parts:
            out.append(None)
        elif len(w.numbers.split()) != n:
            out.append(w.parts)
        else:
            syl = spoken[k:k + n]
            parts = []
            m = 0
            for p in w.parts:
                c = len(p.split())
                parts.append(" ".join(syl[m:m + c]))  # type: ignore[arg-type]
                m += c
            out.append(tuple(parts))
        k += n
    return out


def pinyin(text: str, style: Style | str = Style.MARKS, sandhi: bool = False) -> str:
    """Pinyin of a word or sentence: '归途列车' -> 'guītú lièchē', 'gui1 tu2 lie4 che1', or zhuyin.

    Words are separated by spaces; non-Han text and punctuation are kept as they are.
    `sandhi=True` shows spoken tones (一/不 changes, third-tone pairs) for display only;
    dictionary readings are never changed.
    """
    style = Style(style)
    words = read(text)
    all_parts = _spoken(words) if sandhi else [w.parts for w in words]
    rendered = []
    for w, parts in zip(words, all_parts):
        if not parts:
            rendered.append(w.text)
        elif style is Style.NUMBERS:
            rendered.append(" ".join(parts))
        elif style is Style.ZHUYIN:
            rendered.append(" ".join(to_zhuyin(["er5" if s.lower() == "r5" else s for s in p.split()])
                                     for p in parts))
        else:
            rendered.append(" ".join(numbers_to_marks(p, join=True) for p in parts))
    return _join(words, rendered)


def _join(words: Sequence[WordReading], rendered: Sequence[str]) -> str:
    # A space between two words that both became romanised text (or Latin text next to pinyin);
    # punctuation and existing whitespace attach as they are.
    out = ""
    prev_word = False
    for w, r in zip(words, rendered):
        word = w.parts is not None or w.text[:1].isalnum()
        if out and word and prev_word:
            out += " "
        out += r
        prev_word = word
    return out


def word_pinyin(word: str) -> str:
    """Numbered reading of a word alone ('Guang3 zhou1'), composed from its parts if the
    dictionary lacks it ('gui1 tu2 lie4 che1' for 归途列车)."""
    return " ".join(w.numbers if w.parts else w.text for w in read(word))
