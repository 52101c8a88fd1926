"""Gradient-boosted decision trees on high-level jet features: the physics baseline.

The features are the jet variables stored beside the images: soft-drop mass,
N-subjettiness ratio tau21, pT and eta (the inputs of classic cut-based and BDT
double-b taggers). The trees are scikit-learn's histogram gradient boosting
(LightGBM-style, Ke et al., NeurIPS 2017).
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from jetvision.models.registry import register

FEATURES = ("fj_sdmass", "fj_tau21", "fj_pt", "fj_eta")


@register("bdt", "gradient-boosted trees on m_SD, tau21, pT, eta (no image)", neural=False)
class JetBDT:
    """``fit(features, labels)`` and ``predict_proba(features)`` on [N, 4] feature arrays."""

    features = FEATURES

    def __init__(
        self,
        *,
        in_channels: int = 1,
        num_classes: int = 2,
        max_iter: int = 300,
        learning_rate: float = 0.1,
        seed: int = 0,
    ) -> None:
        del in_channels  # the trees never see an image
        self.num_classes = num_classes
        self.model = HistGradientBoostingClassifier(
            max_iter=max_iter,
            learning_rate=learning_rate,
            early_stopping=True,
            validation_fraction=0.15,
            n_iter_no_change=20,
            random_state=seed,
        )

    @staticmethod
    def matrix(columns: dict[str, np.ndarray]) -> np.ndarray:
        """[N, 4] feature matrix from per-jet columns."""
        return np.stack([np.asarray(columns[name], dtype=np.float64) for name in FEATURES], axis=1)

    def fit(self, x: np.ndarray, y: np.ndarray) -> JetBDT:
        self.model.fit(x, y)
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(x)

    @property
    def n_iter(self) -> int:
        return int(self.model.n_iter_)
