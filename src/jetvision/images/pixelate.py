"""Pixelate particles into jet images, vectorized over many jets.

The grid spans ``[-extent, extent]`` in both eta_rel (rows, image axis H) and phi_rel
(columns, image axis W), with ``size`` bins each. A particle's bin follows
``numpy.histogram2d`` exactly: right-closed last bin, particles outside dropped.
"""

from __future__ import annotations

import numpy as np


def bin_index(x: np.ndarray, size: int, extent: float) -> np.ndarray:
    """Bin of each coordinate, -1 outside the grid (the rule of numpy.histogramdd)."""
    edges = np.linspace(-extent, extent, size + 1)
    idx = np.searchsorted(edges, x, side="right") - 1
    idx[x == edges[-1]] = size - 1
    idx[(x < edges[0]) | (x > edges[-1]) | ~np.isfinite(x)] = -1
    return idx


def pixelate(
    eta: np.ndarray,
    phi: np.ndarray,
    weight: np.ndarray,
    jet_of: np.ndarray,
    n_jets: int,
    size: int,
    extent: float,
) -> np.ndarray:
    """[n_jets, size, size] float64 images: the sum of ``weight`` per pixel.

    ``eta``, ``phi``, ``weight`` and ``jet_of`` are flat over the particles of all jets.
    """
    row, col = bin_index(eta, size, extent), bin_index(phi, size, extent)
    inside = (row >= 0) & (col >= 0)
    flat = (jet_of[inside] * size + row[inside]) * size + col[inside]
    counts = np.bincount(flat, weights=weight[inside], minlength=n_jets * size * size)
    return counts.reshape(n_jets, size, size)


def reference_image(
    eta: np.ndarray, phi: np.ndarray, weight: np.ndarray, size: int, extent: float
) -> np.ndarray:
    """One jet's image with ``numpy.histogram2d``: the slow reference for tests/benchmarks."""
    image, _, _ = np.histogram2d(eta, phi, bins=size, range=[[-extent, extent]] * 2, weights=weight)
    return image
