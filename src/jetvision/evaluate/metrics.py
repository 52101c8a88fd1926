"""The figures physicists report for a tagger, from scores and labels.

* ``auc``: area under the ROC curve, with a bootstrap 95% interval (percentiles of the
  AUC over resamples of the test jets with replacement);
* ``accuracy`` at threshold 0.5, and ``accuracy_tuned`` at the threshold that maximizes
  accuracy on the validation split (a tagger's operating point is chosen on data it was
  not tested on);
* background rejection ``1 / eps_B`` at a signal efficiency ``eps_S`` of 30% and 50%:
  the working point is the score threshold that keeps that fraction of signal jets;
* background efficiency per QCD truth label at the 50% working point.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve

QCD_LABEL_NAMES = {51: "QCD_bb", 52: "QCD_cc", 53: "QCD_b", 54: "QCD_c", 55: "QCD_others"}


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (NaN when one class is missing)."""
    if len(np.unique(labels)) < 2:
        return math.nan
    return float(roc_auc_score(labels, scores))


def auc_interval(
    labels: np.ndarray,
    scores: np.ndarray,
    *,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float]:
    """Bootstrap percentile interval of the AUC."""
    rng = np.random.default_rng(seed)
    n = len(labels)
    values = []
    for _ in range(n_boot):
        idx = rng.integers(0, n, n)
        if labels[idx].min() != labels[idx].max():
            values.append(roc_auc_score(labels[idx], scores[idx]))
    if not values:
        return math.nan, math.nan
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def accuracy(labels: np.ndarray, scores: np.ndarray, threshold: float = 0.5) -> float:
    """Fraction of jets classified correctly with ``score > threshold`` as signal."""
    return float(((scores > threshold).astype(int) == labels).mean())


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The threshold that maximizes accuracy on these jets (midpoint between scores)."""
    order = np.argsort(scores)
    s, y = scores[order], labels[order]
    # threshold just below s[k]: jets k.. are signal; correct = bkg below + signal at/above
    bkg_below = np.concatenate([[0], np.cumsum(y == 0)])
    sig_above = np.concatenate([np.cumsum((y == 1)[::-1])[::-1], [0]])
    correct = bkg_below + sig_above
    k = int(np.argmax(correct))
    if k == 0:
        return float(s[0]) - 1e-12
    if k == len(s):
        return float(s[-1])
    return float((s[k - 1] + s[k]) / 2)


def working_point(labels: np.ndarray, scores: np.ndarray, signal_efficiency: float) -> float:
    """Score threshold above which the fraction ``signal_efficiency`` of signal lies."""
    if not 0 < signal_efficiency <= 1:
        raise ValueError(f"signal efficiency must be in (0, 1], got {signal_efficiency}")
    signal = np.sort(scores[labels == 1])[::-1]
    keep = max(math.ceil(signal_efficiency * len(signal)), 1)
    return float(signal[keep - 1])


def background_efficiency(labels: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    """Fraction of background jets with ``score >= threshold``."""
    background = scores[labels == 0]
    return float((background >= threshold).mean()) if len(background) else math.nan


def rejection(labels: np.ndarray, scores: np.ndarray, signal_efficiency: float) -> float:
    """``1 / eps_B`` at the working point of ``signal_efficiency`` (inf if eps_B = 0)."""
    eps_b = background_efficiency(labels, scores, working_point(labels, scores, signal_efficiency))
    return math.inf if eps_b == 0 else 1.0 / eps_b


def roc_points(labels: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Signal efficiency and background rejection along the ROC curve (eps_B > 0 only)."""
    eps_b, eps_s, _ = roc_curve(labels, scores)
    keep = eps_b > 0
    return eps_s[keep], 1.0 / eps_b[keep]


def summary(
    labels: np.ndarray,
    scores: np.ndarray,
    *,
    val_labels: np.ndarray | None = None,
    val_scores: np.ndarray | None = None,
    fj_label: np.ndarray | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, object]:
    """Every figure of ``metrics.json`` (see the module docstring)."""
    low, high = auc_interval(labels, scores, n_boot=n_boot, seed=seed)
    tuned = (
        best_threshold(val_labels, val_scores)
        if val_labels is not None and val_scores is not None and len(val_labels)
        else 0.5
    )
    out: dict[str, object] = {
        "auc": auc(labels, scores),
        "auc_ci": [low, high],
        "accuracy": accuracy(labels, scores),
        "accuracy_tuned": accuracy(labels, scores, tuned),
        "threshold_tuned": tuned,
        "rejection_at_eff30": rejection(labels, scores, 0.3),
        "rejection_at_eff50": rejection(labels, scores, 0.5),
        "n_test": len(labels),
        "n_signal": int(labels.sum()),
    }
    if fj_label is not None:
        threshold = working_point(labels, scores, 0.5)
        out["background_efficiency_at_eff50"] = {
            name: background_efficiency(
                labels[fj_label == code], scores[fj_label == code], threshold
            )
            for code, name in QCD_LABEL_NAMES.items()
            if np.any(fj_label == code)
        }
    return out
