"""Training configuration: defaults, presets with the published settings, YAML files.

Precedence, lowest first: the defaults below, a YAML config file, a preset, options
given on the command line.

Presets:

``cvn-paper``
    As Aurisano et al. and the published jet study trained the CVN: SGD, learning rate
    5e-4, momentum 0.9, negative log-likelihood on the log-softmax output, batch 32,
    20 epochs.
``bcnn-paper``
    As the published study trained the B-CNN: Adam, learning rate 1e-4, weight decay
    1e-5, cross entropy, batch 32, up to 100 epochs, early stopping with patience 10 on
    the validation loss.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from jetvision.errors import ConfigError
from jetvision.models import spec

OPTIMIZERS = ("sgd", "adam", "adamw")
LOSSES = ("cross_entropy", "nll")
DEVICES = ("auto", "cpu", "cuda")


@dataclass
class TrainConfig:
    """Everything that defines a training run."""

    model: str = "cnn"  # a registered model name
    epochs: int = 10
    batch_size: int = 32
    optimizer: str = "adam"  # sgd, adam or adamw
    lr: float = 1e-3
    momentum: float = 0.9  # SGD only
    weight_decay: float = 0.0
    loss: str = "cross_entropy"  # or nll, for models that output log-probabilities
    patience: int | None = None  # early stopping on validation loss; None = off
    seed: int = 1
    device: str = "auto"  # auto: CUDA when present, else CPU
    channels_last: bool = True  # memory format of image batches (faster convolutions on CPU)
    bf16: bool = False  # bfloat16 autocast for the forward pass
    num_classes: int = 2

    def check(self) -> None:
        """Raise ConfigError on impossible values."""
        if self.epochs <= 0:
            raise ConfigError(f"epochs must be positive, got {self.epochs}")
        if self.batch_size <= 0:
            raise ConfigError(f"batch size must be positive, got {self.batch_size}")
        if not self.lr > 0:
            raise ConfigError(f"learning rate must be positive, got {self.lr}")
        if self.weight_decay < 0 or not 0 <= self.momentum < 1:
            raise ConfigError(
                "weight decay must be >= 0 and momentum in [0, 1), got "
                f"{self.weight_decay} and {self.momentum}"
            )
        if self.patience is not None and self.patience <= 0:
            raise ConfigError(f"patience must be positive, got {self.patience}")
        try:
            spec(self.model)
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
        for name, value, allowed in (
            ("optimizer", self.optimizer, OPTIMIZERS),
            ("loss", self.loss, LOSSES),
            ("device", self.device, DEVICES),
        ):
            if value not in allowed:
                raise ConfigError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


PRESETS: dict[str, dict[str, object]] = {
    "cvn-paper": {
        "model": "cvn",
        "optimizer": "sgd",
        "lr": 5e-4,
        "momentum": 0.9,
        "loss": "nll",
        "batch_size": 32,
        "epochs": 20,
        "weight_decay": 0.0,
        "patience": None,
    },
    "bcnn-paper": {
        "model": "bcnn-paper",
        "optimizer": "adam",
        "lr": 1e-4,
        "weight_decay": 1e-5,
        "loss": "cross_entropy",
        "batch_size": 32,
        "epochs": 100,
        "patience": 10,
    },
}


def _known(values: dict[str, object], source: str) -> dict[str, object]:
    names = {f.name for f in fields(TrainConfig)}
    unknown = sorted(set(values) - names)
    if unknown:
        raise ConfigError(
            f"{source}: unknown option {unknown[0]!r}; known: {', '.join(sorted(names))}"
        )
    return values


def load_yaml(path: str | os.PathLike[str]) -> dict[str, object]:
    """Options from a YAML mapping, with a clear error for a bad file."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"config file {str(p)!r} does not exist")
    try:
        values = yaml.safe_load(p.read_text())
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {str(p)!r} is not valid YAML ({exc})") from exc
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ConfigError(f"config file {str(p)!r} must hold a mapping of options")
    return _known(values, str(p))


def resolve(
    *,
    config_file: str | None = None,
    preset: str | None = None,
    overrides: dict[str, object] | None = None,
    base: dict[str, object] | None = None,
) -> TrainConfig:
    """Defaults < base (a resumed run's settings) < config file < preset < overrides.

    ``None`` values in ``overrides`` are ignored; keys of ``base`` that are not options
    (a run's recorded data path, input shape...) are dropped.
    """
    names = {f.name for f in fields(TrainConfig)}
    values: dict[str, object] = {k: v for k, v in (base or {}).items() if k in names}
    if config_file:
        values.update(load_yaml(config_file))
    if preset:
        if preset not in PRESETS:
            raise ConfigError(f"unknown preset {preset!r}; available: {', '.join(PRESETS)}")
        values.update(PRESETS[preset])
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    config = TrainConfig(**_known(values, "options"))
    config.check()
    return config
