"""Who posts: the named accounts, a stable pool of regulars and the newcomers of the storm.

Also the platform-shaped details of a mention: native ids, post URLs, timestamps and the
prefix of a share.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate

from lumina_story import BERLIN, iso_utc

NAMED = frozenset(
    {"brand", "journalist", "influencer", "politician", "consumer_centre", "employee"}
)
# fmt: off
FIRST = ("anna", "ben", "carla", "deniz", "emma", "finn", "greta", "hannes", "ida", "jonas",
         "kim", "lena", "mats", "nele", "ole", "paula", "quentin", "rosa", "sven", "tina",
         "ulla", "volker", "wiebke", "yusuf", "zoe", "ayse", "bernd", "chris", "dani", "elif",
         "frank", "gabi", "heike", "ilker", "jule", "kai", "lara", "mehmet", "nina", "oskar",
         "pia", "ralf", "sabine", "tobi", "uwe", "vera", "willi", "jana", "marco", "svenja",
         "katja", "dirk", "merle", "luca", "sarah", "timo", "birgit", "jens", "aylin", "rolf")
LAST = ("schmitz", "becker", "mueller", "krause", "vogel", "jansen", "kaya", "berger", "wolff",
        "lorenz", "peters", "hahn", "kuhn", "roth", "engel", "frank", "busch", "arnold", "keller",
        "dahmen", "kremer", "oezdemir", "hermes", "pohl", "wirtz", "esser", "thelen", "brings",
        "nowak", "schulte", "heinen", "lindner", "kurz", "sommer", "winter", "fuchs", "haas")
WORDS = ("koeln", "rhein", "veedel", "dom", "ehrenfeld", "nippes", "kalk", "porz", "suelz",
         "deutz", "bonn", "pendler", "papa", "mama", "kiosk", "stromer", "sparfuchs", "radler",
         "kaffee", "balkon", "garten", "nerd", "hausmeister", "jeck", "bruecke", "lindenthal")
# Median followers by platform (log scale); commenters under a news article have none.
MU = {"x": 5.3, "instagram": 5.9, "tiktok": 5.7, "facebook": 5.5, "linkedin": 6.1,
      "reddit": 3.5, "mastodon": 5.0, "news_comment": 0.0}
# Named accounts (handle, followers) by (author type, platform); "storm" wins in the storm.
ACCOUNTS: dict[tuple[str, str], tuple[str, int]] = {
    ("brand", "x"): ("LuminaEnergie", 24800),
    ("brand", "x-reply"): ("Lumina_Hilfe", 9600),
    ("brand", "facebook"): ("Lumina Energie", 41200),
    ("brand", "instagram"): ("lumina.energie", 33500),
    ("brand", "linkedin"): ("Lumina Energie AG", 12700),
    ("brand", "reddit"): ("LuminaEnergie_Team", 310),
    ("brand", "mastodon"): ("lumina@social.example", 1900),
    ("journalist", "x"): ("rheinecho", 60400),
    ("journalist", "facebook"): ("Rhein-Echo", 58900),
    ("journalist", "news_comment"): ("Rhein-Echo Redaktion", 60400),
    ("journalist", "linkedin"): ("Energiewirtschaft Aktuell", 9300),
    ("journalist", "mastodon"): ("radio_rheinwelle@social.example", 7200),
    ("influencer", "instagram"): ("stromer.olli", 31400),
    ("influencer", "tiktok"): ("elektro.eva", 64200),
    ("influencer", "storm"): ("nina.spart", 181000),
    ("politician", "x"): ("MiriamArslan", 8600),
    ("politician", "linkedin"): ("Miriam Arslan", 3100),
    ("consumer_centre", "x"): ("vb_rheinland", 15300),
    ("consumer_centre", "facebook"): ("Verbraucherberatung Rheinland", 22100),
    ("consumer_centre", "mastodon"): ("vb_rheinland@social.example", 3400),
}
EMPLOYEES = (("Aylin Demir", 820), ("Marco Petersen", 1430), ("Johanna Klein", 2350),
             ("Felix Wendt", 610), ("Sven Lorenz", 390), ("Katharina Roth", 1190),
             ("Tim Brenner", 540), ("Lea Hartmann", 980))
# fmt: on
RESERVED = frozenset(handle for handle, _ in ACCOUNTS.values())


@dataclass(frozen=True)
class Author:
    handle: str
    platform: str
    reach: int


@dataclass
class AuthorBook:
    """The stable background pool (per platform, with activity weights) and storm newcomers."""

    rng: random.Random
    taken: set[str] = field(default_factory=set)
    pool: dict[str, list[Author]] = field(default_factory=dict)
    weights: dict[str, list[float]] = field(default_factory=dict)
    storm: dict[str, list[Author]] = field(default_factory=dict)

    def handle(self, platform: str) -> str:
        r = self.rng
        while True:
            f, la, w, n = r.choice(FIRST), r.choice(LAST), r.choice(WORDS), r.randint(1, 99)
            options = {
                "x": (f"{f.title()}{la.title()}", f"{f}_{la[0]}{n}", f"{w}_{f}", f"{f}{n * 19}"),
                "instagram": (f"{f}.{la}", f"{f}_{w}", f"{w}.{f}{n}"),
                "tiktok": (f"{f}.{w}", f"{w}{f}{n}", f"{f}_{la}_"),
                "facebook": (f"{f.title()} {la.title()}", f"{f.title()} {la[0].upper()}."),
                "linkedin": (f"{f.title()} {la.title()}",),
                "reddit": (f"{w.title()}{f.title()}{n}", f"throwaway_{w}{n}", f"{f}_{w}_{la[:3]}"),
                "mastodon": (f"{f}{n}@social.example", f"{w}{n}@rhein.example"),
                "news_comment": (f"{f.title()}{la[0].upper()}", f"{w}{n}", f"{f.title()}_{w}"),
            }[platform]
            name = r.choice(options)
            if name not in self.taken and name not in RESERVED:
                self.taken.add(name)
                return name

    def fresh(self, platform: str, spread: float = 1.4) -> Author:
        if platform == "news_comment":
            return Author(self.handle(platform), platform, 0)
        reach = min(95_000, max(3, round(math.exp(self.rng.gauss(MU[platform], spread)))))
        return Author(self.handle(platform), platform, reach)

    def build_pool(self, sizes: dict[str, int]) -> None:
        """Regulars per platform; a few post often (Pareto activity), most rarely."""
        for platform, size in sizes.items():
            self.pool[platform] = [self.fresh(platform) for _ in range(size)]
            activity = [self.rng.paretovariate(1.3) for _ in range(size)]
            self.weights[platform] = list(accumulate(activity))

    def regular(self, platform: str) -> Author:
        return self.rng.choices(self.pool[platform], cum_weights=self.weights[platform])[0]

    def newcomer(self, platform: str, repeat: float) -> Author:
        """A new account (wider spread of followers), or one that has already joined in."""
        known = self.storm.setdefault(platform, [])
        if known and self.rng.random() < repeat:
            return self.rng.choice(known)
        author = self.fresh(platform, spread=1.6)
        known.append(author)
        return author

    def named(self, author_type: str, platform: str, kind: str, storm: bool, index: int) -> Author:
        if author_type == "employee":
            name, reach = EMPLOYEES[index % len(EMPLOYEES)]
            handle = name if platform == "linkedin" else name.lower().replace(" ", ".")
            return Author(handle, platform, reach)
        key = platform
        if author_type == "brand" and platform == "x" and kind == "reply":
            key = "x-reply"
        if author_type == "influencer" and storm:
            key = "storm"
        handle, reach = ACCOUNTS[(author_type, key)]
        return Author(handle, platform, reach)


def native_id(rng: random.Random, platform: str, t: float) -> str:
    """An id shaped like the platform's own (time-ordered where the platform's are)."""
    ms = int(t * 1000)
    if platform == "x":
        return str(((ms - 1288834974657) << 22) | rng.getrandbits(22))
    if platform in ("mastodon", "linkedin"):
        return str((ms << (16 if platform == "mastodon" else 22)) | rng.getrandbits(16))
    if platform == "tiktok":
        return str((int(t) << 32) | rng.getrandbits(32))
    if platform == "instagram":
        chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        return "".join(rng.choice(chars) for _ in range(11))
    if platform == "reddit":
        return "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(7))
    return str(rng.randint(10**15, 10**16 - 1))


def post_url(platform: str, handle: str, native: str, t: float) -> str:
    user, _, host = handle.partition("@")
    page = handle.lower().replace(" ", "")
    article = datetime.fromtimestamp(t, BERLIN).strftime("%Y%m%d")
    return {
        "x": f"https://x.com/{handle}/status/{native}",
        "instagram": f"https://www.instagram.com/p/{native}/",
        "facebook": f"https://www.facebook.com/{page}/posts/{native}",
        "tiktok": f"https://www.tiktok.com/@{handle}/video/{native}",
        "reddit": f"https://www.reddit.com/r/koeln/comments/{native}/",
        "linkedin": f"https://www.linkedin.com/feed/update/urn:li:activity:{native}/",
        "mastodon": f"https://{host or 'social.example'}/@{user}/{native}",
        "news_comment": f"https://rhein-echo.example/koeln/{article}#kommentar-{native[-7:]}",
    }[platform]


def stamp(t: float, platform: str) -> str:
    """API-style instants: UTC ``Z`` for x, reddit and mastodon, Berlin offsets elsewhere."""
    if platform in ("x", "reddit", "mastodon"):
        return iso_utc(t)
    return datetime.fromtimestamp(t, BERLIN).isoformat(timespec="seconds")


def share_prefix(platform: str, handle: str) -> str:
    """How a share shows up in the text of a mention on each platform."""
    prefixes = {
        "x": f"RT @{handle}: ",
        "mastodon": f"🔁 @{handle}: ",
        "facebook": f"[Geteilt] {handle}: ",
        "linkedin": f"Repost {handle}: ",
    }
    return prefixes.get(platform, f"Repost @{handle}: ")
