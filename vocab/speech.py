"""Mandarin speech, offline: eSpeak NG reads the pinyin chosen in context, so a polyphone is spoken as
the learner is shown it (银行 yínháng, 行长 hángzhǎng, 还是 háishi).

libespeak-ng and its voice data come from the `espeakng-loader` package (nothing downloads at run
time). Its `cmn-latn-pinyin` voice reads numbered pinyin, which `vocab.pinyin` gives with the spoken
tones (third-tone sandhi and the 一/不 changes applied, neutral tones kept). Output is 16-bit mono WAV.
"""

from __future__ import annotations

import ctypes
import io
import re
import threading
import wave
from functools import lru_cache

from .hanzi import HAN
from .reading import Style, Tones, pinyin

__all__ = ["SPEECH_ENGINE", "spoken_pinyin", "synthesize", "can_speak"]

VOICE = "cmn-latn-pinyin"
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_INITIALIZE_DONT_EXIT = 0x8000
_ESPEAK_CHARS_UTF8 = 1
_ESPEAK_RATE = 1
WORDS_PER_MINUTE = 150  # eSpeak's default is 175; learners hear syllables better a little slower

_lock = threading.Lock()  # libespeak-ng keeps global state: one synthesis at a time per process
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)
_PAUSES = str.maketrans({"，": ", ", "、": ", ", "；": "; ", "：": ", ", "。": ". ", "！": ". ", "？": "? ",
                         "…": ". ", "—": ", ", "“": " ", "”": " ", "「": " ", "」": " ", "《": " ", "》": " "})
_ERHUA = re.compile(r"\b([a-zü]+)([1-5]) r5\b", re.IGNORECASE)


def _version() -> str:
    from importlib.metadata import version

    return version("espeakng-loader")


# Part of every cached file's name: new engine versions or settings make new files.
SPEECH_ENGINE = f"eSpeak NG (espeakng-loader {_version()}) {VOICE} {WORDS_PER_MINUTE}wpm"


class _Engine:
    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                               espeakng_loader.get_data_path().encode(), _ESPEAK_INITIALIZE_DONT_EXIT)
        if self.rate <= 0:
            raise RuntimeError("libespeak-ng could not start")
        self.chunks: list[bytes] = []
        self._callback = _SYNTH_CALLBACK(self._collect)  # kept referenced: libespeak-ng calls it later
        self.lib.espeak_SetSynthCallback(self._callback)
        if self.lib.espeak_SetVoiceByName(VOICE.encode()) != 0:
            raise RuntimeError(f"libespeak-ng has no voice {VOICE}")
        self.lib.espeak_SetParameter(_ESPEAK_RATE, WORDS_PER_MINUTE, 0)

    def _collect(self, samples, count, events) -> int:
        if count > 0:
            self.chunks.append(ctypes.string_at(samples, count * 2))
        return 0

    def speak(self, text: str) -> bytes:
        data = text.encode()
        self.chunks = []
        self.lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, _ESPEAK_CHARS_UTF8, None, None)
        self.lib.espeak_Synchronize()
        return b"".join(self.chunks)


@lru_cache(maxsize=1)
def _engine() -> _Engine:
    return _Engine()


def can_speak(text: str) -> bool:
    """Whether the text has Chinese to speak."""
    return bool(text) and HAN.search(text) is not None


def spoken_pinyin(text: str) -> str:
    """What the engine reads: 'guo4 nian2 de5 shi2 hou5, ta1 men5 ...' (erhua joined: 'dianr3')."""
    reading = pinyin(text, Style.NUMBERS, tones=Tones.SPOKEN).translate(_PAUSES).lower()
    return " ".join(_ERHUA.sub(r"\1r\2", reading).split())


def synthesize(text: str) -> bytes:
    """A WAV file (16-bit mono, 22,050 Hz) of the text read aloud in Mandarin."""
    if not can_speak(text):
        raise ValueError("no Chinese to speak")
    reading = spoken_pinyin(text)
    with _lock:
        engine = _engine()
        samples = engine.speak(reading)
        rate = engine.rate
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples)
    return buffer.getvalue()
