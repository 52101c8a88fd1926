"""Metrics and plots on scores and labels (no knowledge of files, models or jets)."""

from __future__ import annotations

from jetvision.evaluate import metrics, plots

__all__ = ["metrics", "plots"]
