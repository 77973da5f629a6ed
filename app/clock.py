"""The time of the current request: the one clock every view reads, so a test can fix it for a whole request."""
from __future__ import annotations

from datetime import datetime

from app.models.types import utcnow


def now() -> datetime:
    """The time of the current request, aware UTC. Services take it as an argument; tests patch
    `app.clock.utcnow` (the `clock` fixture) to fix it."""
    return utcnow()
