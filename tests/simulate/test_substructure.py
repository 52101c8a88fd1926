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


def random_jets(rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """Jets of 3 to 80 pions and photons in one to three prongs: [m, 4] each."""
    out = []
    for _ in range(n):
        centres = rng.normal(0.0, 0.25, size=(int(rng.integers(1, 4)), 2))
        m = int(rng.integers(3, 80))
        prong = rng.integers(0, len(centres), size=m)
        rap = centres[prong, 0] + rng.normal(0.0, 0.05, m)
        phi = centres[prong, 1] + rng.normal(0.0, 0.05, m)
        pt = rng.exponential(20.0, m) + 0.5
        mt = np.hypot(pt, rng.choice([0.0, 0.1396], m))
        out.append(
            np.stack([pt * np.cos(phi), pt * np.sin(phi), mt * np.sinh(rap), mt * np.cosh(rap)], 1)
        )
    return out


def test_soft_drop_and_nsubjettiness_agree_with_fastjet_contrib(
    recluster: substructure.Reclusterer,
) -> None:
    """The fastjet wheel exposes fjcontrib's SoftDrop and Nsubjettiness through its
    awkward interface: our implementations must give the same numbers."""
    ak = pytest.importorskip("awkward")
    vector = pytest.importorskip("vector")
    import fastjet

    vector.register_awkward()
    jets = random_jets(np.random.default_rng(1), 200)
    events = ak.zip(
        {k: ak.Array([j[:, i] for j in jets]) for i, k in enumerate(("px", "py", "pz", "E"))},
        with_name="Momentum4D",
    )
    sequence = fastjet.ClusterSequence(
        events, fastjet.JetDefinition(fastjet.cambridge_algorithm, 10.0)
    )
    groomed = sequence.exclusive_jets_softdrop_grooming(
        njets=1,
        beta=0.0,
        symmetry_cut=0.1,
        symmetry_measure="scalar_z",
        R0=0.8,
        recursion_choice="larger_pt",
    )
    contrib_tau = np.asarray(
        sequence.njettiness(axes_definition="KT_Axes", njets=[1, 2, 3], beta=1.0, R0=0.8)
    ).reshape(len(jets), 3)

    results = [recluster(j.tolist()) for j in jets]
    np.testing.assert_allclose(
        [mass for mass, _ in results], ak.to_numpy(groomed.msoftdrop), rtol=1e-9
    )
    jet_of = np.repeat(np.arange(len(jets)), [len(j) for j in jets])
    tau = substructure.nsubjettiness(
        np.concatenate(jets), jet_of, np.array([axes for _, axes in results]), beta=1.0, R0=0.8
    )
    # tau_1 has one axis either way; tau_2, tau_3 are the kT-axes values or, where the
    # extended axes give less, smaller ones (see substructure.nsubjettiness).
    np.testing.assert_allclose(tau[:, 0], contrib_tau[:, 0], rtol=1e-9)
    assert (tau <= contrib_tau * (1 + 1e-9) + 1e-12).all()
    same = np.isclose(tau, contrib_tau, rtol=1e-9, atol=1e-12).mean(axis=0)
    assert same[1] > 0.9
    assert same[2] > 0.9


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
