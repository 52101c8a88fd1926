"""Binary labels, fj_label codes and the standard selection."""

from __future__ import annotations

import numpy as np
import pytest

from jetvision.ntuple import schema


def onehot(rows: list[tuple[int, ...]], is_qcd: list[int]) -> dict[str, np.ndarray]:
    cols = {name: np.array([r[k] for r in rows]) for k, name in enumerate(schema.LABELS)}
    cols["sample_isQCD"] = np.array(is_qcd)
    return cols


def test_binary_labels_keep_signal_and_clean_background() -> None:
    cols = onehot(
        [
            (1, 0, 0, 0, 0, 0),  # H->bb
            (0, 0, 0, 0, 0, 1),  # QCD light
            (0, 1, 0, 0, 0, 0),  # QCD bb, but from the signal sample: dropped
            (0, 0, 0, 0, 0, 0),  # no label: dropped
            (0, 1, 0, 1, 0, 0),
        ],  # two labels: dropped
        [0, 1, 0, 1, 1],
    )
    labels, keep = schema.binary_labels(cols)
    np.testing.assert_array_equal(keep, [True, True, False, False, False])
    np.testing.assert_array_equal(labels[keep], [1, 0])


def test_fj_label_codes() -> None:
    cols = onehot(
        [(1, 0, 0, 0, 0, 0), (0, 0, 1, 0, 0, 0), (0, 0, 0, 0, 0, 0), (0, 1, 1, 0, 0, 0)],
        [0, 1, 1, 1],
    )
    np.testing.assert_array_equal(schema.fj_label_from_onehot(cols), [41, 53, 0, 0])


def test_standard_selection_window() -> None:
    pt = np.array([250.0, 350.0, 350.0, 2500.0, 500.0])
    msd = np.array([100.0, 100.0, 20.0, 100.0, 199.0])
    np.testing.assert_array_equal(
        schema.Selection().mask(pt, msd), [False, True, False, False, True]
    )
    assert schema.Selection.named("none").mask(pt, msd).all()
    with pytest.raises(ValueError, match="'loose'"):
        schema.Selection.named("loose")


def test_counter_names() -> None:
    assert schema.counter_of("pfcand_ptrel") == "n_pfcands"
    assert schema.counter_of("track_dz") == "n_tracks"
    with pytest.raises(ValueError, match="fj_pt"):
        schema.counter_of("fj_pt")
