"""`shitstorm model eval` and `shitstorm model train` through the real command line."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from warning.cli import cli
from warning.score.artifact import load_model, save_model
from warning.score.model import NegativityModel


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def model_path(small_model: NegativityModel, tmp_path: Path) -> Path:
    at = datetime(2026, 3, 28, tzinfo=UTC)
    return save_model(small_model, tmp_path / "m", trained_at=at, metrics={}, data={})


@pytest.fixture
def labelled(small_split: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    _, test = small_split
    return test[["text", "label"]].head(80)


def test_eval_json_on_jsonl(model_path: Path, labelled: pd.DataFrame, tmp_path: Path) -> None:
    data = tmp_path / "posts.jsonl"
    labelled.to_json(data, orient="records", lines=True, force_ascii=False)
    code, out, _ = _run("model", "eval", "--data", str(data), "--model", str(model_path), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["n"] == 80
    assert 0.5 < result["macro_f1"] <= 1 and 0.5 < result["negative_pr_auc"] <= 1


def test_eval_csv_matches_jsonl(model_path: Path, labelled: pd.DataFrame, tmp_path: Path) -> None:
    jsonl, csv = tmp_path / "p.jsonl", tmp_path / "p.csv"
    labelled.to_json(jsonl, orient="records", lines=True, force_ascii=False)
    labelled.to_csv(csv, index=False)
    outputs = []
    for path in (jsonl, csv):
        code, out, _ = _run(
            "model", "eval", "--data", str(path), "--model", str(model_path), "--json"
        )
        assert code == 0
        outputs.append(json.loads(out))
    assert outputs[0] == outputs[1]
    code, out, _ = _run("model", "eval", "--data", str(csv), "--model", str(model_path))
    assert code == 0 and "macro_f1" in out


def test_eval_bad_label_is_one_line_naming_the_row(model_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("text,label\nok,other\nschlimm,negativ\n", encoding="utf-8")
    code, _, err = _run("model", "eval", "--data", str(csv), "--model", str(model_path))
    assert code == 2
    assert err == f"error: {csv}:3: label must be 'negative' or 'other'. Got 'negativ' instead.\n"
    jsonl = tmp_path / "bad.jsonl"
    jsonl.write_text('{"text": "a", "label": "other"}\n{"text": "b", "label": 1}\n', "utf-8")
    code, _, err = _run("model", "eval", "--data", str(jsonl), "--model", str(model_path))
    assert code == 2
    assert err == f"error: {jsonl}:2: label must be 'negative' or 'other'. Got 1 instead.\n"


def test_eval_missing_column_and_missing_model(model_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "nolabel.csv"
    csv.write_text("text\nhallo\n", encoding="utf-8")
    code, _, err = _run("model", "eval", "--data", str(csv), "--model", str(model_path))
    assert (code, err) == (2, f"error: {csv}: column 'label' is missing\n")
    good = tmp_path / "good.csv"
    good.write_text("text,label\nhallo,other\n", encoding="utf-8")
    missing = tmp_path / "none.skops"
    code, _, err = _run("model", "eval", "--data", str(good), "--model", str(missing))
    assert code == 2 and "model file not found" in err


_HAS_TRAIN_EXTRA = all(
    importlib.util.find_spec(name) is not None for name in ("vaderSentiment", "textblob_de")
)


@pytest.mark.skipif(not _HAS_TRAIN_EXTRA, reason="needs the train extra (lexicon packages)")
def test_train_writes_a_loadable_model_and_cards(corpus: pd.DataFrame, tmp_path: Path) -> None:
    data = tmp_path / "slice.jsonl"
    corpus.sample(n=400, random_state=3).to_json(
        data, orient="records", lines=True, force_ascii=False
    )
    out = tmp_path / "models"
    code, stdout, stderr = _run("model", "train", "--data", str(data), "--out", str(out))
    assert code == 0, stderr
    assert "fitting the final model on all 400 posts" in stderr
    assert "holdout_de: n=" in stdout
    assert {p.name for p in out.iterdir()} == {
        "negativity.skops",
        "negativity.card.json",
        "MODEL_CARD.md",
    }
    card = json.loads((out / "negativity.card.json").read_text(encoding="utf-8"))
    assert card["data"]["files"][0]["rows"] == 400 and card["data"]["vader_tweets"] == 0
    assert card["lexicon"]["polar_terms"] > 10_000
    assert load_model(out / "negativity.skops").negativity(["Nie wieder!"]).shape == (1,)


def test_train_rejects_a_missing_data_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    code, _, err = _run("model", "train", "--data", str(missing), "--out", str(tmp_path))
    assert (code, err) == (2, f"error: --data {missing}: no such file\n")
