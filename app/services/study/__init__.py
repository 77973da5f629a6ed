"""Spaced-repetition study, one concept per module, all public names here (`study.next_card(...)`):

- day:      the study day (4 a.m. in the learner's timezone) and what today's limits still allow
- queue:    the one definition of "studied" and "due", the order cards come in, the counts, study more
- grading:  the learner's FSRS scheduler, interval previews, recording a review idempotently
- actions:  suspend, bury, forget, the learner's note
- undo:     every action recorded with the card's state before it; undo the latest, one at a time
- starting: starting decks, their directions, priority and own new-card limit, making cards
- state:    CardState, a card's schedule as one value
"""
from app.services.study.actions import bury, forget, is_buried, note_for, set_note, suspend
from app.services.study.day import DAY_STARTS_AT, NEW, Today, extras_active, study_day, today
from app.services.study.grading import (
    GradeResult,
    format_interval,
    get_own_card,
    grade,
    preview_intervals,
    record_review,
    retrievability,
    scheduler_for,
    session_summary,
    to_fsrs,
)
from app.services.study.queue import (
    AHEAD_DAYS_MAX,
    LEARN_AHEAD,
    MORE_NEW_MAX,
    Counts,
    available,
    chosen_direction,
    counts,
    counts_by_deck,
    due,
    in_queue,
    new_cards_today,
    next_card,
    next_learning_due,
    studied,
    study_more,
)
from app.services.study.starting import (
    DEFAULT_DIRECTIONS,
    NEW_PER_DAY_MAX,
    PRIORITIES,
    create_missing_cards,
    deck_order,
    deck_study,
    direction_flags,
    start_deck,
    study_assigned_decks,
)
from app.services.study.state import CardState
from app.services.study.undo import RATING_NAMES, action_label, last_action, prune_actions, undo_last

__all__ = [
    "AHEAD_DAYS_MAX", "MORE_NEW_MAX", "CardState", "Counts", "DAY_STARTS_AT", "DEFAULT_DIRECTIONS", "GradeResult", "LEARN_AHEAD", "NEW", "NEW_PER_DAY_MAX", "PRIORITIES",
    "Today", "action_label", "available", "bury", "chosen_direction", "counts", "counts_by_deck", "create_missing_cards", "deck_order",
    "deck_study", "direction_flags", "due", "extras_active", "forget", "format_interval", "get_own_card", "grade",
    "in_queue", "is_buried", "last_action", "new_cards_today", "next_card", "next_learning_due", "note_for",
    "preview_intervals", "prune_actions", "RATING_NAMES", "record_review", "retrievability", "scheduler_for", "session_summary", "set_note",
    "start_deck", "studied", "study_assigned_decks", "study_day", "study_more", "suspend", "to_fsrs", "today",
    "undo_last",
]
