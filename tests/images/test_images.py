"""Pixelation against numpy.histogram2d, and the preprocessing steps."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest

from jetvision.images import ImageConfig, jet_images, parse_channels, pixelate, preprocess


def random_jets(n_jets: int, seed: int = 0) -> dict[str, ak.Array]:
    rng = np.random.default_rng(seed)
    counts = rng.integers(1, 40, n_jets)
    total = int(counts.sum())
    return {
        "pfcand_ptrel": ak.unflatten(rng.random(total), counts),
        "pfcand_etarel": ak.unflatten(rng.normal(0, 0.35, total), counts),
        "pfcand_phirel": ak.unflatten(rng.normal(0, 0.35, total), counts),
    }


def test_vectorized_images_match_histogram2d() -> None:
    jets = random_jets(60)
    jets["pfcand_etarel"] = ak.concatenate(
        [jets["pfcand_etarel"][:, :-1], ak.full_like(jets["pfcand_etarel"][:, -1:], 0.8)], axis=1
    )  # a particle on the right edge
    config = ImageConfig(size=20, steps=())
    images, finite = jet_images(jets, config)
    assert finite.all()
    for k in range(60):
        expected = pixelate.reference_image(
            ak.to_numpy(jets["pfcand_etarel"][k]),
            ak.to_numpy(jets["pfcand_phirel"][k]),
            ak.to_numpy(jets["pfcand_ptrel"][k]),
            20,
            0.8,
        )
        np.testing.assert_allclose(images[k, 0], expected, rtol=1e-12, atol=1e-15)


def test_normalized_images_sum_to_one() -> None:
    images, _ = jet_images(random_jets(10), ImageConfig(steps=("normalize",)))
    np.testing.assert_allclose(images.sum(axis=(1, 2, 3)), 1.0)


def test_translate_puts_the_centroid_at_the_centre() -> None:
    eta = np.array([0.3, 0.5, -0.2, 0.1])
    phi = np.array([0.2, 0.4, 0.0, -0.1])
    pt = np.array([1.0, 3.0, 0.5, 2.0])
    jet_of = np.array([0, 0, 1, 1])
    t = preprocess.find_transform(eta, phi, pt, jet_of, 2, ("translate",))
    x, y = t.apply(eta, phi, jet_of)
    for j in range(2):
        m = jet_of == j
        assert np.average(x[m], weights=pt[m]) == pytest.approx(0, abs=1e-12)
        assert np.average(y[m], weights=pt[m]) == pytest.approx(0, abs=1e-12)


def test_rotate_aligns_the_principal_axis_with_eta() -> None:
    rng = np.random.default_rng(1)
    along = rng.normal(0, 0.3, 200)
    across = rng.normal(0, 0.03, 200)
    angle = 0.7
    eta = np.cos(angle) * along - np.sin(angle) * across
    phi = np.sin(angle) * along + np.cos(angle) * across
    jet_of = np.zeros(200, dtype=int)
    t = preprocess.find_transform(eta, phi, np.ones(200), jet_of, 1, ("translate", "rotate"))
    x, y = t.apply(eta, phi, jet_of)
    assert np.std(x) > 5 * np.std(y)


def test_flip_moves_the_heavier_half_to_positive_phi() -> None:
    eta = np.array([0.0, 0.0, 0.1])
    phi = np.array([-0.3, 0.1, -0.2])
    pt = np.array([5.0, 1.0, 1.0])
    jet_of = np.zeros(3, dtype=int)
    t = preprocess.find_transform(eta, phi, pt, jet_of, 1, ("flip",))
    _, y = t.apply(eta, phi, jet_of)
    assert np.sum(pt * y) > 0


def test_subjet_axes_put_the_second_subjet_below() -> None:
    eta = np.array([0.1, 0.12, 0.5, 0.52])
    phi = np.array([0.1, 0.08, -0.3, -0.32])
    pt = np.array([10.0, 5.0, 3.0, 2.0])
    jet_of = np.zeros(4, dtype=int)
    t = preprocess.find_transform(eta, phi, pt, jet_of, 1, ("translate", "rotate"), "subjet")
    x, y = t.apply(eta, phi, jet_of)
    assert np.average(x[:2], weights=pt[:2]) == pytest.approx(0, abs=1e-9)
    assert np.average(x[2:], weights=pt[2:]) < -0.3
    assert np.average(y[2:], weights=pt[2:]) == pytest.approx(0, abs=1e-9)


def test_channel_subsets_in_any_order() -> None:
    assert [c.name for c in parse_channels("displaced,pt")] == ["displaced", "pt"]
    with pytest.raises(Exception, match="twice"):
        parse_channels("pt,pt")
