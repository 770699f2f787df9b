"""Map the column names of an export onto the mention columns of DESIGN.md §4.2.

Names are compared case-insensitively after trimming and turning spaces, dots
and hyphens into underscores, so ``Created At``, ``created-at`` and
``user.screen_name`` all work. Each mention column has a list of accepted names
in order of preference; the exact name always wins.

>>> cmap = resolve_columns(["Created At", "Content", "Followers", "Retweets"], source="x.csv")
>>> cmap.renamed
{'Created At': 'timestamp', 'Content': 'text', 'Followers': 'reach'}
>>> cmap.ignored
('Retweets',)
>>> resolve_columns(["date", "author"], source="x.csv")
Traceback (most recent call last):
...
warning.errors.InputError: x.csv: no 'text' column in the header (found: date, author); name it text, content, message or body
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from warning.errors import InputError
from warning.records import MENTION_COLUMNS

__all__ = [
    "ALIASES",
    "REQUIRED",
    "ColumnMap",
    "canonical_name",
    "normalise_name",
    "resolve_columns",
]

REQUIRED: tuple[str, ...] = ("timestamp", "text")

#: Accepted source names per mention column, most preferred first.
ALIASES: dict[str, tuple[str, ...]] = {
    column: tuple(names.split())
    for column, names in {
        "id": "id id_str mention_id post_id tweet_id status_id message_id guid uuid",
        "timestamp": "timestamp created_at datetime date_time published_at posted_at created "
        "published date time zeitstempel zeitpunkt datum zeit",
        "text": "text content message body full_text tweet post snippet caption inhalt "
        "nachricht beitrag",
        "brand": "brand company marke unternehmen client",
        "author": "author username user screen_name user_screen_name user_username user_name "
        "handle author_name account autor nutzer benutzer",
        "platform": "platform source network channel site plattform kanal netzwerk",
        "lang": "lang language language_code sprache",
        "reach": "reach followers followers_count follower_count user_followers_count "
        "user_followers audience reichweite follower",
        "kind": "kind type post_type mention_type typ art",
        "url": "url link permalink post_url href",
        "sentiment": "sentiment polarity tonality tone tonalitaet tonalität stimmung",
    }.items()
}

_RANK: dict[str, tuple[str, int]] = {
    alias: (column, rank) for column, names in ALIASES.items() for rank, alias in enumerate(names)
}
_SEPARATORS = re.compile(r"[\s.\-/]+")


def normalise_name(name: str) -> str:
    """Lower-case, trimmed, separators as underscores.

    >>> normalise_name(" \\ufeffUser.Screen-Name ")
    'user_screen_name'
    """
    return _SEPARATORS.sub("_", name.replace("\ufeff", "").strip().strip("\"'").lower()).strip("_")


def canonical_name(name: str) -> tuple[str, int] | None:
    """The mention column a source name maps to and its preference rank, or ``None``."""
    return _RANK.get(normalise_name(name))


@dataclass(frozen=True)
class ColumnMap:
    """Which source column feeds which mention column."""

    positions: dict[str, int]  # mention column -> index of the source column
    names: tuple[str, ...]  # source column names as found
    ignored: tuple[str, ...]

    @property
    def renamed(self) -> dict[str, str]:
        """Source name → mention column, for every source name that differs from its column."""
        return {
            self.names[i]: column for column, i in self.positions.items() if self.names[i] != column
        }

    @property
    def mapping(self) -> dict[str, str]:
        """Source name → mention column for every column used, in source order."""
        pairs = sorted((i, column) for column, i in self.positions.items())
        return {self.names[i]: column for i, column in pairs}


def missing_required_message(column: str, source: str, found: Sequence[str]) -> str:
    shown = ", ".join(found[:20]) + (", ..." if len(found) > 20 else "")
    choices = ALIASES[column][:4]
    options = ", ".join(choices[:-1]) + f" or {choices[-1]}"
    return f"{source}: no {column!r} column in the header (found: {shown}); name it {options}"


def resolve_columns(names: Sequence[str], *, source: str) -> ColumnMap:
    """Map a header onto mention columns; a header without ``text`` or ``timestamp`` is an error."""
    best: dict[str, tuple[int, int]] = {}  # column -> (rank, position)
    for position, name in enumerate(names):
        found = canonical_name(name)
        if found is None:
            continue
        column, rank = found
        if column not in best or rank < best[column][0]:
            best[column] = (rank, position)
    for column in REQUIRED:
        if column not in best:
            raise InputError(missing_required_message(column, source, list(names)))
    positions = {column: best[column][1] for column in MENTION_COLUMNS if column in best}
    used = set(positions.values())
    ignored = tuple(name for i, name in enumerate(names) if i not in used)
    return ColumnMap(positions=positions, names=tuple(names), ignored=ignored)
