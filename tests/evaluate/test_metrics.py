"""Metrics against scikit-learn and hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, roc_auc_score

from jetvision.evaluate import metrics


@pytest.fixture
def sample() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 500)
    scores = np.clip(labels * 0.3 + rng.normal(0.35, 0.2, 500), 0, 1)
    return labels, scores


def test_auc_and_accuracy_match_sklearn(sample: tuple[np.ndarray, np.ndarray]) -> None:
    labels, scores = sample
    assert metrics.auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores))
    assert metrics.accuracy(labels, scores) == pytest.approx(accuracy_score(labels, scores > 0.5))
    low, high = metrics.auc_interval(labels, scores, n_boot=300)
    assert low < metrics.auc(labels, scores) < high
    assert high - low < 0.15


def test_rejection_at_30_percent_by_hand() -> None:
    # 10 signal jets: the 30% working point keeps the 3 highest, threshold 0.8.
    signal = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])
    # 8 background jets: 2 of them score >= 0.8, so eps_B = 2/8 and rejection 4.
    background = np.array([0.85, 0.8, 0.75, 0.5, 0.3, 0.2, 0.1, 0.05])
    labels = np.r_[np.ones(10), np.zeros(8)].astype(int)
    scores = np.r_[signal, background]
    assert metrics.working_point(labels, scores, 0.3) == 0.8
    assert metrics.rejection(labels, scores, 0.3) == pytest.approx(4.0)
    # 50%: threshold 0.6, background >= 0.6: 3 of 8
    assert metrics.rejection(labels, scores, 0.5) == pytest.approx(8 / 3)


def test_perfect_tagger_has_infinite_rejection() -> None:
    labels = np.array([1, 1, 0, 0])
    scores = np.array([0.9, 0.8, 0.2, 0.1])
    assert math.isinf(metrics.rejection(labels, scores, 0.5))


def test_tuned_threshold_recovers_a_shifted_classifier() -> None:
    labels = np.array([0, 0, 0, 1, 1, 1])
    scores = np.array([0.70, 0.72, 0.74, 0.80, 0.82, 0.84])  # all above 0.5
    assert metrics.accuracy(labels, scores) == 0.5
    threshold = metrics.best_threshold(labels, scores)
    assert 0.74 < threshold < 0.80
    assert metrics.accuracy(labels, scores, threshold) == 1.0


def test_summary_has_every_field(sample: tuple[np.ndarray, np.ndarray]) -> None:
    labels, scores = sample
    fj_label = np.where(labels == 1, 41, 55)
    fj_label[:50] = np.where(labels[:50] == 1, 41, 51)
    result = metrics.summary(
        labels, scores, val_labels=labels, val_scores=scores, fj_label=fj_label, n_boot=50
    )
    assert set(result) >= {
        "auc",
        "auc_ci",
        "accuracy",
        "accuracy_tuned",
        "rejection_at_eff30",
        "rejection_at_eff50",
        "n_test",
        "background_efficiency_at_eff50",
    }
    assert set(result["background_efficiency_at_eff50"]) == {"QCD_bb", "QCD_others"}
    assert result["n_test"] == 500
