"""The human model card (``models/MODEL_CARD.md``), rendered from the JSON card."""

from __future__ import annotations

from typing import Any

__all__ = ["render_model_card"]

_METRIC_NAMES = {
    "holdout_de": "our corpus, German, held-out crisis type × industry groups",
    "holdout_en": "our corpus, English, held-out crisis type × industry groups",
    "vader_holdout": "VADER rated tweets, random 20 % held out",
}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def render_model_card(card: dict[str, Any]) -> str:
    """Markdown for people; every figure comes from ``card``."""
    versions = card["versions"]
    data = card["data"]
    lines = [
        "# Model card: negativity",
        "",
        "Probability that a German or English social-media post is negative about the brand,",
        "its product or its conduct (complaints, anger, insults, boycott calls, sarcasm, worry).",
        "Used by `shitstorm` to compute the negative share of each brand's mention series.",
        "A post counts as negative at negativity >= 0.5. Mentions with an upstream `sentiment`",
        "polarity keep it instead (negativity = 1 / (1 + exp(10 · (polarity + 0.05)))).",
        "",
        "## Artifact",
        "",
        f"- file: `{card['file']}` (skops, {card['size_bytes'] / 1e6:.2f} MB), "
        f"SHA-256 `{card['sha256']}`",
        f"- trained: {card['trained_at']}",
        "- libraries: "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
        + " (a different scikit-learn major.minor or numpy/skops major is refused at load)",
        f"- features: {card['features']:,}; lexicon: {card['lexicon']['polar_terms']:,} polar "
        f"terms, {card['lexicon']['crisis_terms']} crisis terms",
        "- parameters: "
        + ", ".join(f"`{k}={v}`" for k, v in card["params"].items() if k != "lexicon"),
        "",
        "## Training data",
        "",
    ]
    for item in data.get("files", []):
        lines.append(
            f"- `data/corpus/{item['name']}`: {item['rows']} posts, SHA-256 `{item['sha256']}`"
        )
    lines += [
        f"- corpus hash (SHA-256 over the file hashes): `{data.get('corpus_sha256', '')}`",
        f"- VADER rated tweets (Hutto and Gilbert, ICWSM 2014; `vaderSentiment` 3.3.2 sdist, "
        f"fetched at training time, not shipped): {data.get('vader_tweets', 0)}; label "
        "`negative` when the mean human rating is below 0",
        "",
        "The corpus, its label rules and its limitations are described in `data/corpus/DATACARD.md`.",
        "",
        "Lexicons baked into the model: VADER lexicon and emoji descriptions (MIT), German",
        "Polarity Lexicon by Klenner, Clematide, Wiegand and Peters (2010) as shipped in",
        "`textblob-de` (Apache-2.0), and our crisis-term list `data/lexicon/crisis_terms.tsv`.",
        "",
        "## Held-out metrics (measured before the final fit on all data)",
        "",
        "| evaluation set | n | negative share | macro-F1 | negative-class PR-AUC | accuracy |",
        "|---|---|---|---|---|---|",
    ]
    for name, m in card["metrics"].items():
        label = _METRIC_NAMES.get(name, name)
        lines.append(
            f"| {label} | {m['n']} | {_fmt(m['negative_share'])} | {_fmt(m['macro_f1'])} | "
            f"{_fmt(m['negative_pr_auc'])} | {_fmt(m['accuracy'])} |"
        )
    lines += [
        "",
        "Full comparison with baselines (TF-IDF + logistic regression, lexicon-only), 5-fold",
        "cross-validation on the VADER tweets and throughput: `python benchmarks/bench_model.py`.",
        "",
        "## Limitations",
        "",
        "- The German and English corpus was written for this project with fictitious brands;",
        "  real storms bring slang, memes and topics it has not seen. Re-evaluate on your own",
        "  labelled posts with `shitstorm model eval --data FILE`.",
        "- Sarcasm without lexical cues, jokes, and posts criticising someone other than the",
        "  brand are the most frequent errors.",
        "- The corpus has no post shorter than about 50 characters, so one-liners",
        '  ("nie wieder.", "Frechheit!") are extrapolated and tend to score too low.',
        "- Other languages are scored, but only through character n-grams and emoji: treat",
        "  their scores as unreliable.",
        "",
        "## Retraining",
        "",
        "`pip install -e '.[train]'` then `shitstorm model train` (writes this folder).",
        "",
    ]
    return "\n".join(lines)
