"""A separable synthetic image task: two-prong versus one-prong jets with noise."""

from __future__ import annotations

import torch


def prong_images(n: int, size: int = 32, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` normalized 1 x size x size images; label 1 = two prongs, 0 = one prong."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 2, (n,), generator=g)
    grid = torch.arange(size, dtype=torch.float32) - (size - 1) / 2
    yy, xx = torch.meshgrid(grid, grid, indexing="ij")

    def blob(y0: torch.Tensor, x0: torch.Tensor, width: float) -> torch.Tensor:
        return torch.exp(
            -((yy - y0[:, None, None]) ** 2 + (xx - x0[:, None, None]) ** 2) / (2 * width**2)
        )

    offset = 3 + 4 * torch.rand(n, generator=g)
    share = 0.3 + 0.4 * torch.rand(n, generator=g)
    zero = torch.zeros(n)
    one = blob(zero, zero, 1.5)
    two = (1 - share[:, None, None]) * blob(-offset / 2, zero, 1.2) + share[:, None, None] * blob(
        offset / 2, zero, 1.2
    )
    images = torch.where(labels[:, None, None] == 1, two, one)
    images = images + 0.02 * torch.rand(n, size, size, generator=g)
    images = images / images.sum(dim=(1, 2), keepdim=True)
    return images[:, None], labels
