"""Models by name: every family registers its factories here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from torch import nn


@dataclass(frozen=True)
class ModelSpec:
    """A registered model: its factory, whether it is a network, and a one-line summary."""

    name: str
    factory: Callable[..., object]
    neural: bool
    summary: str


_REGISTRY: dict[str, ModelSpec] = {}


def register(name: str, summary: str, *, neural: bool = True) -> Callable:
    """Class or function decorator that registers a model factory under ``name``."""

    def decorate(factory: Callable) -> Callable:
        if name in _REGISTRY:
            raise ValueError(f"model name {name!r} is registered twice")
        _REGISTRY[name] = ModelSpec(name, factory, neural, summary)
        return factory

    return decorate


def available() -> list[str]:
    """Names of every registered model."""
    return list(_REGISTRY)


def spec(name: str) -> ModelSpec:
    """The registration of ``name``; a ValueError lists the registered names otherwise."""
    if name not in _REGISTRY:
        raise ValueError(f"unknown model {name!r}; registered: {', '.join(_REGISTRY)}")
    return _REGISTRY[name]


def create_model(
    name: str, *, in_channels: int = 1, num_classes: int = 2, **kwargs: object
) -> object:
    """A new model ``name`` for images with ``in_channels`` channels."""
    if in_channels < 1:
        raise ValueError(f"in_channels must be positive, got {in_channels}")
    if num_classes < 2:
        raise ValueError(f"num_classes must be at least 2, got {num_classes}")
    return spec(name).factory(in_channels=in_channels, num_classes=num_classes, **kwargs)


def parameter_count(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
