"""IANA time zones a learner can choose, each with its country and the tz database's own description
("Beijing Time"), so a search for a city, a country or a zone finds it; and a guess from a browser's
language for registrations without JavaScript. Data: the tzdata package's zone.tab and iso3166.tab."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from zoneinfo import available_timezones

DEFAULT = "UTC"


@dataclass(frozen=True)
class Zone:
    name: str  # IANA name, e.g. Asia/Shanghai
    country: str  # e.g. China
    comment: str  # the tz database's description, e.g. Beijing Time

    @property
    def label(self) -> str:
        """'Asia/Shanghai (China, Beijing Time)'."""
        details = ", ".join(part for part in (self.country, self.comment) if part)
        return f"{self.name} ({details})" if details else self.name

    @property
    def search_text(self) -> str:
        return f"{self.name.replace('_', ' ')} {self.country} {self.comment}".lower()


def _table(name: str) -> list[list[str]]:
    text = files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def zones() -> tuple[Zone, ...]:
    """Every zone of the tz database's zone.tab (one per region people live in) and UTC, by name."""
    countries = {row[0]: row[1] for row in _table("iso3166.tab")}
    found = [Zone(row[2], countries.get(row[0], row[0]), row[3] if len(row) > 3 else "") for row in _table("zone.tab")]
    found.append(Zone(DEFAULT, "", "Coordinated Universal Time"))
    return tuple(sorted(found, key=lambda zone: zone.name))


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(available_timezones()) | {DEFAULT}


def is_zone(name: str) -> bool:
    """An IANA name this server knows (including older aliases such as Asia/Calcutta)."""
    return isinstance(name, str) and name in _known()


def search(query: str) -> list[Zone]:
    """Zones whose name, country or description contains every word of the query: 'beijing' finds
    Asia/Shanghai, 'new york' America/New_York."""
    words = query.lower().replace("_", " ").split()
    return [zone for zone in zones() if all(word in zone.search_text for word in words)]


_REGION = re.compile(r"^[a-z]{2,3}[-_]([a-z]{2})\b", re.IGNORECASE)


def guess(accept_language: str | None) -> str:
    """The first zone of the country of the browser's preferred language with a region ('zh-CN' ->
    Asia/Shanghai, 'en-GB' -> Europe/London); UTC when it names none."""
    for part in (accept_language or "").split(","):
        match = _REGION.match(part.strip())
        if match:
            country = match[1].upper()
            for row in _table("zone.tab"):
                if row[0] == country:
                    return row[2]
    return DEFAULT
