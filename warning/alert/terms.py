"""A small tokenizer with German and English stop words, and terms ranked by lift.

Lift compares how often a term appears in the storm with how often it appeared in
the baseline period before it (add-one smoothed), so the terms that explain the
storm rise to the top, not the words a brand is always mentioned with.

>>> tokens("Nie wieder @Acme! Der #Boykott läuft: https://t.co/x 100% Abzocke")
['nie', '#boykott', 'läuft', 'abzocke']
>>> storm = ["Rückruf wegen Glassplitter", "Glassplitter im Joghurt!", "Rückruf?! Glassplitter"]
>>> base = ["Leckerer Joghurt", "Joghurt zum Frühstück", "neuer Joghurt"]
>>> top_terms(storm, base, k=2)
('glassplitter', 'rückruf')
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

__all__ = ["STOP_WORDS", "tokens", "top_terms"]

_TOKEN = re.compile(r"[#@]?[^\W\d_][\w'’-]*", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)

STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing done down during each even few
    for from further get got had has have having he her here hers him his how i if in into is
    it its itself just let like me more most much my no nor not now of off on once only or
    other our ours out over own really same she should so some such than that the their theirs
    them then there these they this those through to too under until up us very via was we were
    what when where which while who whom why will with would yes yet you your yours rt amp im
    dont cant wont its thats theres ive youre aber alle allem allen aller alles als also am an
    ans auch auf aus bei beim bin bis bist da dabei damit dann darauf darum das dass dein deine
    dem den denn der des deshalb dich die dies diese dieser dieses dir doch dort du durch ein
    eine einem einen einer eines er es etwas euch euer eure für gegen gibt hab habe haben hat
    hatte hier hin hinter ich ihr ihre im in ins ist ja jetzt kann kein keine man mehr mein
    meine mich mir mit muss nach nicht nichts noch nun nur ob oder ohne schon sehr sein seine
    sich sie sind so soll sollte über um und uns unser unter vom von vor war waren was weil
    wenn wer wie wieder wir wird wo zu zum zur zwar mal eh halt ganz gerade heute immer einfach
    bitte danke
    """.split()  # noqa: SIM905
)


def tokens(text: str, *, extra_stop: Iterable[str] = ()) -> list[str]:
    """Lower-cased words and hashtags; no handles (the share prefix "RT @x:" and replies
    would otherwise rank people as terms; authors are a driver of their own), URLs,
    numbers, stop words or 1-2 letter words."""
    stop = STOP_WORDS | {w.lower() for w in extra_stop}
    clean = _URL.sub(" ", text.lower())
    out = []
    for tok in _TOKEN.findall(clean):
        tok = tok.strip("'’-")
        if tok.startswith("@"):
            continue
        core = tok.lstrip("#")
        bare = core.replace("'", "").replace("’", "")
        if len(core) < 3 or tok in stop or core in stop or bare in stop:
            continue
        out.append(tok)
    return out


def top_terms(
    storm: Iterable[str],
    baseline: Iterable[str],
    *,
    k: int = 10,
    min_count: int = 2,
    extra_stop: Iterable[str] = (),
) -> tuple[str, ...]:
    """The ``k`` terms of ``storm`` texts with the highest lift against ``baseline`` texts.

    A term counts once per text (so one spammy post cannot dominate) and must
    appear in at least ``min_count`` storm texts.
    """
    stop = tuple(extra_stop)
    storm_texts, base_texts = list(storm), list(baseline)
    storm_docs = Counter(t for text in storm_texts for t in set(tokens(text, extra_stop=stop)))
    base_docs = Counter(t for text in base_texts for t in set(tokens(text, extra_stop=stop)))
    n_storm, n_base = max(1, len(storm_texts)), max(1, len(base_texts))
    scored = []
    for term, count in storm_docs.items():
        if count < min_count:
            continue
        lift = ((count + 1) / (n_storm + 1)) / ((base_docs.get(term, 0) + 1) / (n_base + 1))
        scored.append((lift * math.log1p(count), count, term))
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    return tuple(term for _, _, term in scored[:k])
