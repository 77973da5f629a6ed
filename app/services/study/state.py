"""A card's schedule as one value: what an action changes, what undo puts back, what FSRS reads."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime

import fsrs

from app.models import Card


@dataclass(frozen=True)
class CardState:
    """Everything about a card that grading, suspending, burying or forgetting can change.

    Times are aware UTC; `stability` is in days, `difficulty` 1 (easy) to 10 (hard); `state` is
    fsrs.State's number (a card never reviewed has `last_review` None).
    """

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int
    lapses: int
    suspended: bool = False
    buried_until: datetime | None = None

    @classmethod
    def of(cls, card: Card) -> CardState:
        return cls(**{field.name: getattr(card, field.name) for field in fields(cls)})

    def apply_to(self, card: Card) -> None:
        for field in fields(self):
            setattr(card, field.name, getattr(self, field.name))

    def to_fsrs(self, card_id: int) -> fsrs.Card:
        return fsrs.Card(card_id=card_id, state=fsrs.State(self.state), step=self.step, stability=self.stability,
                         difficulty=self.difficulty, due=self.due, last_review=self.last_review)

    def to_dict(self) -> dict:
        """JSON-ready: times as ISO 8601 strings (ReviewLog.state_before/after, StudyAction.before)."""
        return {name: value.isoformat() if isinstance(value, datetime) else value
                for name, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict) -> CardState:
        """The inverse of to_dict; states stored before suspension was part of it count as not suspended."""
        values = {field.name: data.get(field.name, field.default) for field in fields(cls)}
        for name in ("due", "last_review", "buried_until"):
            if isinstance(values[name], str):
                values[name] = datetime.fromisoformat(values[name])
        return cls(**values)


def new_state(now: datetime) -> CardState:
    """A card as if never reviewed, due now (what "forget" puts a card back to)."""
    return CardState(state=fsrs.State.Learning.value, step=0, stability=None, difficulty=None, due=now,
                     last_review=None, reps=0, lapses=0)
