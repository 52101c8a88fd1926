"""The networks and the baseline, by name.

Plain tensors in, class scores out: models know nothing about files or jets. Every
neural model takes [N, C, H, W] for any C and H = W >= 32 and exposes
``forward_features`` and ``forward_head``.
"""

from __future__ import annotations

from jetvision.models import bdt, bilinear, cnn, cvn  # noqa: F401  (they register themselves)
from jetvision.models.registry import available, create_model, parameter_count, spec

__all__ = ["available", "create_model", "parameter_count", "spec"]
