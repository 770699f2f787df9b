"""The timeline of the Lumina incident: phases, volume curves and the pinned story posts.

All instants are epoch seconds (UTC); wall-clock times are Europe/Berlin, which moves from
+01:00 to +02:00 at 01:00 UTC on Sunday 2026-03-29, in the middle of the storm's night.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
STEP = 300  # seconds per bucket


def berlin(day: str, clock: str = "00:00") -> float:
    """Epoch seconds of a Berlin wall-clock time."""
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=BERLIN).timestamp()


def utc(text: str) -> float:
    """Epoch seconds of an ISO 8601 instant written with ``Z``."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def iso_utc(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


START, END = berlin("2026-03-07"), berlin("2026-03-29", "12:00")
BUCKETS = int((END - START) // STEP)
SPOT = berlin("2026-03-18", "19:00")  # TV spot for the green tariff "Heimatstrom"
SPIKE = (berlin("2026-03-18", "18:55"), berlin("2026-03-18", "22:00"))
DERBY = (berlin("2026-03-14", "17:00"), berlin("2026-03-14", "21:00"))
STORM_PHASES = ("storm_early", "storm_peak", "storm_response", "storm_late")
# A phase's posts are released inside its window (UTC).
WINDOWS = {
    "campaign": (utc("2026-03-18T16:00:00Z"), SPIKE[1] + 4 * 86400),
    "busy_saturday": (utc("2026-03-14T14:30:00Z"), DERBY[1] + 43200),
    "storm_early": (utc("2026-03-28T18:40:00Z"), utc("2026-03-28T20:00:00Z")),
    "storm_peak": (utc("2026-03-28T20:00:00Z"), utc("2026-03-28T21:40:00Z")),
    "storm_response": (utc("2026-03-28T21:40:00Z"), utc("2026-03-28T23:15:00Z")),
    "storm_late": (utc("2026-03-28T23:15:00Z"), END),
}
# fmt: off
# Storm volume (UTC, mentions per bucket), log-linear between knots: doubling about every
# 30 minutes from 18:50 to the peak around 20:50 (21:50 in Berlin), a small bump after
# the holding statement, decay overnight and a Sunday-morning tail after the update.
STORM_KNOTS = (
    ("2026-03-28T18:40", 0.8), ("2026-03-28T18:50", 4.0), ("2026-03-28T20:35", 47.0),
    ("2026-03-28T20:50", 50.0), ("2026-03-28T21:05", 44.0), ("2026-03-28T21:35", 36.0),
    ("2026-03-28T21:50", 39.0), ("2026-03-28T22:30", 35.0), ("2026-03-28T23:15", 31.0),
    ("2026-03-29T00:00", 25.0), ("2026-03-29T01:00", 14.0), ("2026-03-29T02:00", 8.0),
    ("2026-03-29T03:30", 3.5), ("2026-03-29T05:00", 3.5), ("2026-03-29T06:00", 7.5),
    ("2026-03-29T07:00", 13.0), ("2026-03-29T07:40", 18.0), ("2026-03-29T08:30", 16.0),
    ("2026-03-29T10:00", 10.0),
)
# Background activity by Berlin hour: busy weekday mornings, quiet nights, moderate weekends.
WEEKDAY = (0.15, 0.1, 0.08, 0.07, 0.08, 0.15, 0.45, 1.1, 1.8, 1.9, 1.7, 1.5,
           1.4, 1.35, 1.3, 1.25, 1.2, 1.15, 1.1, 1.05, 1.0, 0.85, 0.6, 0.3)
SATURDAY = (0.25, 0.18, 0.12, 0.08, 0.07, 0.08, 0.15, 0.3, 0.55, 0.85, 1.0, 1.05,
            1.0, 0.95, 0.9, 0.9, 0.9, 0.95, 1.0, 1.05, 1.05, 0.9, 0.65, 0.4)
SUNDAY = (0.3, 0.2, 0.12, 0.08, 0.07, 0.07, 0.1, 0.2, 0.4, 0.7, 0.85, 0.9,
          0.85, 0.8, 0.75, 0.75, 0.8, 0.85, 0.9, 0.95, 0.95, 0.8, 0.55, 0.3)
# Share of the extra mentions (beyond the written posts) that are reposts.
REPOST_SHARE = {"background": 0.1, "campaign": 0.3, "busy_saturday": 0.1, "storm_early": 0.25,
                "storm_peak": 0.6, "storm_response": 0.7, "storm_late": 0.8}
# How long (seconds) a released text keeps being written again by other people.
REUSE_TAU = {"background": math.inf, "campaign": 5400.0, "busy_saturday": 1800.0,
             "storm_early": 1200.0, "storm_peak": 1800.0, "storm_response": 2400.0,
             "storm_late": 3600.0}
# fmt: on
COOLDOWN = 900.0  # seconds before the same text is written again by someone else

# Story posts pinned to an instant (UTC), found by the start of their text, with the start of
# the post they quote where that matters. Within a phase, pins follow file order.
ANCHORS: dict[str, tuple[str, str | None]] = {
    "Lumina Energie weiht Solarpark Bergheim-Nord": ("2026-03-10T10:15:00Z", None),
    "Stolz, Teil des Teams zu sein": ("2026-03-10T16:42:00Z", None),
    "Bergheim-Nord: Lumina-Solarpark produziert": ("2026-03-24T08:05:00Z", None),
    "Heute um 19 Uhr zum ersten Mal": ("2026-03-18T16:30:12Z", None),
    "Jetzt läuft er!": ("2026-03-18T18:00:41Z", None),
    "Gerade den Lumina-Spot mitm Büdchen": ("2026-03-18T18:04:30Z", None),
    "DERBYTAG": ("2026-03-14T15:04:10Z", None),
    "Ausverkauft: 11.800": ("2026-03-14T17:10:25Z", None),
    "ANPFIFF!": ("2026-03-14T17:30:20Z", None),
    "Wir sind am Start!": ("2026-03-14T17:31:02Z", None),
    "TOOOOOR 1:0": ("2026-03-14T17:53:40Z", None),
    "Halbzeit, 1:0.": ("2026-03-14T18:17:30Z", None),
    "Ausgleich Porz.": ("2026-03-14T18:45:12Z", None),
    "88. MINUUUTE": ("2026-03-14T19:16:05Z", None),
    "Abpfiff: FC Rheinauen": ("2026-03-14T19:22:30Z", None),
    "DERBYSIEGER!": ("2026-03-14T19:29:50Z", None),
    "Pressestimmen nach dem Derby": ("2026-03-14T21:22:00Z", None),
    "Äh @LuminaEnergie?": ("2026-03-28T18:40:37Z", None),
    "Wann kommt eigentlich die Info von Lumina": ("2026-03-28T19:45:20Z", None),
    "Lumina Energie, Samstag 20:50": ("2026-03-28T19:50:30Z", None),
    "Lumina Energie: Tausende Kunden sehen": ("2026-03-28T20:01:34Z", None),
    "Falsche Jahresabrechnung von Lumina Energie?": ("2026-03-28T20:06:10Z", None),
    "Endlich mal eine klare Info.": ("2026-03-28T20:08:55Z", "Falsche Jahresabrechnung von"),
    "Der Rhein-Echo hat's jetzt auch.": ("2026-03-28T20:10:20Z", "Lumina Energie: Tausende"),
    "Wir haben bei Lumina Energie um eine": ("2026-03-28T20:14:45Z", None),
    "Leute, ich muss kurz was loswerden.": ("2026-03-28T20:31:15Z", None),
    "Nina hat's gepostet": ("2026-03-28T20:33:40Z", None),
    "Ich habe Lumina Energie heute Abend schriftlich": ("2026-03-28T20:37:30Z", None),
    "Jetzt hat sogar die Ratsfrau": ("2026-03-28T20:41:10Z", "Ich habe Lumina Energie heute"),
    "Tausende Kunden betroffen: Lumina-Abrechnungspanne": ("2026-03-28T20:58:20Z", None),
    "Warnung an alle: Es kursiert": ("2026-03-28T21:05:40Z", None),
    "Na toll, jetzt kommen auch noch": ("2026-03-28T21:08:00Z", "Warnung an alle: Es kursiert"),
    "Noch 5 Minuten, dann sind es drei Stunden": ("2026-03-28T21:35:10Z", None),
    "In der Lumina App und im Kundenportal": ("2026-03-28T21:40:50Z", None),
    "Liebe Kundinnen und Kunden, seit dem Abend": ("2026-03-28T21:44:30Z", None),
    "Drei Stunden. Für drei Sätze.": ("2026-03-28T21:45:05Z", "In der Lumina App und im"),
    "„Bei einem Teil unserer": ("2026-03-28T21:46:40Z", "In der Lumina App und im"),
    "Zu spät, zu dünn": ("2026-03-28T21:48:15Z", "In der Lumina App und im"),
    "Lumina äußert sich zur Abrechnungspanne": ("2026-03-28T21:52:00Z", None),
    "Gut, dass Lumina sich jetzt äußert.": ("2026-03-28T21:58:30Z", None),
    "Lumina hat sich gemeldet 👆": ("2026-03-28T22:04:50Z", None),
    "Ich nehme zur Kenntnis, dass Lumina": ("2026-03-28T22:11:40Z", None),
    "Wir haben die Anzeige der neuen Jahresabrechnungen": ("2026-03-28T22:34:10Z", None),
    "Endlich mal eine Nachricht von Lumina": ("2026-03-28T22:36:00Z", "Wir haben die Anzeige"),
    "So, die Uhren werden gerade umgestellt.": ("2026-03-29T01:00:30Z", None),
    "Die Uhr springt von 2 auf 3.": ("2026-03-29T01:03:10Z", None),
    "clocks just jumped forward": ("2026-03-29T01:09:50Z", None),
    "Guten Morgen Köln.": ("2026-03-29T05:31:00Z", None),
    "They said next update at 9. It's 8:40.": ("2026-03-29T06:40:30Z", None),
    "9:00 Uhr. Kein Update von Lumina.": ("2026-03-29T07:00:40Z", None),
    "Update zur fehlerhaften Jahresabrechnung": ("2026-03-29T07:20:15Z", None),
    "Quartal als Monat.": ("2026-03-29T07:23:00Z", "Update zur fehlerhaften"),
    "Ursache genannt, Entschuldigung": ("2026-03-29T07:26:30Z", "Update zur fehlerhaften"),
    "Hotline heute tatsächlich erreichbar.": ("2026-03-29T08:21:00Z", None),
    "Hotline angerufen: „Aufgrund des hohen": ("2026-03-29T08:50:40Z", None),
    "Um 11 Uhr ist die Lumina-App": ("2026-03-29T09:38:00Z", None),
}


def bucket_mid(b: int) -> float:
    return START + b * STEP + STEP / 2


def background_rates(rng: random.Random) -> list[float]:
    """Daily and weekly seasonality and a level per day, scaled to 0.3 mentions per bucket."""
    level: dict[str, float] = {}
    raw = []
    for b in range(BUCKETS):
        wall = datetime.fromtimestamp(bucket_mid(b), BERLIN)
        day = level.setdefault(wall.date().isoformat(), math.exp(rng.gauss(0, 0.12)))
        table = {5: SATURDAY, 6: SUNDAY}.get(wall.weekday(), WEEKDAY)
        hour = wall.hour + wall.minute / 60 - 0.5
        lo, frac = math.floor(hour) % 24, hour - math.floor(hour)
        raw.append(day * (table[lo] * (1 - frac) + table[(lo + 1) % 24] * frac))
    scale = 0.3 * BUCKETS / sum(raw)
    return [r * scale for r in raw]


def spot_extra(t: float) -> float:
    """On top of the background after the TV spot: 2.5x within minutes, decaying, an echo."""
    if t < SPOT - 120 or t > SPIKE[1] + 4 * 86400:
        return 0.0
    if t < SPIKE[1]:
        return 2.5 * min(1.0, (t - SPOT + 120) / 420, math.exp(-(t - SPOT - 1800) / 3600))
    return 0.25 * math.exp(-(t - SPIKE[1]) / 129600)


def derby_extra(t: float) -> float:
    """On top of the background: pre-match chatter, 1.6x more from 17:00 to 21:00, an echo."""
    lo, hi = DERBY
    if t < lo - 7200 or t > hi + 43200:
        return 0.0
    if t > hi:
        return 0.8 * math.exp(-(t - hi) / 7200)
    return 0.3 if t < lo else 1.6 * min(1.0, 0.3 + (t - lo) / 1200, (hi - t) / 1200 + 0.5)


def storm_rates() -> list[float]:
    knots = [(utc(k + ":00Z"), v) for k, v in STORM_KNOTS]
    times = [k for k, _ in knots]
    out = []
    for b in range(BUCKETS):
        i = bisect_right(times, bucket_mid(b))
        if i in (0, len(knots)):
            out.append(0.0)
            continue
        (t0, v0), (t1, v1) = knots[i - 1], knots[i]
        out.append(v0 * (v1 / v0) ** ((bucket_mid(b) - t0) / (t1 - t0)))
    return out


def storm_phase(t: float) -> str:
    return [p for p in STORM_PHASES if t >= WINDOWS[p][0]][-1]
