"""Hadron flavour from PDG codes and the six truth labels."""

from __future__ import annotations

import pytest

from jetvision.simulate import truth


@pytest.mark.parametrize(
    ("pdg_id", "flavour"),
    [
        (511, 5),
        (-521, 5),
        (531, 5),
        (5122, 5),
        (-5232, 5),
        (541, 5),
        (553, 5),
        (10511, 5),
        (421, 4),
        (-411, 4),
        (431, 4),
        (4122, 4),
        (443, 4),
        (211, 0),
        (2212, 0),
        (130, 0),
        (5, 0),
        (21, 0),
        (11, 0),
        (5101, 0),
        (22, 0),
    ],
)
def test_hadron_flavour(pdg_id: int, flavour: int) -> None:
    assert truth.hadron_flavour(pdg_id) == flavour


@pytest.mark.parametrize(
    ("is_h", "nb", "nc", "label"),
    [
        (True, 2, 0, "label_H_bb"),
        (False, 2, 1, "label_QCD_bb"),
        (False, 1, 3, "label_QCD_b"),
        (False, 0, 2, "label_QCD_cc"),
        (False, 0, 1, "label_QCD_c"),
        (False, 0, 0, "label_QCD_others"),
    ],
)
def test_labels_are_one_hot(is_h: bool, nb: int, nc: int, label: str) -> None:
    labels = truth.labels(is_h, nb, nc)
    assert labels[label] == 1
    assert sum(labels.values()) == 1


def test_higgs_jet_with_one_b_has_no_label() -> None:
    assert sum(truth.labels(True, 1, 0).values()) == 0


def test_delta_r_wraps_phi() -> None:
    assert truth.delta_r(0.0, 3.1, 0.0, -3.1) == pytest.approx(2 * 3.14159265 - 6.2, abs=1e-6)
