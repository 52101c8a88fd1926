"""The trainer: epochs of mini-batch gradient descent with validation, checkpoints, resume.

Each epoch records training and validation loss, accuracy and AUC, the learning rate
and the time in ``history.csv``; ``last.pt`` (everything needed to resume) and
``best.pt`` (the weights with the lowest validation loss) are rewritten atomically.
The data order of epoch e depends only on the seed and e, and the random state is
saved with ``last.pt``, so on CPU a resumed run ends with the same weights as an
uninterrupted one.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import os
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
import yaml
from sklearn.metrics import roc_auc_score
from torch import nn

from jetvision._io import write_text_atomic
from jetvision.errors import CheckpointError, ConfigError
from jetvision.models import create_model, parameter_count, spec
from jetvision.train import checkpoint, distributed
from jetvision.train.config import TrainConfig
from jetvision.train.data import Split, channel_scale, load_split

logger = logging.getLogger(__name__)

CONFIG_FILE, HISTORY_FILE = "config.yaml", "history.csv"
HISTORY_FIELDS = (
    "epoch",
    "train_loss",
    "train_acc",
    "train_auc",
    "val_loss",
    "val_acc",
    "val_auc",
    "lr",
    "seconds",
)


class Callbacks:
    """Hooks for progress display; the command line fills them with progress bars."""

    def epoch_start(self, epoch: int, epochs: int, n_images: int) -> None:
        """Called before each epoch's first batch."""

    def batch_end(self, n_images: int, loss: float) -> None:
        """Called after each training step."""

    def epoch_end(self, row: dict[str, float]) -> None:
        """Called with the epoch's history row."""


@dataclass
class TrainResult:
    """Where a run stands after ``fit``."""

    run_dir: Path
    history: list[dict[str, float]]
    best_epoch: int
    seconds: float
    parameters: int
    stopped_early: bool = False


def select_device(name: str) -> torch.device:
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("--device cuda asked for, but no CUDA device is available")
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def _auc(labels: np.ndarray, scores: np.ndarray) -> float:
    return float(roc_auc_score(labels, scores)) if len(np.unique(labels)) == 2 else math.nan


def _make_optimizer(config: TrainConfig, params: object) -> torch.optim.Optimizer:
    if config.optimizer == "sgd":
        return torch.optim.SGD(
            params, lr=config.lr, momentum=config.momentum, weight_decay=config.weight_decay
        )
    kind = torch.optim.Adam if config.optimizer == "adam" else torch.optim.AdamW
    return kind(params, lr=config.lr, weight_decay=config.weight_decay)


@dataclass
class _EpochStats:
    loss_sum: float = 0.0
    n: int = 0
    scores: list[torch.Tensor] = field(default_factory=list)
    labels: list[torch.Tensor] = field(default_factory=list)


class Trainer:
    """Train one network on the train split of an image store, validating every epoch."""

    def __init__(
        self,
        config: TrainConfig,
        run_dir: str | os.PathLike[str],
        callbacks: Callbacks | None = None,
    ) -> None:
        config.check()
        if not spec(config.model).neural:
            raise ConfigError(f"model {config.model!r} is not a network; use train_bdt")
        self.config = config
        self.run_dir = Path(run_dir)
        self.callbacks = callbacks or Callbacks()
        self.device = select_device(config.device)
        self.context = distributed.setup(self.device)
        self.scale: torch.Tensor | None = None

    # -------------------------------------------------------------- batches

    def _inputs(self, images: torch.Tensor) -> torch.Tensor:
        x = images.to(self.device, non_blocking=True) * self.scale
        if self.config.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        return x

    def _forward(self, model: nn.Module, x: torch.Tensor) -> torch.Tensor:
        autocast = (
            torch.autocast(self.device.type, dtype=torch.bfloat16)
            if self.config.bf16
            else nullcontext()
        )
        with autocast:
            out = model(x)
        return out.float()

    def _loss(self, out: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        if self.config.loss == "nll":
            return nn.functional.nll_loss(out, labels)
        return nn.functional.cross_entropy(out, labels)

    def _train_epoch(
        self, model: nn.Module, optimizer: torch.optim.Optimizer, data: Split, epoch: int
    ) -> dict[str, float]:
        generator = torch.Generator().manual_seed(self.config.seed * 100_003 + epoch)
        order = distributed.shard(torch.randperm(len(data), generator=generator), self.context)
        model.train()
        stats = _EpochStats()
        bs = self.config.batch_size
        for start in range(0, len(order), bs):
            idx = order[start : start + bs]
            if len(idx) < 2:  # batch norm needs two samples
                continue
            labels = data.labels[idx].to(self.device)
            out = self._forward(model, self._inputs(data.images[idx]))
            loss = self._loss(out, labels)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            value = loss.item()
            stats.loss_sum += value * len(idx)
            stats.n += len(idx)
            stats.scores.append(out.detach())
            stats.labels.append(labels)
            self.callbacks.batch_end(len(idx), value)
        return self._summary(stats, "train")

    @torch.no_grad()
    def evaluate(
        self, model: nn.Module, data: Split, batch_size: int = 256
    ) -> tuple[dict[str, float], np.ndarray]:
        """Loss, accuracy and AUC on a split, and the signal scores."""
        model.eval()
        stats = _EpochStats()
        for start in range(0, len(data), batch_size):
            labels = data.labels[start : start + batch_size].to(self.device)
            out = self._forward(model, self._inputs(data.images[start : start + batch_size]))
            stats.loss_sum += self._loss(out, labels).item() * len(labels)
            stats.n += len(labels)
            stats.scores.append(out)
            stats.labels.append(labels)
        summary = self._summary(stats, "val", gather=False)
        return summary, torch.softmax(torch.cat(stats.scores), dim=1)[:, 1].cpu().numpy()

    def _summary(self, stats: _EpochStats, prefix: str, gather: bool = True) -> dict[str, float]:
        # outputs are collected per batch and turned into signal scores once per epoch
        scores = (
            torch.softmax(torch.cat(stats.scores), dim=1)[:, 1].cpu()
            if stats.scores
            else torch.zeros(0)
        )
        labels = torch.cat(stats.labels).cpu() if stats.labels else torch.zeros(0, dtype=torch.long)
        totals = torch.tensor([stats.loss_sum, float(stats.n)], dtype=torch.float64)
        if gather and self.context.enabled:
            torch.distributed.all_reduce(totals)
            scores = distributed.gather(scores, self.context)
            labels = distributed.gather(labels, self.context)
        n = max(totals[1].item(), 1.0)
        accuracy = float(((scores > 0.5).long() == labels).float().mean()) if len(labels) else 0
        return {
            f"{prefix}_loss": totals[0].item() / n,
            f"{prefix}_acc": accuracy,
            f"{prefix}_auc": _auc(labels.numpy(), scores.numpy()),
        }

    # -------------------------------------------------------------- the run

    def fit(self, data_path: str | os.PathLike[str], *, resume: bool = False) -> TrainResult:
        """Train on the ``train`` split and validate on ``validation``."""
        train = load_split(data_path, "train")
        val = load_split(data_path, "validation")
        torch.manual_seed(self.config.seed)
        in_channels = train.images.shape[1]
        model = create_model(
            self.config.model, in_channels=in_channels, num_classes=self.config.num_classes
        )
        if self.config.loss == "nll" and not getattr(model, "log_probabilities", False):
            raise ConfigError(
                f"loss 'nll' needs log-probabilities, but {self.config.model!r} "
                "returns raw scores: use --loss cross_entropy"
            )
        model.to(self.device)
        if self.config.channels_last:
            model = model.to(memory_format=torch.channels_last)
        optimizer = _make_optimizer(self.config, model.parameters())
        history: list[dict[str, float]] = []
        best = {"val_loss": math.inf, "epoch": 0, "stale": 0}
        scale = channel_scale(train.images)
        if resume:
            scale, history, best = self._restore(model, optimizer)
        self.scale = torch.tensor(scale, device=self.device).view(1, -1, 1, 1)
        wrapped = nn.parallel.DistributedDataParallel(model) if self.context.enabled else model
        if self.context.is_main:
            self._write_config(data_path, train, scale, parameter_count(model))

        start = time.perf_counter()
        stopped = False
        for epoch in range(len(history) + 1, self.config.epochs + 1):
            t0 = time.perf_counter()
            self.callbacks.epoch_start(
                epoch,
                self.config.epochs,
                len(distributed.shard(torch.arange(len(train)), self.context)),
            )
            row: dict[str, float] = {"epoch": epoch}
            row.update(self._train_epoch(wrapped, optimizer, train, epoch))
            row.update(self.evaluate(model, val)[0])
            row["lr"] = optimizer.param_groups[0]["lr"]
            row["seconds"] = time.perf_counter() - t0
            history.append(row)
            improved = row["val_loss"] < best["val_loss"]
            if improved:
                best.update(val_loss=row["val_loss"], epoch=epoch, stale=0)
            else:
                best["stale"] += 1
            if self.context.is_main:
                self._save(model, optimizer, history, best, scale, improved)
            self.callbacks.epoch_end(row)
            logger.info(
                "epoch %d/%d  train loss %.4f acc %.3f auc %.3f | val loss %.4f "
                "acc %.3f auc %.3f | lr %.2g | %.1f s",
                epoch,
                self.config.epochs,
                row["train_loss"],
                row["train_acc"],
                row["train_auc"],
                row["val_loss"],
                row["val_acc"],
                row["val_auc"],
                row["lr"],
                row["seconds"],
            )
            if self.config.patience is not None and best["stale"] >= self.config.patience:
                logger.info(
                    "early stopping: no better validation loss for %d epochs", self.config.patience
                )
                stopped = True
                break
        distributed.barrier(self.context)
        return TrainResult(
            self.run_dir,
            history,
            int(best["epoch"]),
            time.perf_counter() - start,
            parameter_count(model),
            stopped,
        )

    def _write_config(
        self, data_path: str | os.PathLike[str], train: Split, scale: list[float], parameters: int
    ) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        resolved = {
            **self.config.to_dict(),
            "data": str(Path(data_path).resolve()),
            "input_shape": list(train.images.shape[1:]),
            "input_scale": scale,
            "parameters": parameters,
            "n_train": len(train),
        }
        write_text_atomic(self.run_dir / CONFIG_FILE, yaml.safe_dump(resolved, sort_keys=False))

    def _save(
        self,
        model: nn.Module,
        optimizer: torch.optim.Optimizer,
        history: list[dict[str, float]],
        best: dict[str, float],
        scale: list[float],
        improved: bool,
    ) -> None:
        state = {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "history": history,
            "best": best,
            "input_scale": scale,
            "rng": torch.get_rng_state(),
            "model_name": self.config.model,
        }
        checkpoint.save(state, self.run_dir / checkpoint.LAST)
        if improved:
            checkpoint.save(
                {
                    "model": model.state_dict(),
                    "epoch": history[-1]["epoch"],
                    "input_scale": scale,
                    "model_name": self.config.model,
                },
                self.run_dir / checkpoint.BEST,
            )
        write_history(self.run_dir / HISTORY_FILE, history)

    def _restore(
        self, model: nn.Module, optimizer: torch.optim.Optimizer
    ) -> tuple[list[float], list[dict[str, float]], dict[str, float]]:
        state = checkpoint.load(self.run_dir / checkpoint.LAST)
        if state.get("model_name") != self.config.model:
            raise CheckpointError(
                f"{self.run_dir} holds a {state.get('model_name')!r} run, not {self.config.model!r}"
            )
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["rng"])
        history = list(state["history"])
        logger.info("resuming %s after epoch %d", self.run_dir, len(history))
        return list(state["input_scale"]), history, dict(state["best"])


def write_history(path: Path, history: list[dict[str, float]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HISTORY_FIELDS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(history)
    write_text_atomic(path, buffer.getvalue())


def read_history(path: Path) -> list[dict[str, float]]:
    with open(path, newline="") as handle:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(handle)]
