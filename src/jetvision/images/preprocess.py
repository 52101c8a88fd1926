"""Jet-image preprocessing on particle coordinates, vectorized over jets.

The steps, each switchable, in the order they run:

``translate``
    Move the jet's centre to the image centre: the pT-weighted centroid of its
    candidates (Macaluso & Shih, JHEP 10 (2018) 121, arXiv:1803.00107), or with
    ``axes="subjet"`` the leading subjet (Cogan, Kagan, Strauss, Schwartzman,
    JHEP 02 (2015) 118, arXiv:1407.5675; de Oliveira et al., JHEP 07 (2016) 069,
    arXiv:1511.05190).
``rotate``
    Rotate in the (eta, phi) plane so the principal axis of the pT distribution
    (Macaluso & Shih) points along eta, or with ``axes="subjet"`` so the second subjet
    lies straight below the first (de Oliveira et al.).
``flip``
    Reflect so that the more intense half of the image is at positive phi_rel and, with
    the principal axis, at positive eta_rel (whose sign the axis leaves open).
``normalize``
    Scale each channel of each image to unit sum (applied after pixelation).

Deviation: subjets are fixed cones of radius 0.3 around the hardest candidate and
around the hardest candidate outside that cone, each at its pT-weighted centroid, not
kT subjets of R = 0.3 as in Cogan et al.: this keeps the step vectorized without
FastJet. The transformation is found from the PF candidates and applied to every
collection (candidates and tracks) of the jet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jetvision.errors import ConfigError

STEPS = ("translate", "rotate", "flip", "normalize")
AXES = ("centroid", "subjet")
SUBJET_R = 0.3


def parse_steps(spec: str) -> tuple[str, ...]:
    """Steps from ``"translate,rotate,flip,normalize"`` (any subset) or ``"none"``."""
    if spec.strip() == "none":
        return ()
    steps = tuple(s.strip() for s in spec.split(","))
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        raise ConfigError(
            f"unknown preprocessing step {unknown[0]!r}; available: {', '.join(STEPS)} (or 'none')"
        )
    return tuple(s for s in STEPS if s in steps)


@dataclass
class Transform:
    """Per-jet affine map of (eta, phi): shift, then rotation, then reflections."""

    center: np.ndarray  # [n_jets, 2] (eta, phi) moved to the origin
    cos: np.ndarray  # [n_jets]
    sin: np.ndarray  # [n_jets]
    flip_eta: np.ndarray  # [n_jets] +1 or -1
    flip_phi: np.ndarray  # [n_jets] +1 or -1

    def apply(
        self, eta: np.ndarray, phi: np.ndarray, jet_of: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        x = eta - self.center[jet_of, 0]
        y = phi - self.center[jet_of, 1]
        c, s = self.cos[jet_of], self.sin[jet_of]
        x, y = c * x - s * y, s * x + c * y
        return x * self.flip_eta[jet_of], y * self.flip_phi[jet_of]


def _weighted_mean(
    values: np.ndarray, weight: np.ndarray, jet_of: np.ndarray, n_jets: int
) -> np.ndarray:
    total = np.bincount(jet_of, weights=weight, minlength=n_jets)
    sums = np.bincount(jet_of, weights=weight * values, minlength=n_jets)
    return np.divide(sums, total, out=np.zeros(n_jets), where=total > 0)


def _first_per_jet(score: np.ndarray, jet_of: np.ndarray, n_jets: int) -> np.ndarray:
    """Index of the particle with the highest score in each jet (-1 for empty jets)."""
    best = np.full(n_jets, -1)
    order = np.lexsort((-score, jet_of))
    first = np.ones(len(order), dtype=bool)
    first[1:] = jet_of[order][1:] != jet_of[order][:-1]
    best[jet_of[order][first]] = order[first]
    return best


def _cone_subjets(
    eta: np.ndarray, phi: np.ndarray, pt: np.ndarray, jet_of: np.ndarray, n_jets: int
) -> tuple[np.ndarray, np.ndarray]:
    """(eta, phi) of the leading and second cone subjets; the second may be missing (NaN)."""
    if len(pt) == 0:
        missing = np.full((n_jets, 2), np.nan)
        return missing, missing.copy()
    subjets = []
    taken = np.zeros(len(pt), dtype=bool)
    for _ in range(2):
        seed = _first_per_jet(np.where(taken, -np.inf, pt), jet_of, n_jets)
        valid = seed >= 0
        valid &= ~taken[np.maximum(seed, 0)]
        seed_eta = np.where(valid, eta[np.maximum(seed, 0)], np.nan)
        seed_phi = np.where(valid, phi[np.maximum(seed, 0)], np.nan)
        near = ~taken & (np.hypot(eta - seed_eta[jet_of], phi - seed_phi[jet_of]) < SUBJET_R)
        w = np.where(near, pt, 0.0)
        axis = np.stack(
            [_weighted_mean(eta, w, jet_of, n_jets), _weighted_mean(phi, w, jet_of, n_jets)], axis=1
        )
        axis[~valid] = np.nan
        subjets.append(axis)
        taken |= near
    return subjets[0], subjets[1]


def find_transform(
    eta: np.ndarray,
    phi: np.ndarray,
    pt: np.ndarray,
    jet_of: np.ndarray,
    n_jets: int,
    steps: tuple[str, ...],
    axes: str = "centroid",
) -> Transform:
    """The per-jet transformation that ``steps`` ask for, found from the PF candidates."""
    if axes not in AXES:
        raise ConfigError(f"axes must be one of {AXES}, got {axes!r}")
    center = np.zeros((n_jets, 2))
    second = None
    if axes == "subjet":
        lead, second = _cone_subjets(eta, phi, pt, jet_of, n_jets)
        if "translate" in steps:
            center = np.nan_to_num(lead)
    elif "translate" in steps:
        center = np.stack(
            [_weighted_mean(eta, pt, jet_of, n_jets), _weighted_mean(phi, pt, jet_of, n_jets)],
            axis=1,
        )
    ones = np.ones(n_jets)
    transform = Transform(center, ones.copy(), np.zeros(n_jets), ones.copy(), ones.copy())

    if "rotate" in steps:
        angle = _rotation_angle(eta, phi, pt, jet_of, n_jets, center, second)
        transform.cos, transform.sin = np.cos(angle), np.sin(angle)
    if "flip" in steps:
        x, y = transform.apply(eta, phi, jet_of)
        transform.flip_phi = np.where(np.bincount(jet_of, pt * y, minlength=n_jets) < 0, -1.0, 1.0)
        if axes == "centroid":
            transform.flip_eta = np.where(
                np.bincount(jet_of, pt * x, minlength=n_jets) < 0, -1.0, 1.0
            )
    return transform


def _rotation_angle(
    eta: np.ndarray,
    phi: np.ndarray,
    pt: np.ndarray,
    jet_of: np.ndarray,
    n_jets: int,
    center: np.ndarray,
    second: np.ndarray | None,
) -> np.ndarray:
    """Angle that turns the principal axis onto +eta, or the second subjet onto -eta."""
    if second is not None:
        d = np.nan_to_num(second - center)
        # the second subjet goes to (eta, phi) = (-r, 0): rotate its direction onto -eta
        return np.where(np.hypot(d[:, 0], d[:, 1]) > 0, np.pi - np.arctan2(d[:, 1], d[:, 0]), 0.0)
    x = eta - center[jet_of, 0]
    y = phi - center[jet_of, 1]
    sxx = np.bincount(jet_of, pt * x * x, minlength=n_jets)
    syy = np.bincount(jet_of, pt * y * y, minlength=n_jets)
    sxy = np.bincount(jet_of, pt * x * y, minlength=n_jets)
    principal = 0.5 * np.arctan2(2 * sxy, sxx - syy)  # direction of the major axis
    return -principal


def normalize(images: np.ndarray) -> np.ndarray:
    """Each channel of each image [N, C, H, W] scaled to unit sum (empty ones left 0)."""
    total = images.sum(axis=(2, 3), keepdims=True)
    return np.divide(images, total, out=np.zeros_like(images), where=total > 0)
