"""Pictures of jet images: the average image of each class, per channel."""

from __future__ import annotations

import os

import numpy as np


def save_average_images(
    averages: dict[int, np.ndarray],
    channels: list[str],
    extent: float,
    path: str | os.PathLike[str],
) -> None:
    """A grid of log-scale average images: one row per class, one column per channel."""
    import matplotlib  # noqa: PLC0415  (plotting is optional work)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from matplotlib.colors import LogNorm  # noqa: PLC0415

    names = {1: "H -> bb", 0: "QCD"}
    fig, axes = plt.subplots(2, len(channels), figsize=(3.2 * len(channels), 6.2), squeeze=False)
    for row, label in enumerate((1, 0)):
        for col, channel in enumerate(channels):
            image = averages[label][col]
            positive = image[image > 0]
            norm = LogNorm(positive.min(), positive.max()) if positive.size else None
            ax = axes[row, col]
            shown = ax.imshow(
                np.where(image > 0, image, np.nan),
                origin="lower",
                norm=norm,
                extent=(-extent, extent, -extent, extent),
                cmap="viridis",
            )
            ax.set_title(f"{names[label]}: {channel}", fontsize=10)
            ax.set_xlabel(r"$\phi_{rel}$")
            ax.set_ylabel(r"$\eta_{rel}$")
            fig.colorbar(shown, ax=ax, fraction=0.046)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def save_store_averages(store: str | os.PathLike[str], path: str | os.PathLike[str]) -> None:
    """The average-image grid of an image file, with its channels and grid extent."""
    from jetvision.images.store import average_images, inspect  # noqa: PLC0415

    info = inspect(store)
    grid = info.attrs.get("grid", {})
    extent = float(grid.get("extent", 0.8)) if isinstance(grid, dict) else 0.8
    save_average_images(average_images(store), info.channels, extent, path)
