"""Soft drop, N-subjettiness and impact parameters against closed-form values."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("fastjet")

from jetvision.simulate import substructure, tracks


def massless(pt: float, rap: float, phi: float) -> list[float]:
    return [pt * math.cos(phi), pt * math.sin(phi), pt * math.sinh(rap), pt * math.cosh(rap)]


def pair_mass(a: list[float], b: list[float]) -> float:
    s = np.add(a, b)
    return math.sqrt(s[3] ** 2 - s[0] ** 2 - s[1] ** 2 - s[2] ** 2)


@pytest.fixture(scope="module")
def recluster() -> substructure.Reclusterer:
    return substructure.Reclusterer(beta=0.0, z_cut=0.1, R0=0.8)


def test_soft_drop_keeps_a_balanced_two_prong(recluster: substructure.Reclusterer) -> None:
    a, b = massless(300, 0.0, 0.0), massless(200, 0.3, 0.2)
    mass, _ = recluster([a, b])
    assert mass == pytest.approx(pair_mass(a, b), rel=1e-9)


def test_soft_drop_removes_a_soft_wide_emission(recluster: substructure.Reclusterer) -> None:
    a, b = massless(300, 0.0, 0.0), massless(200, 0.1, 0.05)
    soft = massless(10, -0.6, 0.4)  # z = 10 / 510 < 0.1, at the widest angle
    mass, _ = recluster([a, b, soft])
    assert mass == pytest.approx(pair_mass(a, b), rel=1e-9)


def test_soft_drop_of_a_single_particle_is_its_mass(recluster: substructure.Reclusterer) -> None:
    mass, axes = recluster([[0.0, 100.0, 0.0, math.hypot(100.0, 5.0)]])
    assert mass == pytest.approx(5.0)
    assert np.isnan(axes).all()


def test_nsubjettiness_of_two_particles(recluster: substructure.Reclusterer) -> None:
    a, b = massless(300, 0.0, 0.0), massless(100, 0.4, 0.0)
    _, axes = recluster([a, b])
    p4 = np.array([a, b])
    tau = substructure.nsubjettiness(p4, np.array([0, 0]), axes[None], beta=1.0, R0=0.8)[0]

    axis_rap, _ = substructure.rapidity_phi(p4.sum(axis=0))
    expected = (300 * abs(axis_rap) + 100 * abs(0.4 - axis_rap)) / (400 * 0.8)
    assert tau[0] == pytest.approx(expected, rel=1e-9)
    assert tau[1] == 0.0
    assert tau[2] == 0.0


def test_nsubjettiness_prefers_two_prongs_for_two_prong_jets(
    recluster: substructure.Reclusterer,
) -> None:
    rng = np.random.default_rng(3)
    rows = [
        massless(20 * rng.random() + 1, c + 0.02 * rng.normal(), 0.02 * rng.normal())
        for c in (0.0, 0.5)
        for _ in range(10)
    ]
    _, axes = recluster(rows)
    tau = substructure.nsubjettiness(np.array(rows), np.zeros(20, dtype=int), axes[None])[0]
    assert tau[1] / tau[0] < 0.3


def test_transverse_impact_parameter_of_a_displaced_track() -> None:
    vertex = np.array([[1.0, 0.0, 2.0]])  # mm
    momentum = np.array([[0.0, 10.0, 5.0]])  # along y
    rng = np.random.default_rng(0)
    ip = tracks.impact_parameters(vertex, momentum, np.array([[1.0, 0.0]]), rng)
    sigma_xy, _ = tracks.resolution(np.array([10.0]))
    # true d_xy = 0.1 cm in front of the jet, smeared by one Gaussian draw
    draw = np.random.default_rng(0).normal()
    assert ip["dxy"][0] == pytest.approx(0.1 + draw * sigma_xy[0])
    assert ip["dxysig"][0] == pytest.approx(ip["dxy"][0] / sigma_xy[0])


def test_lifetime_sign_follows_the_jet() -> None:
    vertex = np.array([[1.0, 0.0, 0.0]])
    momentum = np.array([[0.0, 100.0, 0.0]])
    ahead = tracks.impact_parameters(
        vertex, momentum, np.array([[1.0, 0.0]]), np.random.default_rng(1)
    )
    behind = tracks.impact_parameters(
        vertex, momentum, np.array([[-1.0, 0.0]]), np.random.default_rng(1)
    )
    assert ahead["dxy"][0] > 0.05
    assert behind["dxy"][0] < -0.05
