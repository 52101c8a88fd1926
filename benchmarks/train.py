"""Trainer overhead against a hand-written loop, and B-CNN speed per option, in one run.

Targets (issue 5): the jetvision trainer is within 5% of a minimal PyTorch loop on the
same model and data, and B-CNN trains at >= 100 images/s at 32 x 32 on 2 CPU cores with
the best speed option.

    python benchmarks/train.py [--images 768] [--model bcnn-paper]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from jetvision.images.store import StoreWriter
from jetvision.models import create_model
from jetvision.train import Callbacks, Trainer, resolve
from jetvision.train.data import channel_scale, load_split


class Clock(Callbacks):
    """Times the training phase of each epoch (validation excluded)."""

    def __init__(self) -> None:
        self.rates: list[float] = []

    def epoch_start(self, epoch: int, epochs: int, n_images: int) -> None:
        self.start, self.n = time.perf_counter(), 0

    def batch_end(self, n_images: int, loss: float) -> None:
        self.n += n_images
        self.end = time.perf_counter()

    def epoch_end(self, row: dict[str, float]) -> None:
        self.rates.append(self.n / (self.end - self.start))


def write_store(path: Path, n: int) -> None:
    rng = np.random.default_rng(0)
    images = rng.exponential(1e-3, (n, 1, 32, 32)).astype(np.float32)
    labels = rng.integers(0, 2, n).astype(np.int8)
    split = np.where(np.arange(n) < n - 64, 0, 1).astype(np.int8)
    jets = {k: rng.random(n) for k in ("fj_pt", "fj_eta", "fj_sdmass", "fj_tau21")}
    jets["fj_label"] = np.full(n, 55)
    writer = StoreWriter(path, 1, 32)
    writer.append(images, labels, split, jets)
    writer.close()


def trainer_rate(store: Path, run: Path, model: str, epochs: int, **options: object) -> float:
    clock = Clock()
    config = resolve(preset="bcnn-paper", overrides={"model": model, "epochs": epochs, **options})
    Trainer(config, run, clock).fit(store)
    return max(clock.rates[1:] or clock.rates)  # the first epoch warms up


def minimal_rate(store: Path, model_name: str, epochs: int) -> float:
    """The same work written by hand: shuffle, scale, channels-last, Adam, cross entropy."""
    data = load_split(store, "train")
    scale = torch.tensor(channel_scale(data.images)).view(1, -1, 1, 1)
    torch.manual_seed(1)
    model = create_model(model_name).to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5)
    rates = []
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(data), generator=torch.Generator().manual_seed(epoch))
        start = time.perf_counter()
        for i in range(0, len(order), 32):
            idx = order[i : i + 32]
            x = (data.images[idx] * scale).contiguous(memory_format=torch.channels_last)
            loss = nn.functional.cross_entropy(model(x), data.labels[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
        rates.append(len(order) / (time.perf_counter() - start))
    return max(rates[1:] or rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=768)
    parser.add_argument("--model", default="bcnn-paper")
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        store = tmp / "s.h5"
        write_store(store, args.images + 64)
        print(
            f"{args.model}, {args.images} images of 1 x 32 x 32, batch 32, "
            f"{torch.get_num_threads()} threads; best epoch of {args.epochs}"
        )
        hand = minimal_rate(store, args.model, args.epochs)
        ours = trainer_rate(store, tmp / "r0", args.model, args.epochs)
        print(f"minimal hand-written loop   {hand:7.1f} img/s")
        print(
            f"jetvision trainer           {ours:7.1f} img/s   overhead "
            f"{(hand - ours) / hand:+.1%} (target < 5%)"
        )
        options = {
            "fp32, contiguous": {"channels_last": False, "bf16": False},
            "fp32, channels-last": {"channels_last": True, "bf16": False},
            "bf16 autocast, contiguous": {"channels_last": False, "bf16": True},
            "bf16 autocast, channels-last": {"channels_last": True, "bf16": True},
        }
        for k, (name, opts) in enumerate(options.items()):
            rate = trainer_rate(store, tmp / f"r{k + 1}", args.model, args.epochs, **opts)
            print(f"{name:<28}{rate:7.1f} img/s   (target >= 100)")


if __name__ == "__main__":
    main()
