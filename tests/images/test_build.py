"""Building image stores: hand-made public-schema input, counts, errors, atomic output."""

from __future__ import annotations

from pathlib import Path

import h5py
import numpy as np
import pytest

from jetvision.cli import main
from jetvision.errors import InputFileError, MissingBranchError, SelectionError
from jetvision.images import ImageConfig, build, inspect, parse_channels
from jetvision.ntuple import Selection

from . import handmade

ALL = "pt,charged_pt,neutral_pt,track_count,displaced"


def test_public_schema_file_converts_with_expected_counts(tmp_path: Path) -> None:
    source = handmade.write(tmp_path / "cms.root")
    config = ImageConfig(channels=parse_channels(ALL), selection=Selection.named("none"))
    result = build([source], tmp_path / "out.h5", config)

    assert result.n_jets == 5
    assert result.dropped["non-finite particle value"] == 1
    assert result.dropped["no PF candidates"] == 1
    assert result.dropped["no binary label"] == 1
    with h5py.File(tmp_path / "out.h5") as f:
        assert f["images"].shape == (5, 5, 32, 32)
        assert f["images"].dtype == np.float32
        np.testing.assert_array_equal(f["labels"][:], [1, 1, 0, 0, 0])
        np.testing.assert_array_equal(f["jets/fj_label"][:], [41, 41, 55, 51, 54])
        assert set(f["split"][:]) <= {0, 1, 2}
        sums = f["images"][:].sum(axis=(2, 3))
        np.testing.assert_allclose(sums[:, 0], 1.0, rtol=1e-5)  # normalized pt channel
    info = inspect(tmp_path / "out.h5")
    assert info.channels == ALL.split(",")
    assert sum(c["signal"] for c in info.counts.values()) == 2


def test_standard_selection_and_balance(simulated: dict[str, Path], tmp_path: Path) -> None:
    result = build(list(simulated.values()), tmp_path / "b.h5", ImageConfig(balance=True))
    assert result.n_jets == 2 * result.n_signal
    with h5py.File(tmp_path / "b.h5") as f:
        pt, msd = f["jets/fj_pt"][:], f["jets/fj_sdmass"][:]
        assert ((pt > 300) & (pt < 2000) & (msd > 40) & (msd < 200)).all()
        split = f["split"][:]
    fractions = np.bincount(split, minlength=3) / len(split)
    np.testing.assert_allclose(fractions, [0.7, 0.1, 0.2], atol=0.02)


def test_max_jets_and_seed_reproducibility(simulated: dict[str, Path], tmp_path: Path) -> None:
    config = ImageConfig(max_jets=50, seed=3)
    build(list(simulated.values()), tmp_path / "a.h5", config)
    build(list(simulated.values()), tmp_path / "b.h5", config)
    with h5py.File(tmp_path / "a.h5") as a, h5py.File(tmp_path / "b.h5") as b:
        assert len(a["labels"]) == 50
        np.testing.assert_array_equal(a["images"][:], b["images"][:])
        np.testing.assert_array_equal(a["split"][:], b["split"][:])


def test_missing_branch_is_named_with_closest(tmp_path: Path) -> None:
    source = handmade.write(tmp_path / "notracks.root", with_tracks=False)
    config = ImageConfig(channels=parse_channels("pt,displaced"))
    with pytest.raises(MissingBranchError, match=r"'track_etarel'.*closest available"):
        build([source], tmp_path / "o.h5", config)
    assert not (tmp_path / "o.h5").exists()


def test_wrong_tree_path(tmp_path: Path) -> None:
    source = handmade.write(tmp_path / "other.root", tree="events")
    with pytest.raises(InputFileError, match=r"no tree at 'deepntuplizer/tree'.*events"):
        build([source], tmp_path / "o.h5")


def test_not_root_and_truncated(tmp_path: Path) -> None:
    text = tmp_path / "text.root"
    text.write_text("not a root file")
    with pytest.raises(InputFileError, match="not a readable ROOT file"):
        build([text], tmp_path / "o.h5")
    good = handmade.write(tmp_path / "good.root")
    cut = tmp_path / "cut.root"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InputFileError):
        build([cut], tmp_path / "o.h5")
    assert not (tmp_path / "o.h5").exists()


def test_no_jets_left(tmp_path: Path) -> None:
    source = handmade.write(tmp_path / "cms.root")
    config = ImageConfig(selection=Selection(pt_min=5000.0))
    with pytest.raises(SelectionError, match="no jets left"):
        build([source], tmp_path / "o.h5", config)
    assert list(tmp_path.glob("*.h5")) == []
    assert list(tmp_path.glob(".*")) == []


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = handmade.write(tmp_path / "cms.root")
    out = tmp_path / "o.h5"
    out.write_bytes(b"keep me")
    assert main(["images", str(source), "-o", str(out)]) == 1
    assert "exists" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"
    assert main(["images", str(source), "-o", str(tmp_path / "n.h5"), "--split", "1,2"]) == 1
    assert main(["images", str(source), "-o", str(tmp_path / "n.h5"), "--channels", "ptt"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert "--split" in err[0]
    assert "unknown channel 'ptt'" in err[1]
    assert main(["images", "--inspect", str(source)]) == 1
    assert "not an HDF5 file" in capsys.readouterr().err


def test_cli_builds_inspects_and_draws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = handmade.write(tmp_path / "cms.root")
    out = tmp_path / "o.h5"
    args = [
        "images",
        str(source),
        "-o",
        str(out),
        "--selection",
        "none",
        "--size",
        "16",
        "--channels",
        "pt,track_count",
        "--average-image",
        str(tmp_path / "avg.png"),
    ]
    assert main(args) == 0
    assert (tmp_path / "avg.png").stat().st_size > 1000
    capsys.readouterr()
    assert main(["images", "--inspect", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "5 jets" in printed
    assert "pt, track_count" in printed
