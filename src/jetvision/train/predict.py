"""Scores of a trained run on one split of an image store."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import yaml

from jetvision.errors import CheckpointError, ConfigError
from jetvision.images.dataset import JetImageDataset
from jetvision.train import checkpoint
from jetvision.train.baseline import MODEL_FILE, features
from jetvision.train.config import TrainConfig
from jetvision.train.data import load_split
from jetvision.train.trainer import CONFIG_FILE, Trainer


@dataclass
class Predictions:
    """Signal scores (probability of H->bb), labels and jet features of one split."""

    scores: np.ndarray
    labels: np.ndarray
    features: dict[str, np.ndarray]


def read_run_config(run_dir: str | os.PathLike[str]) -> dict[str, object]:
    """The resolved configuration of a run folder; CheckpointError if it is not a run."""
    path = Path(run_dir) / CONFIG_FILE
    if not Path(run_dir).is_dir() or not path.is_file():
        raise CheckpointError(f"{str(run_dir)!r} is not a jetvision run folder (no {CONFIG_FILE})")
    try:
        values = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise CheckpointError(f"{str(path)!r} is corrupted ({exc})") from exc
    if not isinstance(values, dict) or "model" not in values:
        raise CheckpointError(f"{str(path)!r} is not a jetvision run configuration")
    return values


def predict(
    run_dir: str | os.PathLike[str],
    data_path: str | os.PathLike[str],
    split: str = "test",
    *,
    batch_size: int = 256,
) -> Predictions:
    """Scores of the run's best weights (or its last, if none is better) on ``split``."""
    run = Path(run_dir)
    values = read_run_config(run)
    if values["model"] == "bdt":
        return _predict_bdt(run, data_path, split)
    dataset = JetImageDataset(data_path, split)
    if list(dataset.shape) != list(values.get("input_shape", dataset.shape)):
        raise ConfigError(
            f"{str(data_path)!r} holds images of shape {list(dataset.shape)}, but "
            f"the run was trained on {values['input_shape']}"
        )
    best = run / checkpoint.BEST
    state = checkpoint.load(best if best.is_file() else run / checkpoint.LAST)
    known = {k: v for k, v in values.items() if k in TrainConfig.__dataclass_fields__}
    config = TrainConfig(**known)
    trainer = Trainer(config, run)
    from jetvision.models import create_model  # noqa: PLC0415

    model = create_model(config.model, in_channels=dataset.shape[0], num_classes=config.num_classes)
    try:
        model.load_state_dict(state["model"])
    except RuntimeError as exc:
        raise CheckpointError(f"{run} checkpoint does not fit a {config.model!r} model") from exc
    model.to(trainer.device)
    trainer.scale = torch.tensor(state["input_scale"], device=trainer.device).view(1, -1, 1, 1)
    data = load_split(data_path, split)
    _, scores = trainer.evaluate(model, data, batch_size)
    return Predictions(scores, data.labels.numpy(), data.features)


def _predict_bdt(run: Path, data_path: str | os.PathLike[str], split: str) -> Predictions:
    path = run / MODEL_FILE
    if not path.is_file():
        raise CheckpointError(f"{str(run)!r} has no {MODEL_FILE}")
    try:
        model = pickle.loads(path.read_bytes())
    except Exception as exc:
        raise CheckpointError(f"{str(path)!r} is corrupted ({type(exc).__name__})") from exc
    x, labels, columns = features(data_path, split)
    return Predictions(model.predict_proba(x)[:, 1], labels, columns)
