"""A hand-made ntuple in the public CMS schema, written with plain uproot."""

from __future__ import annotations

from pathlib import Path

import awkward as ak
import numpy as np
import uproot

from jetvision.ntuple import schema

# Per jet: (label index or -1 for none, sample_isQCD, number of candidates, has NaN)
JETS = [
    (0, 0, 12, False),  # H->bb
    (0, 0, 9, False),
    (0, 0, 15, True),  # H->bb with a NaN candidate: dropped
    (5, 1, 10, False),  # QCD others
    (1, 1, 11, False),  # QCD bb
    (3, 1, 0, False),  # QCD cc without candidates: dropped
    (4, 1, 7, False),  # QCD c
    (-1, 1, 6, False),  # no label: dropped
]
LABELS = schema.LABELS  # in the order of the label indices above


def write(path: Path, *, with_tracks: bool = True, tree: str = "deepntuplizer/tree") -> Path:
    rng = np.random.default_rng(42)
    counts = np.array([j[2] for j in JETS])
    n = len(JETS)

    def jagged(values: np.ndarray) -> ak.Array:
        return ak.unflatten(values.astype(np.float32), counts)

    total = int(counts.sum())
    ptrel = rng.random(total)
    ptrel[counts[0] + counts[1] + 3] = np.nan  # inside the third jet
    data: dict[str, object] = {
        "event_no": np.arange(n, dtype=np.uint32),
        "sample_isQCD": np.array([j[1] for j in JETS], dtype=np.int32),
        "fj_pt": np.full(n, 450.0, dtype=np.float32),
        "fj_eta": np.zeros(n, dtype=np.float32),
        "fj_sdmass": np.full(n, 110.0, dtype=np.float32),
        "fj_tau21": np.full(n, 0.4, dtype=np.float32),
        "fj_doubleb": rng.random(n).astype(np.float32),  # an extra branch of the public files
        "npfcands": counts.astype(np.float32),
        "pfcand_ptrel": jagged(ptrel),
        "pfcand_etarel": jagged(rng.normal(0, 0.2, total)),
        "pfcand_phirel": jagged(rng.normal(0, 0.2, total)),
        "pfcand_charge": jagged(rng.integers(-1, 2, total).astype(float)),
        "pfcand_puppiw": jagged(np.ones(total)),  # unknown to jetvision
    }
    for k, name in enumerate(LABELS):
        data[name] = np.array([int(j[0] == k) for j in JETS], dtype=np.int32)
    if with_tracks:
        tcounts = counts // 2
        ttotal = int(tcounts.sum())
        data["track_etarel"] = ak.unflatten(rng.normal(0, 0.2, ttotal).astype(np.float32), tcounts)
        data["track_phirel"] = ak.unflatten(rng.normal(0, 0.2, ttotal).astype(np.float32), tcounts)
        data["track_dxysig"] = ak.unflatten(rng.normal(0, 3, ttotal).astype(np.float32), tcounts)

    def counter(name: str) -> str:
        return "n_pfcands" if name.startswith("pfcand_") else "n_tracks"

    with uproot.recreate(path) as f:
        f.mktree(
            tree,
            {k: v.type if isinstance(v, ak.Array) else v.dtype for k, v in data.items()},
            counter_name=counter,
        )
        f[tree].extend(data)
    return path
