"""The CMS Hbb tagging ntuple schema: tree path, branches, labels, standard selection.

The format is that of the CMS Open Data record "Sample with jet, track and secondary
vertex properties for Hbb tagging ML studies" (DOI 10.7483/OPENDATA.CMS.JGJX.MS7Q):
one TTree entry per AK8 jet, scalar ``Float_t``/``Int_t`` branches and variable-length
``Float_t`` C arrays counted by ``Int_t`` branches. This module is the one place that
names branches; the simulator writes with it and the reader reads with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TREE_PATH = "deepntuplizer/tree"

# Scalar branches and their numpy types (uint32 = UInt_t, int32 = Int_t, float32 = Float_t).
EVENT_BRANCHES: dict[str, type] = {"event_no": np.uint32, "sample_isQCD": np.int32}

LABELS: tuple[str, ...] = (
    "label_H_bb",
    "label_QCD_bb",
    "label_QCD_b",
    "label_QCD_cc",
    "label_QCD_c",
    "label_QCD_others",
)
QCD_LABELS: tuple[str, ...] = LABELS[1:]

# fj_label codes of the public files, by truth label.
FJ_LABEL_CODES: dict[str, int] = {
    "label_H_bb": 41,
    "label_QCD_bb": 51,
    "label_QCD_cc": 52,
    "label_QCD_b": 53,
    "label_QCD_c": 54,
    "label_QCD_others": 55,
}

JET_INT_BRANCHES: tuple[str, ...] = (
    *LABELS,
    "fj_isH",
    "fj_isQCD",
    "fj_label",
    "fj_nbHadrons",
    "fj_ncHadrons",
)
JET_FLOAT_BRANCHES: tuple[str, ...] = (
    "fj_pt",
    "fj_eta",
    "fj_phi",
    "fj_mass",
    "fj_sdmass",
    "fj_tau1",
    "fj_tau2",
    "fj_tau3",
    "fj_tau21",
    "fj_tau32",
    "fj_gen_pt",
    "fj_gen_eta",
)

# Per-particle C arrays, by counter branch. The public files repeat each count as a float.
PFCAND_BRANCHES: tuple[str, ...] = (
    "pfcand_ptrel",
    "pfcand_erel",
    "pfcand_etarel",
    "pfcand_phirel",
    "pfcand_deltaR",
    "pfcand_charge",
    "pfcand_isChargedHad",
    "pfcand_isNeutralHad",
    "pfcand_isGamma",
    "pfcand_isEl",
    "pfcand_isMu",
    "pfcand_dxy",
    "pfcand_dxysig",
    "pfcand_dz",
)
TRACK_BRANCHES: tuple[str, ...] = (
    "track_ptrel",
    "track_etarel",
    "track_phirel",
    "track_deltaR",
    "track_dxy",
    "track_dxysig",
    "track_dz",
    "track_dzsig",
)
COUNTERS: dict[str, str] = {"pfcand_": "n_pfcands", "track_": "n_tracks", "sv_": "n_sv"}
FLOAT_COUNTS: dict[str, str] = {"n_pfcands": "npfcands", "n_tracks": "ntracks", "n_sv": "nsv"}

GEN_MISSING = -999.0  # fj_gen_* value of a jet with no matched generator Higgs


def counter_of(branch: str) -> str:
    """Name of the ``Int_t`` counter branch of a per-particle array branch."""
    for prefix, counter in COUNTERS.items():
        if branch.startswith(prefix):
            return counter
    raise ValueError(f"{branch!r} is not a per-particle branch (expected a prefix in {COUNTERS})")


def branch_types() -> dict[str, object]:
    """Numpy dtype (scalars) or awkward type string (C arrays) of every written branch."""
    types: dict[str, object] = dict(EVENT_BRANCHES)
    types.update(dict.fromkeys(JET_INT_BRANCHES, np.int32))
    types.update(dict.fromkeys(JET_FLOAT_BRANCHES, np.float32))
    types.update(dict.fromkeys(FLOAT_COUNTS.values(), np.float32))
    types["n_sv"] = np.int32
    types.update(dict.fromkeys(PFCAND_BRANCHES + TRACK_BRANCHES, "var * float32"))
    return types


@dataclass(frozen=True)
class Selection:
    """A window in jet pT and soft-drop mass (GeV); ``None`` leaves a side open.

    The default is the standard selection of the Hbb tagging literature,
    300 < pT < 2000 GeV and 40 < m_SD < 200 GeV (CMS, DeepDoubleX, CMS-DP-2018-046).
    """

    pt_min: float | None = 300.0
    pt_max: float | None = 2000.0
    sdmass_min: float | None = 40.0
    sdmass_max: float | None = 200.0

    @classmethod
    def named(cls, name: str) -> Selection:
        """``standard`` (the default window) or ``none`` (every jet)."""
        if name == "standard":
            return cls()
        if name == "none":
            return cls(None, None, None, None)
        raise ValueError(f"selection must be 'standard' or 'none', got {name!r}")

    def mask(self, pt: np.ndarray, sdmass: np.ndarray) -> np.ndarray:
        """Boolean mask of the jets inside the window (strict inequalities)."""
        keep = np.ones(len(pt), dtype=bool)
        for values, low, high in (
            (pt, self.pt_min, self.pt_max),
            (sdmass, self.sdmass_min, self.sdmass_max),
        ):
            if low is not None:
                keep &= values > low
            if high is not None:
                keep &= values < high
        return keep


def binary_labels(columns: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Signal/background labels of the project and the mask of jets that have one.

    Signal (1) is ``label_H_bb == 1``; background (0) is ``sample_isQCD == 1`` with
    exactly one of the five ``label_QCD_*`` set. Anything else (unmatched jets, W/Z/top
    jets, several labels at once) is not kept.
    """
    n_qcd = sum(np.asarray(columns[name]) == 1 for name in QCD_LABELS)
    is_h = np.asarray(columns["label_H_bb"]) == 1
    is_bkg = (np.asarray(columns["sample_isQCD"]) == 1) & (n_qcd == 1) & ~is_h
    signal = is_h & (n_qcd == 0)
    keep = signal | is_bkg
    return signal.astype(np.int8), keep


def fj_label_from_onehot(columns: dict[str, np.ndarray]) -> np.ndarray:
    """The ``fj_label`` code (41, 51-55, or 0 when not exactly one label) from one-hot labels."""
    n = len(columns[LABELS[0]])
    code = np.zeros(n, dtype=np.int32)
    count = np.zeros(n, dtype=np.int32)
    for name in LABELS:
        on = np.asarray(columns[name]) == 1
        code[on] = FJ_LABEL_CODES[name]
        count += on
    code[count != 1] = 0
    return code
