"""Jet images: channels, preprocessing, pixelation, the HDF5 store.

The PyTorch dataset lives in :mod:`jetvision.images.dataset` and is imported from there,
so that building images does not load torch.
"""

from __future__ import annotations

from jetvision.images.build import BuildResult, ImageConfig, build, jet_images, parse_split
from jetvision.images.channels import CHANNELS, parse_channels
from jetvision.images.store import SPLITS, StoreInfo, average_images, inspect, open_store

__all__ = [
    "CHANNELS",
    "SPLITS",
    "BuildResult",
    "ImageConfig",
    "StoreInfo",
    "average_images",
    "build",
    "inspect",
    "jet_images",
    "open_store",
    "parse_channels",
    "parse_split",
]
