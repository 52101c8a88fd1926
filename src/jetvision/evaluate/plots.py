"""Plots of tagger performance, from scores, labels and training histories."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import numpy as np

from jetvision.evaluate import metrics


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib  # noqa: PLC0415  (plots are optional work)

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    return plt


def _save(fig: object, path: str | os.PathLike[str]) -> None:
    plt = _pyplot()
    fig.tight_layout()  # type: ignore[attr-defined]
    fig.savefig(path, dpi=110)  # type: ignore[attr-defined]
    plt.close(fig)


def roc(curves: Mapping[str, tuple[np.ndarray, np.ndarray]], path: str | os.PathLike[str]) -> None:
    """Background rejection (log) against signal efficiency, one line per tagger."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 4.5))
    for name, (labels, scores) in curves.items():
        eps_s, rej = metrics.roc_points(labels, scores)
        ax.plot(eps_s, rej, label=f"{name} (AUC {metrics.auc(labels, scores):.3f})")
    ax.plot(np.linspace(0.01, 1, 100), 1 / np.linspace(0.01, 1, 100), "k:", label="random")
    ax.set_yscale("log")
    ax.set_xlabel(r"signal efficiency $\epsilon_S$ (H$\to$bb)")
    ax.set_ylabel(r"background rejection $1/\epsilon_B$ (QCD)")
    ax.set_xlim(0, 1)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    _save(fig, path)


def score_distributions(
    labels: np.ndarray, scores: np.ndarray, path: str | os.PathLike[str]
) -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.5, 4))
    bins = np.linspace(0, 1, 41)
    ax.hist(scores[labels == 1], bins, density=True, histtype="step", label=r"H$\to$bb")
    ax.hist(scores[labels == 0], bins, density=True, histtype="step", label="QCD")
    ax.set_xlabel("H->bb score")
    ax.set_ylabel("normalized jets")
    ax.legend()
    _save(fig, path)


def confusion(
    labels: np.ndarray, scores: np.ndarray, threshold: float, path: str | os.PathLike[str]
) -> None:
    plt = _pyplot()
    predicted = (scores > threshold).astype(int)
    matrix = np.array([[np.sum((labels == t) & (predicted == p)) for p in (0, 1)] for t in (0, 1)])
    fig, ax = plt.subplots(figsize=(4, 3.6))
    ax.imshow(matrix, cmap="Blues")
    for t in (0, 1):
        for p in (0, 1):
            ax.text(p, t, str(matrix[t, p]), ha="center", va="center")
    ax.set_xticks([0, 1], ["QCD", "H->bb"])
    ax.set_yticks([0, 1], ["QCD", "H->bb"])
    ax.set_xlabel(f"predicted (score > {threshold:.2f})")
    ax.set_ylabel("true")
    _save(fig, path)


def mass_sculpting(
    labels: np.ndarray, scores: np.ndarray, sdmass: np.ndarray, path: str | os.PathLike[str]
) -> None:
    """Soft-drop mass of QCD jets before and after the 50% signal-efficiency cut."""
    plt = _pyplot()
    threshold = metrics.working_point(labels, scores, 0.5)
    qcd = labels == 0
    bins = np.linspace(40, 200, 33)
    fig, ax = plt.subplots(figsize=(5.5, 4))
    for selected, style, label in (
        (qcd, "-", "QCD, all"),
        (qcd & (scores >= threshold), "-", r"QCD, passing $\epsilon_S$ = 50%"),
        (labels == 1, "--", r"H$\to$bb, all"),
    ):
        inside = selected & (sdmass >= bins[0]) & (sdmass <= bins[-1])
        if inside.any():  # a normalized histogram of nothing is undefined
            ax.hist(
                sdmass[inside], bins, density=True, histtype="step", linestyle=style, label=label
            )
    ax.set_xlabel(r"soft-drop mass $m_{SD}$ [GeV]")
    ax.set_ylabel("normalized jets")
    ax.legend(fontsize=8)
    _save(fig, path)


def training_curves(
    histories: Mapping[str, Sequence[Mapping[str, float]]], path: str | os.PathLike[str]
) -> None:
    """Loss and AUC per epoch, one column per run (side by side)."""
    plt = _pyplot()
    fig, axes = plt.subplots(2, len(histories), figsize=(4 * len(histories), 6), squeeze=False)
    for col, (name, history) in enumerate(histories.items()):
        epoch = [row["epoch"] for row in history]
        for row_index, key in enumerate(("loss", "auc")):
            ax = axes[row_index, col]
            ax.plot(epoch, [r[f"train_{key}"] for r in history], "o-", label="train")
            ax.plot(epoch, [r[f"val_{key}"] for r in history], "s-", label="validation")
            ax.set_xlabel("epoch")
            ax.set_ylabel(key)
            ax.set_title(name)
            ax.legend(fontsize=8)
    _save(fig, path)
