"""Turn clustered jets into ntuple columns, vectorized over a chunk of jets.

Jets are anti-kT, R = 0.8 (Cacciari, Salam, Soyez, JHEP 04 (2008) 063, arXiv:0802.1189),
clustered by FastJet's core (fjcore 3.5, run inside Pythia's ``SlowJet`` so that the
event record never has to be copied into Python) from all visible final-state
particles with |eta| < 2.5; the jet four-momentum is the E-scheme sum of its
constituents. Every constituent enters the substructure; only those with
pT > 0.95 GeV are stored as PF candidates, sorted by decreasing pT, as in the public
files. Relative coordinates are plain differences to the jet axis (eta, phi wrapped).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from jetvision.simulate import substructure, tracks

R = 0.8
JET_PT_MIN = 200.0  # GeV
JET_ETA_MAX = 2.4
PARTICLE_ETA_MAX = 2.5
CANDIDATE_PT_MIN = 0.95  # GeV
CANDIDATE_PT2 = CANDIDATE_PT_MIN**2  # the candidate test is on pT^2

_ELECTRON, _MUON, _PHOTON = 11, 13, 22


@dataclass
class RawJets:
    """Constituents of a chunk of jets, flattened in jet order.

    ``vertices`` are production vertices; only those of tracks (:attr:`is_track`) are
    used, so the others may be left zero.
    """

    p4: np.ndarray  # [n, 4] px, py, pz, E (GeV)
    counts: np.ndarray  # [n_jets] constituents per jet
    pdg_id: np.ndarray  # [n]
    charge: np.ndarray  # [n]
    vertices: np.ndarray  # [n, 3] x, y, z (mm)

    @property
    def is_candidate(self) -> np.ndarray:
        """Constituents stored as PF candidates: pT > 0.95 GeV (the test on pT^2)."""
        px, py = self.p4[:, 0], self.p4[:, 1]
        return px * px + py * py > CANDIDATE_PT2

    @property
    def is_track(self) -> np.ndarray:
        """Charged candidates."""
        return self.is_candidate & (self.charge != 0)


def kinematics(p4: np.ndarray) -> dict[str, np.ndarray]:
    """pt, eta, phi and mass of four-vectors ``p4`` [..., 4] = (px, py, pz, E)."""
    px, py, pz, e = p4[..., 0], p4[..., 1], p4[..., 2], p4[..., 3]
    pt = np.hypot(px, py)
    eta = np.arcsinh(np.divide(pz, pt, out=np.sign(pz) * 1e3, where=pt > 0))
    m2 = e * e - px * px - py * py - pz * pz
    return {"pt": pt, "eta": eta, "phi": np.arctan2(py, px), "mass": np.sqrt(np.maximum(m2, 0.0))}


def wrap_phi(dphi: np.ndarray) -> np.ndarray:
    """Azimuthal differences wrapped into [-pi, pi)."""
    return (dphi + np.pi) % (2 * np.pi) - np.pi


def type_flags(pdg_id: np.ndarray, charge: np.ndarray) -> dict[str, np.ndarray]:
    """PF-candidate type flags (0/1) from PDG codes and charges."""
    a = np.abs(pdg_id)
    hadron = a > 100
    return {
        "isChargedHad": hadron & (charge != 0),
        "isNeutralHad": hadron & (charge == 0),
        "isGamma": a == _PHOTON,
        "isEl": a == _ELECTRON,
        "isMu": a == _MUON,
    }


def build_columns(
    raw: RawJets, rng: np.random.Generator, recluster: substructure.Reclusterer | None = None
) -> dict[str, np.ndarray]:
    """Jet-level and per-candidate ntuple columns of a chunk of jets.

    Soft drop uses beta = 0, z_cut = 0.1 and N-subjettiness beta = 1, both with R0 = R.
    """
    recluster = recluster or substructure.Reclusterer(beta=0.0, z_cut=0.1, R0=R)
    n_jets = len(raw.counts)
    jet_of = np.repeat(np.arange(n_jets), raw.counts)
    jet_p4 = np.zeros((n_jets, 4))
    np.add.at(jet_p4, jet_of, raw.p4)
    jet = kinematics(jet_p4)
    cols = {f"fj_{k}": v for k, v in jet.items()}
    cols.update(_substructure(raw, jet_of, recluster))

    part = kinematics(raw.p4)
    is_candidate, is_track = raw.is_candidate, raw.is_track
    cand = np.flatnonzero(is_candidate)
    order = np.lexsort((-part["pt"][cand], jet_of[cand]))
    cand = cand[order]
    cols.update(_relative("pfcand", part, jet, jet_of, cand))
    cols["pfcand_erel"] = raw.p4[cand, 3] / jet_p4[jet_of[cand], 3]
    cols["pfcand_charge"] = raw.charge[cand]
    for name, flag in type_flags(raw.pdg_id[cand], raw.charge[cand]).items():
        cols[f"pfcand_{name}"] = flag
    cols["n_pfcands"] = np.bincount(jet_of[cand], minlength=n_jets)

    # Impact parameters of every track, in the order of the is_track constituents.
    track_rows = np.flatnonzero(is_track)
    ip = tracks.impact_parameters(
        raw.vertices[track_rows], raw.p4[track_rows, :3], jet_p4[jet_of[track_rows], :2], rng
    )
    ip_of = np.full(len(raw.p4), -1)
    ip_of[track_rows] = np.arange(len(track_rows))

    track = cand[is_track[cand]]  # tracks in candidate (pT-sorted) order
    cols.update(_relative("track", part, jet, jet_of, track))
    for name, values in ip.items():
        cols[f"track_{name}"] = values[ip_of[track]]
    cols["n_tracks"] = np.bincount(jet_of[track], minlength=n_jets)
    for name in ("dxy", "dxysig", "dz"):
        values = np.zeros(len(cand))
        values[is_track[cand]] = ip[name][ip_of[track]]
        cols[f"pfcand_{name}"] = values
    return cols


def _relative(
    prefix: str,
    part: dict[str, np.ndarray],
    jet: dict[str, np.ndarray],
    jet_of: np.ndarray,
    rows: np.ndarray,
) -> dict[str, np.ndarray]:
    owner = jet_of[rows]
    etarel = part["eta"][rows] - jet["eta"][owner]
    phirel = wrap_phi(part["phi"][rows] - jet["phi"][owner])
    return {
        f"{prefix}_ptrel": part["pt"][rows] / jet["pt"][owner],
        f"{prefix}_etarel": etarel,
        f"{prefix}_phirel": phirel,
        f"{prefix}_deltaR": np.hypot(etarel, phirel),
    }


def _substructure(
    raw: RawJets, jet_of: np.ndarray, recluster: substructure.Reclusterer
) -> dict[str, np.ndarray]:
    px, py, pz, e = (column.tolist() for column in raw.p4.T)
    bounds = np.concatenate([[0], np.cumsum(raw.counts)]).tolist()
    sdmass = np.zeros(len(raw.counts))
    axes = np.full((len(raw.counts), substructure.N_AXES, substructure.N_AXES, 2), np.nan)
    for k, (start, stop) in enumerate(itertools.pairwise(bounds)):
        sdmass[k], axes[k] = recluster.of_columns(
            px[start:stop], py[start:stop], pz[start:stop], e[start:stop]
        )
    tau = substructure.nsubjettiness(raw.p4, jet_of, axes, beta=1.0, R0=R)
    return {
        "fj_sdmass": sdmass,
        "fj_tau1": tau[:, 0],
        "fj_tau2": tau[:, 1],
        "fj_tau3": tau[:, 2],
        "fj_tau21": substructure.ratio(tau[:, 1], tau[:, 0]),
        "fj_tau32": substructure.ratio(tau[:, 2], tau[:, 1]),
    }
