"""Checkpoints: state dicts only, written atomically, read with ``weights_only=True``."""

from __future__ import annotations

import os
from pathlib import Path

import torch

from jetvision._io import atomic_path
from jetvision.errors import CheckpointError

LAST, BEST = "last.pt", "best.pt"


def save(state: dict[str, object], path: str | os.PathLike[str]) -> None:
    """Write ``state`` (tensors, numbers, strings, lists, dicts) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        torch.save(state, tmp)


def load(path: str | os.PathLike[str]) -> dict[str, object]:
    """Read a checkpoint safely; a CheckpointError says what is wrong with it."""
    p = Path(path)
    if not p.is_file():
        raise CheckpointError(f"checkpoint {str(p)!r} does not exist")
    try:
        state = torch.load(p, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise CheckpointError(
            f"checkpoint {str(p)!r} is corrupted or not a jetvision "
            f"checkpoint ({type(exc).__name__}: {exc})"
        ) from exc
    if not isinstance(state, dict) or "model" not in state:
        raise CheckpointError(f"checkpoint {str(p)!r} holds no model state")
    return state
