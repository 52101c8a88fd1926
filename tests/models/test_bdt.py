"""The BDT baseline separates classes that soft-drop mass separates."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from jetvision.models import create_model


def sample(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    columns = {
        "fj_sdmass": np.where(labels == 1, rng.normal(125, 10, n), rng.normal(60, 15, n)),
        "fj_tau21": rng.random(n),  # no information in the other features
        "fj_pt": rng.uniform(300, 800, n),
        "fj_eta": rng.uniform(-2.4, 2.4, n),
    }
    return create_model("bdt").matrix(columns), labels


def test_bdt_separates_on_soft_drop_mass() -> None:
    bdt = create_model("bdt")
    x, y = sample(2000, 0)
    bdt.fit(x, y)
    x_test, y_test = sample(1000, 1)
    scores = bdt.predict_proba(x_test)[:, 1]
    assert roc_auc_score(y_test, scores) > 0.97
    assert bdt.n_iter > 0
