"""Training: configuration and presets, the trainer, checkpoints, the BDT, predictions."""

from __future__ import annotations

from jetvision.train.baseline import train_bdt
from jetvision.train.config import PRESETS, TrainConfig, resolve
from jetvision.train.predict import Predictions, predict, read_run_config
from jetvision.train.trainer import Callbacks, Trainer, TrainResult, read_history

__all__ = [
    "PRESETS",
    "Callbacks",
    "Predictions",
    "TrainConfig",
    "TrainResult",
    "Trainer",
    "predict",
    "read_history",
    "read_run_config",
    "resolve",
    "train_bdt",
]
