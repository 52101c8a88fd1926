"""Train the BDT baseline through the same run-folder layout as the networks.

The trees are fitted on the jet features of the train split; the validation split
gives the figures of the history row. The fitted model is stored with pickle
(``model.pkl``), the only format scikit-learn offers: load run folders you made.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import numpy as np
import yaml
from sklearn.metrics import log_loss, roc_auc_score

from jetvision._io import atomic_path, write_text_atomic
from jetvision.errors import ConfigError
from jetvision.images.dataset import JetImageDataset
from jetvision.models import create_model
from jetvision.models.bdt import JetBDT
from jetvision.train.config import TrainConfig
from jetvision.train.trainer import (
    CONFIG_FILE,
    HISTORY_FILE,
    TrainResult,
    write_history,
)

MODEL_FILE = "model.pkl"


def features(
    path: str | os.PathLike[str], split: str
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Feature matrix, labels and per-jet columns of one split of an image store."""
    dataset = JetImageDataset(path, split)
    missing = [k for k in JetBDT.features if k not in dataset.features]
    if missing:
        raise ConfigError(f"{str(path)!r} lacks the jet feature {missing[0]!r} the BDT needs")
    matrix = JetBDT.matrix(dataset.features)
    return matrix, dataset.labels, dataset.features


def _metrics(model: object, x: np.ndarray, y: np.ndarray, prefix: str) -> dict[str, float]:
    proba = model.predict_proba(x)  # type: ignore[attr-defined]
    return {
        f"{prefix}_loss": float(log_loss(y, proba, labels=[0, 1])),
        f"{prefix}_acc": float(((proba[:, 1] > 0.5) == y).mean()),
        f"{prefix}_auc": float(roc_auc_score(y, proba[:, 1])),
    }


def train_bdt(
    config: TrainConfig, data_path: str | os.PathLike[str], run_dir: str | os.PathLike[str]
) -> TrainResult:
    """Fit the BDT on the train split, write the run folder, return the usual summary."""
    run = Path(run_dir)
    start = time.perf_counter()
    x_train, y_train, _ = features(data_path, "train")
    x_val, y_val, _ = features(data_path, "validation")
    model = create_model("bdt", seed=config.seed).fit(x_train, y_train)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - start
    row: dict[str, float] = {"epoch": float(model.n_iter)}
    row.update(_metrics(model, x_train, y_train, "train"))
    row.update(_metrics(model, x_val, y_val, "val"))
    row.update({"lr": model.model.learning_rate, "seconds": seconds})

    run.mkdir(parents=True, exist_ok=True)
    with atomic_path(run / MODEL_FILE) as tmp:
        tmp.write_bytes(pickle.dumps(model))
    resolved = {
        **config.to_dict(),
        "model": "bdt",
        "data": str(Path(data_path).resolve()),
        "features": list(model.features),
        "n_train": len(y_train),
        "boosting_iterations": model.n_iter,
        "parameters": 0,
    }
    write_text_atomic(run / CONFIG_FILE, yaml.safe_dump(resolved, sort_keys=False))
    write_history(run / HISTORY_FILE, [row])
    return TrainResult(run, [row], model.n_iter, seconds, 0)
