"""The learner's script (simplified or traditional) for every Chinese text the app shows them: stored
forms first (a term's `traditional`), OpenCC (vocab.to_script) for the rest."""
from __future__ import annotations

import vocab
from app.models import Script, Term


def text(chinese: str | None, script: Script | str) -> str:
    """Any Chinese text (an example sentence, a note, a deck title) in the script; other text unchanged."""
    return vocab.to_script(chinese or "", Script(script).value)


def headword(term: Term, script: Script | str) -> str:
    """The term's characters in the script: its stored traditional form where it has one."""
    return word(term.simplified, term.traditional, script)


def word(simplified: str, traditional: str, script: Script | str) -> str:
    """A word stored as simplified (and maybe traditional) characters, in the script."""
    if Script(script) is Script.TRADITIONAL:
        return traditional or vocab.to_script(simplified, "traditional")
    return simplified
