"""End-to-end ``jetvision simulate``: file format, physics invariants, determinism, errors."""

from __future__ import annotations

from pathlib import Path

import awkward as ak
import numpy as np
import pytest
import uproot

from jetvision.cli import main
from jetvision.ntuple import schema

pytest.importorskip("pythia8mc")

from jetvision.simulate import simulate


def read(path: Path) -> dict[str, np.ndarray]:
    tree = uproot.open(path)[schema.TREE_PATH]
    return tree.arrays(library="np", filter_name=["fj_*", "label_*", "sample_isQCD", "n_*"])


def test_branch_types_match_the_public_format(simulated: dict[str, Path]) -> None:
    tree = uproot.open(simulated["qcd"])[schema.TREE_PATH]
    expected = {
        "event_no": "uint32_t",
        "sample_isQCD": "int32_t",
        "label_QCD_b": "int32_t",
        "fj_label": "int32_t",
        "fj_pt": "float",
        "fj_sdmass": "float",
        "n_pfcands": "int32_t",
        "n_tracks": "int32_t",
        "n_sv": "int32_t",
        "npfcands": "float",
        "pfcand_ptrel": "float[]",
        "track_dxysig": "float[]",
    }
    assert {name: tree[name].typename for name in expected} == expected
    assert tree["pfcand_ptrel"].count_branch.name == "n_pfcands"
    assert tree["track_dz"].count_branch.name == "n_tracks"
    assert set(schema.branch_types()) <= set(tree.keys())


def test_jet_selection_and_invariants(simulated: dict[str, Path]) -> None:
    for path in simulated.values():
        a = read(path)
        assert len(a["fj_pt"]) > 100
        assert (a["fj_pt"] > 200).all()
        assert (np.abs(a["fj_eta"]) < 2.4).all()
        assert (a["fj_sdmass"] <= a["fj_mass"] * (1 + 1e-5)).all()
        assert ((a["fj_tau21"] >= 0) & (a["fj_tau21"] <= 1)).all()
        assert ((a["fj_tau32"] >= 0) & (a["fj_tau32"] <= 1)).all()
        onehot = sum(a[name] for name in schema.LABELS)
        assert (onehot <= 1).all()
        np.testing.assert_array_equal(a["fj_label"], schema.fj_label_from_onehot(a))


def test_candidates_carry_the_jet_momentum(simulated: dict[str, Path]) -> None:
    tree = uproot.open(simulated["qcd"])[schema.TREE_PATH]
    ptrel = tree["pfcand_ptrel"].array()
    total = ak.to_numpy(ak.sum(ptrel, axis=1))
    assert np.median(total) == pytest.approx(1.0, abs=0.05)
    assert (total < 1.2).all()
    counts = tree["n_pfcands"].array(library="np")
    np.testing.assert_array_equal(ak.to_numpy(ak.num(ptrel)), counts)
    assert (ak.to_numpy(ak.min(tree["pfcand_deltaR"].array(), axis=1)) < 0.8).all()
    # sorted by decreasing pT, as in the public files
    assert ak.all(ptrel[:, :-1] >= ptrel[:, 1:])
    # every track is a charged candidate
    n_charged = ak.to_numpy(ak.sum(tree["pfcand_charge"].array() != 0, axis=1))
    np.testing.assert_array_equal(n_charged, tree["n_tracks"].array(library="np"))


def test_higgs_jets_peak_at_the_higgs_mass(simulated: dict[str, Path]) -> None:
    a = read(simulated["hbb"])
    higgs = a["label_H_bb"] == 1
    assert higgs.sum() > 100
    assert 105 < np.median(a["fj_sdmass"][higgs]) < 140
    assert (a["fj_gen_pt"][higgs] > 0).all()
    assert (a["fj_gen_pt"][a["fj_isH"] == 0] == schema.GEN_MISSING).all()
    assert (a["sample_isQCD"] == 0).all()


def test_qcd_heavy_flavour_make_up_is_physical(simulated: dict[str, Path]) -> None:
    a = read(simulated["qcd"])
    assert (a["sample_isQCD"] == 1).all()
    assert a["label_H_bb"].sum() == 0
    light = a["label_QCD_others"].mean()
    with_b = (a["fj_nbHadrons"] > 0).mean()
    charm_only = ((a["fj_ncHadrons"] > 0) & (a["fj_nbHadrons"] == 0)).mean()
    assert 0.65 < light < 0.92  # Pythia: about 80%
    assert 0.01 < with_b < 0.15  # about 5%
    assert 0.05 < charm_only < 0.25  # about 13%


def test_same_seed_same_physics_and_other_seed_differs(tmp_path: Path) -> None:
    a = simulate("qcd", 30, tmp_path / "a.root", seed=5, jobs=2)
    b = simulate("qcd", 30, tmp_path / "b.root", seed=5, jobs=2)
    c = simulate("qcd", 30, tmp_path / "c.root", seed=6, jobs=2)
    ta, tb = (uproot.open(r.path)[schema.TREE_PATH] for r in (a, b))
    for name in ("fj_pt", "fj_sdmass", "fj_tau21", "pfcand_ptrel", "track_dxysig", "event_no"):
        assert ak.all(ta[name].array() == tb[name].array()), name
    event_no = ta["event_no"].array(library="np")
    assert event_no.min() < 15 <= event_no.max()  # both jobs' events, numbered globally
    pt_c = uproot.open(c.path)[schema.TREE_PATH]["fj_pt"].array(library="np")
    assert len(pt_c) != len(ta["fj_pt"].array()) or not np.array_equal(
        pt_c, ta["fj_pt"].array(library="np")
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--process", "qcd", "--events", "0"], "--events must be positive"),
        (["--process", "qcd", "--events", "5", "--jobs", "0"], "--jobs must be positive"),
        (["--process", "qcd", "--events", "5", "--pt-hat-min", "-3"], "--pt-hat-min"),
    ],
)
def test_bad_options_fail_before_pythia(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "x.root"
    assert main(["simulate", *args, "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert message in err[0]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_existing_output_is_kept_without_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.root"
    out.write_bytes(b"precious")
    assert main(["simulate", "--process", "hbb", "--events", "5", "-o", str(out)]) == 1
    assert "exists" in capsys.readouterr().err
    assert out.read_bytes() == b"precious"


def test_unwritable_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "missing" / "x.root"
    assert main(["simulate", "--process", "hbb", "--events", "5", "-o", str(out)]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_unknown_process_is_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["simulate", "--process", "ttbar", "--events", "5", "-o", "x.root"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_interrupted_run_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jetvision.simulate import generate

    def interrupt(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(generate.NtupleWriter, "extend", interrupt)
    with pytest.raises(KeyboardInterrupt):
        simulate("hbb", 5, tmp_path / "x.root")
    assert list(tmp_path.iterdir()) == []
