"""Stream Hbb ntuples in chunks, reading only the branches asked for.

Works on the public CMS Open Data files and on files from ``jetvision simulate``. It
assumes nothing about basket sizes or whether per-particle branches are C arrays or
``std::vector``: uproot reads both as jagged arrays.
"""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import awkward as ak
import uproot

from jetvision.errors import InputFileError, MissingBranchError
from jetvision.ntuple import schema

logger = logging.getLogger(__name__)

DEFAULT_STEP = 50_000  # jets per chunk: a few hundred MB of candidates at most


def open_tree(path: str | os.PathLike[str], tree_path: str = schema.TREE_PATH) -> object:
    """Open the jet tree of one file, with an :class:`InputFileError` naming what is wrong."""
    p = Path(path)
    if not p.is_file():
        raise InputFileError(f"input file {str(p)!r} does not exist")
    try:
        handle = uproot.open(p, array_cache=None, object_cache=None)
    except Exception as exc:
        raise InputFileError(f"{str(p)!r} is not a readable ROOT file ({exc})") from exc
    try:
        tree = handle[tree_path]
    except Exception as exc:
        keys = ", ".join(handle.keys(cycle=False)) or "nothing"
        raise InputFileError(f"{str(p)!r} has no tree at {tree_path!r}; it holds: {keys}") from exc
    if not hasattr(tree, "num_entries"):
        raise InputFileError(f"{str(p)!r}: {tree_path!r} is not a TTree")
    return tree


def require_branches(tree: object, names: Sequence[str], source: str) -> None:
    """Raise :class:`MissingBranchError` for the first needed branch the tree lacks.

    The message lists the closest available branch names, closest first.
    """
    available = set(tree.keys())  # type: ignore[attr-defined]
    for name in names:
        if name not in available:
            close = difflib.get_close_matches(name, sorted(available), n=5, cutoff=0.5)
            hint = f"; closest available: {', '.join(close)}" if close else ""
            raise MissingBranchError(f"{source!r} has no branch {name!r}{hint}")


def iterate(
    paths: Sequence[str | os.PathLike[str]],
    branches: Sequence[str],
    *,
    step_size: int = DEFAULT_STEP,
    max_entries: int | None = None,
) -> Iterator[tuple[str, dict[str, ak.Array]]]:
    """Yield ``(file name, {branch: array})`` chunks over every file in turn.

    Every file is opened and checked for all ``branches`` before the first chunk is
    read, so a missing branch in the last file fails at once. Scalar branches come back
    as flat arrays and per-particle branches as jagged arrays. ``max_entries`` stops
    after that many jets in total.
    """
    trees = []
    for path in paths:
        tree = open_tree(path)
        require_branches(tree, branches, str(path))
        trees.append((str(path), tree))

    remaining = max_entries
    for name, tree in trees:
        stop = tree.num_entries if remaining is None else min(tree.num_entries, remaining)
        if stop == 0:
            continue
        try:
            for chunk in tree.iterate(
                list(branches), step_size=step_size, entry_stop=stop, library="ak", how=dict
            ):
                yield name, chunk
        except (OSError, ValueError, uproot.DeserializationError) as exc:
            raise InputFileError(f"{name!r} is truncated or corrupted ({exc})") from exc
        if remaining is not None:
            remaining -= stop
            if remaining <= 0:
                return


def count_entries(paths: Sequence[str | os.PathLike[str]]) -> int:
    """Total number of jets in the files (opens each tree, reads no baskets)."""
    return sum(open_tree(path).num_entries for path in paths)  # type: ignore[attr-defined]
