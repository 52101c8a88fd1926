"""The Hbb ntuple format: schema, streaming reader, writer."""

from __future__ import annotations

from jetvision.ntuple.reader import count_entries, iterate, open_tree, require_branches
from jetvision.ntuple.schema import TREE_PATH, Selection, binary_labels
from jetvision.ntuple.writer import NtupleWriter

__all__ = [
    "TREE_PATH",
    "NtupleWriter",
    "Selection",
    "binary_labels",
    "count_entries",
    "iterate",
    "open_tree",
    "require_branches",
]
