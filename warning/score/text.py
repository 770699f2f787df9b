"""Text normalisation, tokens and negation scope for German and English posts.

Everything here is plain Python on strings: the featuriser calls it once per
post and caches per token, so it stays fast on tweet-length text.

>>> tokens = tokenize(normalize("Das ist NICHT schlecht!!! @Telvia https://t.co/x 👏"))
>>> tokens
['das', 'ist', 'nicht', 'schlecht', '!', '!', '!', '@user', 'url', '👏']
>>> negation_scope(tokens)
[False, False, False, True, False, False, False, False, False, False]
>>> negation_scope(tokenize("das essen schmeckt nicht."))
[False, True, True, False, False]
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate

__all__ = [
    "BOUNDARIES",
    "NEGATORS",
    "caps_counts",
    "is_negator",
    "negation_scope",
    "normalize",
    "squeeze",
    "tokenize",
    "tokenize_many",
]

_URL_RE = re.compile(r"(?:https?://|www\.)\S+")
_HANDLE_RE = re.compile(r"@\w+")
_REPEAT_RE = re.compile(r"(\w)\1{3,}")
_NOT_RE = re.compile(r"n['’]t\b")
_DIGIT_RE = re.compile(r"[1-9]")
_SEPARATOR = "\x01"
_TOKEN_RE = re.compile(r"[:;=]-?[()\[\]dpo/\\|*3](?!\w)|<3|[#@]?\w+(?:[-'’]\w+)*|[^\w\s]")
_CAPS_RE = re.compile(r"[A-ZÄÖÜ]{3,}")

#: Words that negate what follows (and, at the end of a German clause, what precedes).
NEGATORS: frozenset[str] = frozenset(
    {
        # German, with dialect and chat spellings
        "nicht",
        "nich",
        "net",
        "ned",
        "nit",
        "nischt",
        "nix",
        "nichts",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "keiner",
        "keines",
        "koa",
        "koane",
        "nie",
        "niemals",
        "niemand",
        "nirgends",
        "ohne",
        "weder",
        "keineswegs",
        "garnicht",
        # English
        "not",
        "no",
        "never",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "without",
        "hardly",
        "barely",
        "cannot",
        "cant",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "wont",
        "wouldnt",
        "shouldnt",
        "couldnt",
        "havent",
        "hasnt",
        "aint",
    }
)

#: Tokens that end a negation scope: clause punctuation and contrastive conjunctions.
BOUNDARIES: frozenset[str] = frozenset(
    {
        ".",
        ",",
        ";",
        ":",
        "!",
        "?",
        "aber",
        "but",
        "doch",
        "sondern",
        "jedoch",
        "however",
        "trotzdem",
    }
)

_SCOPE_AHEAD = 3  # tokens after a negator that it negates
_SCOPE_BEHIND = 2  # tokens before a clause-final negator ("schmeckt mir nicht.")


def normalize(text: str) -> str:
    """Lower case; links, handles and digits folded; "n't" split off as "not"."""
    text = _URL_RE.sub(" url ", text)
    text = _HANDLE_RE.sub("@user", text)
    return _NOT_RE.sub(" not", _DIGIT_RE.sub("0", text.lower()))


def squeeze(key: str) -> str:
    """Letter runs of four or more shortened to three ("sooooo" → "sooo").

    Applied per distinct token (it is slow on whole texts), before vocabulary lookups.
    """
    if _REPEAT_RE.search(key) is None:
        return key
    return _REPEAT_RE.sub(_three, key)


def _three(match: re.Match[str]) -> str:
    return match.group(1) * 3


def tokenize(text: str) -> list[str]:
    """Words (with inner hyphens and apostrophes), hashtags, emoticons, single symbols."""
    return _TOKEN_RE.findall(text)


def tokenize_many(texts: Iterable[str]) -> list[list[str]]:
    """Tokens of many posts, normalised, in one regex pass over the joined batch."""
    batch = [text.replace(_SEPARATOR, " ") for text in texts]
    if not batch:
        return []
    joined = f" {_SEPARATOR} ".join(batch)
    tokens = tokenize(normalize(joined))
    out: list[list[str]] = []
    start = 0
    for _ in range(len(batch) - 1):
        end = tokens.index(_SEPARATOR, start)
        out.append(tokens[start:end])
        start = end + 1
    out.append(tokens[start:])
    return out


def is_negator(token: str) -> bool:
    """A negating word (:func:`normalize` has already split "isn't" into "is not")."""
    return token in NEGATORS


def negation_scope(tokens: Sequence[str], negators: Sequence[bool] | None = None) -> list[bool]:
    """For each token, whether a negator governs it.

    A negator governs up to three following tokens within its clause; a negator
    that ends a clause (German "gefällt mir nicht.") governs up to two tokens
    before it. ``negators`` may pass precomputed :func:`is_negator` flags.
    """
    n = len(tokens)
    flags = [False] * n
    neg = list(negators) if negators is not None else [is_negator(t) for t in tokens]
    for i in range(n):
        if not neg[i]:
            continue
        j = i + 1
        while j < n and j <= i + _SCOPE_AHEAD and tokens[j] not in BOUNDARIES:
            if not neg[j]:
                flags[j] = True
            j += 1
        if j == i + 1:  # nothing followed in this clause: look back instead
            k = i - 1
            while k >= 0 and k >= i - _SCOPE_BEHIND and tokens[k] not in BOUNDARIES:
                if not neg[k]:
                    flags[k] = True
                k -= 1
    return flags


def caps_counts(texts: Sequence[str]) -> list[int]:
    """Words of three or more letters written in capitals (shouting), per raw text."""
    joined = _SEPARATOR.join(texts)
    starts = list(accumulate((len(t) + 1 for t in texts), initial=0))
    counts = [0] * len(texts)
    for match in _CAPS_RE.finditer(joined):
        begin, end = match.span()
        if (begin and joined[begin - 1].isalpha()) or (end < len(joined) and joined[end].isalpha()):
            continue
        counts[bisect_right(starts, begin) - 1] += 1
    return counts
