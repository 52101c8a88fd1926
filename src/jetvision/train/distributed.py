"""Distributed data-parallel set-up under ``torchrun`` (gloo on CPU, NCCL on GPU)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass
class Context:
    """Where this process stands: rank, world size, and whether it writes the outputs."""

    rank: int = 0
    world_size: int = 1

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def setup(device: torch.device) -> Context:
    """Join the process group that ``torchrun`` describes in the environment, if any."""
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    if world_size <= 1:
        return Context()
    if not dist.is_initialized():
        backend = "nccl" if device.type == "cuda" else "gloo"
        dist.init_process_group(backend=backend)
    return Context(dist.get_rank(), dist.get_world_size())


def shard(indices: torch.Tensor, context: Context) -> torch.Tensor:
    """This rank's share of a permutation; every rank gets the same number of items."""
    if not context.enabled:
        return indices
    per_rank = len(indices) // context.world_size
    return indices[context.rank * per_rank : (context.rank + 1) * per_rank]


def gather(values: torch.Tensor, context: Context) -> torch.Tensor:
    """Concatenate a 1-d tensor of equal length from every rank (rank order)."""
    if not context.enabled:
        return values
    parts = [torch.empty_like(values) for _ in range(context.world_size)]
    dist.all_gather(parts, values.contiguous())
    return torch.cat(parts)


def barrier(context: Context) -> None:
    if context.enabled:
        dist.barrier()


def teardown(context: Context) -> None:
    if context.enabled and dist.is_initialized():
        dist.destroy_process_group()
