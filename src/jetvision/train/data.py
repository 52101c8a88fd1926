"""Image splits in memory for training, with per-channel input standardization.

Normalized jet images have pixel values of 1e-3 to 1e-1. Each channel is scaled by
1 / (standard deviation of its training pixels), computed once from the training
split and stored with the run, so that every network sees inputs of order one and
batch-norm statistics settle quickly; evaluation applies the same scale.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import torch

from jetvision.images.dataset import JetImageDataset


@dataclass
class Split:
    """One split in memory: images [N, C, H, W], labels [N], per-jet features."""

    images: torch.Tensor
    labels: torch.Tensor
    features: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.labels)


def load_split(path: str | os.PathLike[str], split: str) -> Split:
    """Read one split of an image store into memory (only that split)."""
    dataset = JetImageDataset(path, split)
    images, labels = dataset.load()
    return Split(images, labels, dataset.features)


def channel_scale(images: torch.Tensor) -> list[float]:
    """1 / std of the pixels of each channel (1 for a channel that is all zero)."""
    std = images.transpose(0, 1).reshape(images.shape[1], -1).std(dim=1)
    return [float(1 / s) if s > 0 else 1.0 for s in std]
