"""A small built-in set of sample posts (German and English) for synthetic mention streams.

``{brand}`` is replaced by the brand's display name. Categories: ``neutral``,
``positive`` and ``campaign`` posts are not negative; ``negative`` posts are the
kind a storm is made of (complaints, boycott calls, outrage).

>>> sample_post("de", "negative", 0, "Acme")
'Nie wieder Acme! Seit drei Wochen kein Geld zurück. #boykott'
"""

from __future__ import annotations

__all__ = ["SAMPLE_POSTS", "sample_post"]

SAMPLE_POSTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("de", "neutral"): (
        "Hat jemand Erfahrung mit {brand}? Überlege gerade zu wechseln.",
        "{brand} hat heute neue Öffnungszeiten angekündigt.",
        "Gerade im Laden von {brand} gewesen, ziemlich voll heute.",
        "Weiß jemand, ob {brand} auch am Sonntag liefert?",
        "Der Newsletter von {brand} kam heute früher als sonst.",
        "Bei {brand} gibt es ab Montag eine neue App-Version.",
    ),
    ("de", "positive"): (
        "Super Service bei {brand}, Problem in fünf Minuten gelöst. Danke!",
        "Ich bin echt zufrieden mit {brand}, klare Empfehlung.",
        "Lieferung von {brand} war pünktlich und gut verpackt.",
        "Freundliches Team bei {brand} heute, so macht Einkaufen Spaß.",
    ),
    ("de", "negative"): (
        "Nie wieder {brand}! Seit drei Wochen kein Geld zurück. #boykott",
        "Was {brand} da abzieht, ist ein Skandal. Kunden werden einfach ignoriert.",
        "Unfassbar, wie {brand} mit seinen Mitarbeitenden umgeht. Schämt euch!",
        "Hotline von {brand} seit Stunden nicht erreichbar, absolute Frechheit.",
        "{brand} lügt doch, das Statement ist eine einzige Ausrede. #shitstorm",
        "Ich kündige bei {brand}. Diese Arroganz lasse ich mir nicht gefallen.",
        "Hat {brand} wirklich gedacht, das merkt keiner? Peinlich.",
    ),
    ("de", "campaign"): (
        "Der neue Spot von {brand} ist richtig gut gemacht!",
        "Habt ihr die neue Aktion von {brand} gesehen? Bin dabei.",
        "{brand} startet heute die Frühjahrskampagne, klingt spannend.",
        "Gewinnspiel von {brand} gerade mitgemacht, Daumen drücken!",
    ),
    ("en", "neutral"): (
        "Anyone tried {brand} lately? Thinking about switching.",
        "{brand} announced new opening hours today.",
        "Just saw that {brand} is updating its app next week.",
        "Does {brand} ship to Austria as well?",
        "Queue at {brand} was long this morning.",
        "Reading the {brand} quarterly update right now.",
    ),
    ("en", "positive"): (
        "Great support from {brand}, fixed in five minutes. Thanks!",
        "Really happy with {brand}, would recommend.",
        "Delivery from {brand} arrived early, well packed.",
        "Lovely team at {brand} today.",
    ),
    ("en", "negative"): (
        "Never again {brand}! Three weeks and still no refund. #boycott",
        "What {brand} is doing is a scandal. Customers just get ignored.",
        "Disgusting how {brand} treats its staff. Shame on you!",
        "{brand} hotline unreachable for hours, absolutely unacceptable.",
        "That {brand} statement is a lie from start to finish.",
        "Cancelling my {brand} contract today. Done with this arrogance.",
        "Did {brand} really think nobody would notice? Embarrassing.",
    ),
    ("en", "campaign"): (
        "The new {brand} ad is brilliant!",
        "Have you seen the {brand} launch? Count me in.",
        "{brand} just kicked off its spring campaign, looks fun.",
        "Entered the {brand} giveaway, fingers crossed!",
    ),
}


def sample_post(lang: str, category: str, k: int, brand: str) -> str:
    """The ``k``-th (cyclically) sample post of a language and category, for ``brand``."""
    posts = SAMPLE_POSTS[(lang, category)]
    return posts[k % len(posts)].format(brand=brand)
