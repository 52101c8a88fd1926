"""A small image store of synthetic two-prong / one-prong images, written directly."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from jetvision.images.store import StoreWriter

from ..models.synthetic import prong_images


def write_store(
    path: Path, n: int = 160, seed: int = 0, split: tuple[float, float, float] = (0.6, 0.2, 0.2)
) -> Path:
    images, labels = prong_images(n, seed=seed)
    rng = np.random.default_rng(seed)
    codes = rng.choice(3, size=n, p=split).astype(np.int8)
    y = labels.numpy().astype(np.int8)
    jets = {
        "fj_pt": rng.uniform(300, 600, n),
        "fj_eta": rng.uniform(-2, 2, n),
        "fj_sdmass": np.where(y == 1, rng.normal(120, 10, n), rng.uniform(40, 200, n)),
        "fj_tau21": rng.random(n),
        "fj_label": np.where(y == 1, 41, rng.choice([51, 53, 55], n)),
    }
    writer = StoreWriter(path, 1, 32)
    writer.append(images.numpy(), y, codes, jets)
    writer.set_attrs({"channels": ["pt"], "grid": {"size": 32, "extent": 0.8}})
    writer.close()
    return path
