"""The HDF5 image store: layout, streaming writer, and reading back.

Layout of a file made by ``jetvision images``:

* ``images``: float32 [N, C, H, W]; H runs along eta_rel, W along phi_rel;
* ``labels``: int8 [N], 1 = H->bb, 0 = QCD;
* ``split``: int8 [N], 0 train, 1 validation, 2 test;
* group ``jets``: per-jet ``fj_pt``, ``fj_eta``, ``fj_sdmass``, ``fj_tau21``, ``fj_label``;
* attributes: channels, grid, preprocessing, selection, input files, counts (JSON) and
  the package version.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

from jetvision.errors import InputFileError

SPLITS = {"train": 0, "validation": 1, "test": 2}
JET_FIELDS = {
    "fj_pt": np.float32,
    "fj_eta": np.float32,
    "fj_sdmass": np.float32,
    "fj_tau21": np.float32,
    "fj_label": np.int32,
}
_CHUNK_JETS = 64


class StoreWriter:
    """Append images, labels, splits and jet features to a new HDF5 file."""

    def __init__(self, path: str | os.PathLike[str], n_channels: int, size: int) -> None:
        self._file = h5py.File(path, "w")
        shape = (n_channels, size, size)
        self._file.create_dataset(
            "images",
            (0, *shape),
            maxshape=(None, *shape),
            dtype=np.float32,
            chunks=(_CHUNK_JETS, *shape),
            compression="gzip",
            compression_opts=4,
            shuffle=True,
        )
        for name in ("labels", "split"):
            self._file.create_dataset(name, (0,), maxshape=(None,), dtype=np.int8, chunks=(4096,))
        jets = self._file.create_group("jets")
        for name, dtype in JET_FIELDS.items():
            jets.create_dataset(name, (0,), maxshape=(None,), dtype=dtype, chunks=(4096,))
        self.n = 0

    def append(
        self,
        images: np.ndarray,
        labels: np.ndarray,
        split: np.ndarray,
        jets: Mapping[str, np.ndarray],
    ) -> None:
        n = len(images)
        if n == 0:
            return
        end = self.n + n
        for name, values in (("images", images), ("labels", labels), ("split", split)):
            self._file[name].resize(end, axis=0)
            self._file[name][self.n : end] = values
        for name in JET_FIELDS:
            ds = self._file["jets"][name]
            ds.resize(end, axis=0)
            ds[self.n : end] = jets[name]
        self.n = end

    def set_attrs(self, attrs: Mapping[str, object]) -> None:
        for key, value in attrs.items():
            self._file.attrs[key] = json.dumps(value) if isinstance(value, dict | list) else value

    def close(self) -> None:
        self._file.close()


@dataclass
class StoreInfo:
    """What a store holds, as ``jetvision images --inspect`` prints it."""

    path: Path
    n_jets: int
    shape: tuple[int, ...]
    channels: list[str]
    counts: dict[str, dict[str, int]]  # split -> {"signal": n, "background": n}
    attrs: dict[str, object]

    def lines(self) -> list[str]:
        out = [
            f"{self.path}: {self.n_jets} jets, images {list(self.shape)} (C, H, W)",
            f"channels: {', '.join(self.channels)}",
        ]
        out += [
            f"  {split:<10} {c['signal']:>8} H->bb {c['background']:>8} QCD"
            for split, c in self.counts.items()
        ]
        keys = (
            "grid",
            "preprocessing",
            "selection",
            "balance",
            "seed",
            "input_files",
            "dropped",
            "version",
        )
        out += [f"{key}: {self.attrs[key]}" for key in keys if key in self.attrs]
        return out


def open_store(path: str | os.PathLike[str]) -> h5py.File:
    """Open an image store read-only, with an :class:`InputFileError` naming what is wrong."""
    p = Path(path)
    if not p.is_file():
        raise InputFileError(f"image file {str(p)!r} does not exist")
    try:
        handle = h5py.File(p, "r")
    except OSError as exc:
        raise InputFileError(f"{str(p)!r} is not an HDF5 file ({exc})") from exc
    missing = [k for k in ("images", "labels", "split") if k not in handle]
    if missing:
        handle.close()
        raise InputFileError(
            f"{str(p)!r} is not a jetvision image file: no {', '.join(missing)} dataset"
        )
    return handle


def _attr(handle: h5py.File, key: str) -> object:
    value = handle.attrs[key]
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value.item() if isinstance(value, np.generic) else value


def inspect(path: str | os.PathLike[str]) -> StoreInfo:
    """Counts per class and split, channels and settings of a store."""
    with open_store(path) as handle:
        labels = handle["labels"][:]
        split = handle["split"][:]
        attrs = {k: _attr(handle, k) for k in handle.attrs}
        counts = {
            name: {
                "signal": int(((split == code) & (labels == 1)).sum()),
                "background": int(((split == code) & (labels == 0)).sum()),
            }
            for name, code in SPLITS.items()
        }
        return StoreInfo(
            Path(path),
            len(labels),
            handle["images"].shape[1:],
            list(attrs.get("channels", [])),
            counts,
            attrs,
        )


def split_indices(handle: h5py.File, split: str) -> np.ndarray:
    """Indices of the jets in one split, raising if the split is unknown or empty."""
    if split not in SPLITS:
        raise InputFileError(f"unknown split {split!r}; available: {', '.join(SPLITS)}")
    indices = np.flatnonzero(handle["split"][:] == SPLITS[split])
    if len(indices) == 0:
        raise InputFileError(f"{handle.filename!r} has no jets in the {split!r} split")
    return indices


def average_images(path: str | os.PathLike[str], chunk: int = 4096) -> dict[int, np.ndarray]:
    """Mean image [C, H, W] of each class (label -> image), read in chunks."""
    with open_store(path) as handle:
        images, labels = handle["images"], handle["labels"][:]
        sums = {label: np.zeros(images.shape[1:]) for label in (0, 1)}
        for start in range(0, len(labels), chunk):
            block = images[start : start + chunk]
            for label in (0, 1):
                sums[label] += block[labels[start : start + chunk] == label].sum(axis=0)
        return {label: sums[label] / max(int((labels == label).sum()), 1) for label in (0, 1)}
