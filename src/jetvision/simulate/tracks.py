"""Track impact parameters from Pythia's production vertices, with detector resolution.

Straight-line tracks (no magnetic field; the curvature of a > 1 GeV track is negligible
over millimetres) from the production vertex (x, y, z) with direction (px, py, pz), the
primary vertex at the origin:

* transverse impact parameter ``d_xy = |x py - y px| / pT`` at the point of closest
  approach in the transverse plane, signed positive when that point lies in front of the
  jet (lifetime sign, as in b-tagging);
* longitudinal impact parameter ``d_z = z - (x px + y py) pz / pT^2`` at that point.

Pythia places every particle exactly; a Gaussian resolution shaped like a silicon
tracker's (a constant term and a multiple-scattering term falling as 1/pT) is added so
that the significances ``d / sigma`` are meaningful:
``sigma_xy = 20 um (+) 90 um GeV / pT`` and ``sigma_z = 30 um (+) 110 um GeV / pT``
(added in quadrature; close to the CMS Phase-1 tracker, CMS-DP-2020-049).
Values are stored in cm, the unit of the public files.
"""

from __future__ import annotations

import numpy as np

SIGMA_XY_CONST, SIGMA_XY_MS = 20e-4, 90e-4  # cm, cm GeV
SIGMA_Z_CONST, SIGMA_Z_MS = 30e-4, 110e-4  # cm, cm GeV


def resolution(pt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Transverse and longitudinal impact-parameter resolutions (cm) at track pT (GeV)."""
    sigma_xy = np.hypot(SIGMA_XY_CONST, SIGMA_XY_MS / pt)
    sigma_z = np.hypot(SIGMA_Z_CONST, SIGMA_Z_MS / pt)
    return sigma_xy, sigma_z


def impact_parameters(
    vertex_mm: np.ndarray,
    momentum: np.ndarray,
    jet_direction: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Smeared ``dxy, dxysig, dz, dzsig`` of tracks.

    ``vertex_mm`` is [n, 3] (x, y, z in mm, Pythia's unit); ``momentum`` [n, 3] (px, py,
    pz in GeV); ``jet_direction`` [n, 2] the (px, py) of each track's jet.
    """
    x, y, z = (vertex_mm[:, k] * 0.1 for k in range(3))  # mm -> cm
    px, py, pz = momentum[:, 0], momentum[:, 1], momentum[:, 2]
    pt2 = px * px + py * py
    pt = np.sqrt(pt2)

    along = (x * px + y * py) / pt2  # path length to the point of closest approach
    pca_x, pca_y = x - along * px, y - along * py
    sign = np.where(pca_x * jet_direction[:, 0] + pca_y * jet_direction[:, 1] >= 0, 1.0, -1.0)
    dxy_true = sign * np.abs(x * py - y * px) / pt
    dz_true = z - along * pz

    sigma_xy, sigma_z = resolution(pt)
    dxy = dxy_true + rng.normal(size=len(pt)) * sigma_xy
    dz = dz_true + rng.normal(size=len(pt)) * sigma_z
    return {"dxy": dxy, "dxysig": dxy / sigma_xy, "dz": dz, "dzsig": dz / sigma_z}
