"""The trainer: run folder, resume, early stopping, predictions, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from jetvision.cli import main
from jetvision.errors import CheckpointError, ConfigError, InputFileError
from jetvision.train import Trainer, predict, read_history, resolve, train_bdt
from jetvision.train import checkpoint as ckpt

from .store import write_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(tmp_path_factory.mktemp("store") / "s.h5")


def test_run_folder_holds_everything(store: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    result = Trainer(resolve(overrides={"model": "cnn", "epochs": 3}), run).fit(store)
    assert {p.name for p in run.iterdir()} >= {"config.yaml", "history.csv", "last.pt", "best.pt"}
    history = read_history(run / "history.csv")
    assert [row["epoch"] for row in history] == [1, 2, 3]
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    assert all(0 <= row["val_auc"] <= 1 for row in history)
    assert result.parameters > 0
    state = torch.load(run / "last.pt", weights_only=True)
    assert set(state) >= {"model", "optimizer", "rng", "history", "input_scale"}


def test_resume_gives_the_same_weights(store: Path, tmp_path: Path) -> None:
    config = resolve(overrides={"model": "cnn", "epochs": 3, "seed": 4})
    Trainer(config, tmp_path / "straight").fit(store)
    partial = resolve(overrides={"model": "cnn", "epochs": 1, "seed": 4})
    Trainer(partial, tmp_path / "resumed").fit(store)
    Trainer(config, tmp_path / "resumed").fit(store, resume=True)
    a = torch.load(tmp_path / "straight" / "last.pt", weights_only=True)["model"]
    b = torch.load(tmp_path / "resumed" / "last.pt", weights_only=True)["model"]
    for name in a:
        torch.testing.assert_close(a[name], b[name], rtol=0, atol=0)
    assert len(read_history(tmp_path / "resumed" / "history.csv")) == 3


def test_early_stopping(store: Path, tmp_path: Path) -> None:
    config = resolve(
        overrides={"model": "cnn", "epochs": 30, "patience": 1, "lr": 0.5, "optimizer": "sgd"}
    )
    result = Trainer(config, tmp_path / "r").fit(store)
    assert result.stopped_early
    assert len(result.history) < 30


def test_predictions_learn_the_synthetic_task(store: Path, tmp_path: Path) -> None:
    Trainer(resolve(overrides={"model": "cnn", "epochs": 6}), tmp_path / "r").fit(store)
    p = predict(tmp_path / "r", store, "test")
    assert p.scores.shape == p.labels.shape
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(p.labels, p.scores) > 0.9


def test_bdt_run_folder(store: Path, tmp_path: Path) -> None:
    result = train_bdt(resolve(overrides={"model": "bdt"}), store, tmp_path / "bdt")
    assert (tmp_path / "bdt" / "model.pkl").is_file()
    p = predict(tmp_path / "bdt", store, "test")
    assert np.all((p.scores >= 0) & (p.scores <= 1))
    assert result.history[0]["val_auc"] > 0.7


def test_nll_needs_log_probabilities(store: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="log-probabilities"):
        Trainer(resolve(overrides={"model": "cnn", "loss": "nll"}), tmp_path / "r").fit(store)


def test_bad_runs_and_checkpoints(store: Path, tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="not a jetvision run folder"):
        predict(tmp_path, store)
    run = tmp_path / "r"
    Trainer(resolve(overrides={"model": "cnn", "epochs": 1}), run).fit(store)
    (run / "best.pt").write_bytes(b"garbage")
    with pytest.raises(CheckpointError, match="corrupted"):
        predict(run, store)
    with pytest.raises(CheckpointError, match="corrupted"):
        ckpt.load(run / "best.pt")


def test_cli_errors(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r"
    assert main(["train", "--data", str(store), "--model", "resnet", "-o", str(out)]) == 1
    assert "unknown model 'resnet'; registered: " in capsys.readouterr().err
    assert not out.exists()
    no_val = write_store(tmp_path / "noval.h5", split=(0.8, 0.0, 0.2))
    assert main(["train", "--data", str(no_val), "--model", "cnn", "-o", str(out)]) == 1
    assert "no jets in the 'validation' split" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path), "--data", str(store)]) == 1
    assert "not a jetvision run folder" in capsys.readouterr().err
    assert main(["train", "--data", str(tmp_path / "x.h5"), "--model", "cnn", "-o", str(out)]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_cli_train_evaluate(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "r"
    assert (
        main(
            [
                "train",
                "--data",
                str(store),
                "--model",
                "cvn",
                "--preset",
                "cvn-paper",
                "--epochs",
                "1",
                "-o",
                str(run),
            ]
        )
        == 0
    )
    assert (run / "curves.png").is_file()
    assert main(["train", "--data", str(store), "--model", "cnn", "-o", str(run)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert main(["evaluate", str(run), "--data", str(store), "--bootstrap", "50"]) == 0
    assert "AUC" in capsys.readouterr().out
    for name in ("metrics.json", "roc.png", "scores.png", "confusion.png", "mass_sculpting.png"):
        assert (run / name).is_file(), name


def test_missing_split_in_predict(store: Path, tmp_path: Path) -> None:
    Trainer(resolve(overrides={"model": "cnn", "epochs": 1}), tmp_path / "r").fit(store)
    with pytest.raises(InputFileError, match="unknown split"):
        predict(tmp_path / "r", store, "holdout")
