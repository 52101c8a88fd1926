"""Write Hbb ntuples: one ROOT file, TTree ``deepntuplizer/tree``, public branch types.

Per-particle branches are written as ``Float_t`` C arrays counted by ``Int_t`` branches
(``n_pfcands``, ``n_tracks``), as in the CMS Open Data files, with the float copies of
the counts (``npfcands``, ``ntracks``, ``nsv``) beside them.

Baskets are compressed with ZSTD level 1: as small as uproot's default ZLIB level 1 on
these branches and twice as fast to write. ROOT reads ZSTD since 6.20; uproot reads it
through ``cramjam``, one of its own dependencies.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import awkward as ak
import numpy as np
import uproot

from jetvision.ntuple import schema

# Enough basket slots that a long run never rewrites the tree metadata.
_BASKET_CAPACITY = 4096
_COMPRESSION = uproot.ZSTD(1)


class NtupleWriter:
    """Append chunks of jets to a new ntuple file.

    Each chunk maps every scalar branch to a 1-d array with one value per jet, every
    per-particle branch to a flat array of all particles of the chunk's jets, and each
    counter (``n_pfcands``, ``n_tracks``) to the per-jet counts. Use it as a context
    manager; the caller is responsible for writing to a temporary path and renaming.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._file = uproot.recreate(path, compression=_COMPRESSION)
        self._types = schema.branch_types()
        # Parse the jagged type once: uproot would parse the string for every branch.
        jagged = ak.types.from_datashape("var * float32", highlevel=False)
        spec = {k: jagged if v == "var * float32" else v for k, v in self._types.items()}
        self._tree = self._file.mktree(
            schema.TREE_PATH,
            spec,
            counter_name=schema.counter_of,
            initial_basket_capacity=_BASKET_CAPACITY,
        )
        self.n_jets = 0

    def extend(self, chunk: Mapping[str, np.ndarray]) -> None:
        """Append the jets of one chunk (see the class docstring for its layout)."""
        n = len(chunk["fj_pt"])
        if n == 0:
            return
        data: dict[str, object] = {}
        for name, kind in self._types.items():
            if name in schema.FLOAT_COUNTS.values():
                continue
            if kind == "var * float32":
                counts = np.asarray(chunk[schema.counter_of(name)], dtype=np.int64)
                flat = np.asarray(chunk[name], dtype=np.float32)
                data[name] = ak.unflatten(flat, counts)
            else:
                data[name] = np.asarray(chunk[name], dtype=kind)
        for counter, float_name in schema.FLOAT_COUNTS.items():
            data[float_name] = np.asarray(chunk[counter], dtype=np.float32)
        self._tree.extend(data)
        self.n_jets += n

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> NtupleWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
