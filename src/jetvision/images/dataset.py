"""A PyTorch ``Dataset`` over one split of an image store.

Images are read from the HDF5 file on demand (one jet per ``__getitem__``), so a split
never has to fit in memory; ``load()`` reads a whole split at once when it does fit,
which is much faster for training on small samples. The file is opened lazily in each
process, so the dataset works with ``DataLoader`` workers and under ``torchrun``.
"""

from __future__ import annotations

import os

import h5py
import numpy as np
import torch
from torch.utils.data import Dataset

from jetvision.images import store


class JetImageDataset(Dataset):
    """``(image [C, H, W] float32 tensor, label int64 tensor)`` pairs of one split."""

    def __init__(self, path: str | os.PathLike[str], split: str = "train") -> None:
        self.path = str(path)
        self.split = split
        with store.open_store(self.path) as handle:
            self.indices = store.split_indices(handle, split)
            self.labels = handle["labels"][:][self.indices].astype(np.int64)
            self.shape = tuple(handle["images"].shape[1:])
            self.features = {name: handle["jets"][name][:][self.indices] for name in handle["jets"]}
        self._handle: h5py.File | None = None

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        if self._handle is None:
            self._handle = h5py.File(self.path, "r")
        image = self._handle["images"][int(self.indices[i])]
        return torch.from_numpy(image), torch.tensor(self.labels[i])

    def load(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The whole split as two tensors (images [N, C, H, W], labels [N])."""
        block = 4096
        parts = []
        with h5py.File(self.path, "r") as handle:
            images = handle["images"]
            for start in range(0, images.shape[0], block):
                rows = self.indices[(self.indices >= start) & (self.indices < start + block)]
                if len(rows):
                    parts.append(images[start : start + block][rows - start])
        return torch.from_numpy(np.concatenate(parts)), torch.from_numpy(self.labels)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_handle"] = None  # h5py handles do not cross process boundaries
        return state
