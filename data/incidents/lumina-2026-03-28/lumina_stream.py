"""From written posts and volume curves to mentions.

A component (background, TV spot, derby, storm) draws a Poisson count per bucket. Its written
posts are released once each, in file order along the component's volume curve, between the
pinned story posts; the remaining counts are filled with reposts of earlier mentions (weighted
by the author's followers and recency) or with a recent text written again by someone else.
"""

from __future__ import annotations

import json
import math
import random
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from lumina_people import NAMED, Author, AuthorBook, native_id, post_url, share_prefix, stamp
from lumina_story import ANCHORS, COOLDOWN, END, REPOST_SHARE, REUSE_TAU, START, STEP, utc

KEYS = ("phase", "text", "lang", "kind", "platform", "author_type", "negative")
NO_REPOST = frozenset({"news_comment", "reddit"})


@dataclass
class Post:
    """One written post, its place in the story and how often it has been used."""

    index: int
    phase: str
    text: str
    lang: str
    kind: str
    platform: str
    author_type: str
    release: float = math.nan
    uses: int = 0
    last: float = -math.inf
    pinned: bool = False

    @property
    def reusable(self) -> bool:
        """Named accounts, pinned posts and texts with a clock time ("9:07") appear once."""
        clock = re.search(r"\d:\d", self.text) is not None
        return self.author_type not in NAMED and not clock and not self.pinned


@dataclass
class Mention:
    at: float
    phase: str
    text: str
    author: Author
    lang: str
    kind: str
    ident: str
    url: str

    def row(self, brand: str) -> dict[str, object]:
        return {
            "id": self.ident,
            "timestamp": stamp(self.at, self.author.platform),
            "text": self.text,
            "brand": brand,
            "author": self.author.handle,
            "platform": self.author.platform,
            "lang": self.lang,
            "reach": self.author.reach,
            "kind": self.kind,
            "url": self.url,
        }


@dataclass
class Component:
    name: str
    phases: tuple[str, ...]
    rates: list[float]
    phase_of: Callable[[float], str]
    writers: float  # share of written posts by regulars of the background pool
    sharers: float  # share of reposts by regulars


def read_posts(path: Path) -> dict[str, list[Post]]:
    phases: dict[str, list[Post]] = {}
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        raw = json.loads(line)
        if tuple(raw) != KEYS:
            raise SystemExit(f"{path.name}:{i + 1}: keys must be {KEYS}; got {tuple(raw)}")
        fields = (raw[k] for k in KEYS[:-1])
        post = Post(i, *fields)
        phases.setdefault(post.phase, []).append(post)
    return phases


def pin_of(post: Post) -> float | None:
    """The pinned instant of a story post, if it has one."""
    at = next((at for prefix, (at, _) in ANCHORS.items() if post.text.startswith(prefix)), None)
    return None if at is None else utc(at)


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def volume_quantiles(rates: Sequence[float], t0: float, t1: float, m: int) -> list[float]:
    """``m`` instants in [t0, t1] that split the expected volume there into equal parts."""
    edges, mass = [t0], [0.0]
    b = max(0, int((t0 - START) // STEP))
    while edges[-1] < t1:
        hi = min(t1, START + (b + 1) * STEP)
        rate = rates[b] if b < len(rates) else 0.0
        mass.append(mass[-1] + rate * (hi - edges[-1]) / STEP)
        edges.append(hi)
        b += 1
    fractions = [(k + 0.5) / m for k in range(m)]
    if mass[-1] <= 0:
        return [t0 + f * (t1 - t0) for f in fractions]
    out = []
    for f in fractions:
        i = min(len(mass) - 1, max(1, bisect_right(mass, f * mass[-1])))
        lo, hi = mass[i - 1], mass[i]
        share = 0.0 if hi == lo else (f * mass[-1] - lo) / (hi - lo)
        out.append(edges[i - 1] + share * (edges[i] - edges[i - 1]))
    return out


class Stream:
    """Turns components and written posts into mentions, in time order per component."""

    def __init__(
        self, rng: random.Random, book: AuthorBook, windows: dict[str, tuple[float, float]]
    ) -> None:
        self.rng, self.book, self.windows = rng, book, windows
        self.mentions: list[Mention] = []
        self.ids: set[str] = set()

    def run(self, comp: Component, phases: dict[str, list[Post]]) -> None:
        counts = [poisson(self.rng, lam) for lam in comp.rates]
        posts = [p for name in comp.phases for p in phases[name]]
        if comp.name == "background":  # first uses at random instants, story posts pinned
            pins = {id(p): pin_of(p) for p in posts}
            loose = [p for p in posts if pins[id(p)] is None]
            slots = self.slots(counts)
            chosen = sorted(self.rng.sample(range(len(slots)), len(loose)))
            for post, i in zip(self.rng.sample(loose, len(loose)), chosen, strict=True):
                post.release = slots[i]
            for post in posts:
                pin = pins[id(post)]
                post.pinned = pin is not None
                if pin is not None:
                    post.release = pin
            taken = set(chosen)
            slots = [s for i, s in enumerate(slots) if i not in taken]
        else:
            for name in comp.phases:
                self.place(phases[name], self.windows[name], comp.rates)
            for post in posts:
                b = int((post.release - START) // STEP)
                if 0 <= b < len(counts):
                    counts[b] = max(0, counts[b] - 1)
            slots = self.slots(counts)
        events: list[tuple[float, Post | None]] = [(p.release, p) for p in posts]
        events += [(s, None) for s in slots]
        events.sort(key=lambda e: (e[0], e[1] is None))
        originals: list[Mention] = []
        for t, due in events:
            if due is not None:
                self.original(t, due, comp, originals)
            else:
                self.fill(t, comp, phases.get(comp.phase_of(t), []), originals)

    def slots(self, counts: Sequence[int]) -> list[float]:
        return [
            START + b * STEP + self.rng.uniform(0, STEP)
            for b, c in enumerate(counts)
            for _ in range(c)
        ]

    def place(self, posts: list[Post], window: tuple[float, float], rates: Sequence[float]) -> None:
        """Release posts in file order along the volume curve, between the pinned ones."""
        bounds = [(-1, window[0])]
        for i, post in enumerate(posts):
            pin = pin_of(post)
            post.pinned = pin is not None
            if pin is not None:
                bounds.append((i, pin))
        bounds.append((len(posts), min(window[1], END)))
        for (i0, t0), (i1, t1) in pairwise(bounds):
            if t1 <= t0:
                raise SystemExit(f"{posts[0].phase}: pin at post {i1} is not after post {i0}")
            times = volume_quantiles(rates, t0, t1, i1 - i0 - 1)
            for k, t in enumerate(times):
                posts[i0 + 1 + k].release = min(t1 - 1, max(t0 + 1, t + self.rng.uniform(-45, 45)))
            if i1 < len(posts):
                posts[i1].release = t1

    def original(self, t: float, post: Post, comp: Component, originals: list[Mention]) -> None:
        if post.author_type in NAMED:
            storm = comp.name == "storm"
            author = self.book.named(post.author_type, post.platform, post.kind, storm, post.index)
        elif self.rng.random() < comp.writers:
            author = self.book.regular(post.platform)
        else:
            author = self.book.newcomer(post.platform, repeat=0.12)
        kind, text = post.kind, post.text
        casual = kind == "post" and post.platform in ("x", "mastodon", "linkedin", "facebook")
        if post.author_type in NAMED:
            casual = False
        share = 0.35 if comp.name == "storm" else 0.03
        if kind == "quote" or (casual and self.rng.random() < share):
            quoted = self.quoted(t, post, originals)
            kind, text = ("quote", f"{text} {quoted.url}") if quoted else ("post", text)
        post.uses, post.last = post.uses + 1, t
        originals.append(self.emit(t, post.phase, text, author, post.lang, kind))

    def fill(self, t: float, comp: Component, posts: list[Post], originals: list[Mention]) -> None:
        phase = comp.phase_of(t)
        target = self.target(t, originals)
        if target and self.rng.random() < REPOST_SHARE[phase]:
            self.repost(t, phase, target, comp)
            return
        tau = REUSE_TAU[phase]
        ready = [
            p
            for p in posts
            if p.reusable and 0 <= t - p.release < 2.5 * tau and t - p.last > COOLDOWN
        ]
        if ready:
            weights = [math.exp(-(t - p.release) / tau) / (1 + p.uses) ** 2 for p in ready]
            if sum(weights) > 0:
                self.original(t, self.rng.choices(ready, weights)[0], comp, originals)
                return
        if target:
            self.repost(t, phase, target, comp)

    def target(self, t: float, originals: list[Mention]) -> Mention | None:
        """A recent mention to share: more followers and fresher posts are shared more."""
        recent = [
            m
            for m in originals[-2500:]
            if t - 21600 < m.at < t and m.author.platform not in NO_REPOST
        ]
        if not recent:
            return None
        weights = [(m.author.reach + 1) ** 0.7 * math.exp(-(t - m.at) / 2700) for m in recent]
        return self.rng.choices(recent, weights)[0] if sum(weights) > 0 else recent[-1]

    def quoted(self, t: float, post: Post, originals: list[Mention]) -> Mention | None:
        wanted = next((q for p, (_, q) in ANCHORS.items() if q and post.text.startswith(p)), None)
        if wanted:
            return next((m for m in reversed(originals) if m.text.startswith(wanted)), None)
        return self.target(t, originals)

    def repost(self, t: float, phase: str, target: Mention, comp: Component) -> None:
        platform = target.author.platform
        if self.rng.random() < comp.sharers:
            author = self.book.regular(platform)
        else:
            author = self.book.newcomer(platform, repeat=0.1)
        text = share_prefix(platform, target.author.handle) + target.text
        self.emit(t, phase, text, author, target.lang, "repost")

    def emit(
        self, t: float, phase: str, text: str, author: Author, lang: str, kind: str
    ) -> Mention:
        while True:
            native = native_id(self.rng, author.platform, t)
            ident = f"{author.platform}-{native}"
            if ident not in self.ids:
                break
        self.ids.add(ident)
        url = post_url(author.platform, author.handle, native, t)
        mention = Mention(round(t), phase, text, author, lang, kind, ident, url)
        self.mentions.append(mention)
        return mention
