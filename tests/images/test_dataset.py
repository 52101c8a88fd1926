"""The PyTorch dataset over one split of an image store."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from jetvision.errors import InputFileError
from jetvision.images import ImageConfig, build, parse_channels
from jetvision.images.dataset import JetImageDataset
from jetvision.ntuple import Selection

from . import handmade


@pytest.fixture
def store(tmp_path: Path) -> Path:
    source = handmade.write(tmp_path / "cms.root")
    config = ImageConfig(
        channels=parse_channels("pt,track_count"),
        size=16,
        selection=Selection.named("none"),
        split=(0.6, 0.0, 0.4),
    )
    return Path(build([source], tmp_path / "s.h5", config).path)


def test_splits_partition_the_jets(store: Path) -> None:
    train, test = JetImageDataset(store, "train"), JetImageDataset(store, "test")
    assert len(train) + len(test) == 5
    image, label = train[0]
    assert image.shape == (2, 16, 16)
    assert image.dtype == torch.float32
    assert label.dtype == torch.int64
    images, labels = test.load()
    for k in range(len(test)):
        torch.testing.assert_close(images[k], test[k][0])
        assert labels[k] == test[k][1]


def test_empty_or_unknown_split(store: Path) -> None:
    with pytest.raises(InputFileError, match="no jets in the 'validation' split"):
        JetImageDataset(store, "validation")
    with pytest.raises(InputFileError, match="unknown split 'dev'"):
        JetImageDataset(store, "dev")
