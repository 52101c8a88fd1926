"""Option precedence: defaults < config file < preset < command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from jetvision.errors import ConfigError
from jetvision.train import resolve


def test_precedence(tmp_path: Path) -> None:
    config_file = tmp_path / "c.yaml"
    config_file.write_text("lr: 0.01\nbatch_size: 8\nepochs: 3\nmodel: cnn\n")
    assert resolve(config_file=str(config_file)).lr == 0.01
    preset = resolve(config_file=str(config_file), preset="bcnn-paper")
    assert (preset.lr, preset.batch_size, preset.patience) == (1e-4, 32, 10)
    cli = resolve(
        config_file=str(config_file), preset="bcnn-paper", overrides={"lr": 0.5, "epochs": None}
    )
    assert cli.lr == 0.5
    assert cli.epochs == 100  # None means "not given"


def test_cvn_paper_preset() -> None:
    c = resolve(preset="cvn-paper")
    assert (c.model, c.optimizer, c.lr, c.momentum, c.loss, c.batch_size, c.epochs) == (
        "cvn",
        "sgd",
        5e-4,
        0.9,
        "nll",
        32,
        20,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"epochs": 0}, "epochs must be positive"),
        ({"lr": -1.0}, "learning rate"),
        ({"optimizer": "lbfgs"}, "optimizer must be one of"),
        ({"patience": 0}, "patience"),
    ],
)
def test_impossible_values(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        resolve(overrides=overrides)


def test_bad_config_files(tmp_path: Path) -> None:
    unknown = tmp_path / "u.yaml"
    unknown.write_text("learning_rate: 0.1\n")
    with pytest.raises(ConfigError, match="unknown option 'learning_rate'"):
        resolve(config_file=str(unknown))
    with pytest.raises(ConfigError, match="does not exist"):
        resolve(config_file=str(tmp_path / "none.yaml"))
    with pytest.raises(ConfigError, match="unknown preset"):
        resolve(preset="fast")
