"""Build an image store from Hbb ntuples: select, label, balance, split, pixelate.

Two streaming passes over the input, chunk by chunk, so memory does not grow with the
number of jets:

1. jet-level branches only: truth labels, the selection window, non-finite values;
   then balancing, the ``--max-jets`` cap and the train/validation/test split are
   decided for the jets that are left;
2. particle branches of the kept jets: preprocessing, pixelation, writing.

Every dropped jet is counted by reason; the counts are logged and stored in the file.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import awkward as ak
import numpy as np

from jetvision import __version__
from jetvision._io import atomic_path, check_output
from jetvision.errors import ConfigError, InputFileError, SelectionError
from jetvision.images import pixelate, preprocess
from jetvision.images.channels import Channel, branches_for, parse_channels
from jetvision.images.store import JET_FIELDS, StoreWriter
from jetvision.ntuple import reader, schema

logger = logging.getLogger(__name__)

Progress = Callable[[int], None]
_IMAGE_BATCH = 4096  # jets pixelated at once: bounds memory at 4096 x C x H x W doubles
_JET_BRANCHES = ["fj_pt", "fj_eta", "fj_sdmass", "fj_tau21", "sample_isQCD", *schema.LABELS]


@dataclass
class ImageConfig:
    """How jets become images."""

    channels: list[Channel] = field(default_factory=lambda: parse_channels("pt"))
    size: int = 32  # pixels per side
    extent: float = 0.8  # the grid spans +-extent in eta_rel and phi_rel
    steps: tuple[str, ...] = preprocess.STEPS
    axes: str = "centroid"  # or "subjet": see preprocess
    selection: schema.Selection = field(default_factory=schema.Selection)
    balance: bool = False
    max_jets: int | None = None
    split: tuple[float, float, float] = (0.7, 0.1, 0.2)
    seed: int = 1

    def check(self) -> None:
        if self.size < 4:
            raise ConfigError(f"--size must be at least 4 pixels, got {self.size}")
        if not self.extent > 0:
            raise ConfigError(f"the image extent must be positive, got {self.extent}")
        if self.max_jets is not None and self.max_jets <= 0:
            raise ConfigError(f"--max-jets must be positive, got {self.max_jets}")
        if len(self.split) != 3 or min(self.split) < 0 or not np.isclose(sum(self.split), 1):
            raise ConfigError(
                f"--split needs three non-negative fractions summing to 1, got {self.split}"
            )
        if self.axes not in preprocess.AXES:
            raise ConfigError(f"--axes must be one of {preprocess.AXES}, got {self.axes!r}")


def parse_split(spec: str) -> tuple[float, float, float]:
    """``"0.7,0.1,0.2"`` -> (0.7, 0.1, 0.2), with a clear error for anything else."""
    try:
        parts = tuple(float(x) for x in spec.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 3:
        raise ConfigError(f"--split takes three fractions like 0.7,0.1,0.2, got {spec!r}")
    return parts  # type: ignore[return-value]


@dataclass
class BuildResult:
    """Summary of a finished build."""

    path: str
    n_jets: int
    n_signal: int
    dropped: dict[str, int]


def _jet_pass(
    inputs: Sequence[str], config: ImageConfig, progress: Progress
) -> tuple[np.ndarray, np.ndarray, Counter]:
    """Pass 1: label of every input jet and whether it is kept (before balancing)."""
    dropped: Counter = Counter()
    labels, keep = [], []
    for _, chunk in reader.iterate(inputs, _JET_BRANCHES):
        cols = {k: ak.to_numpy(v) for k, v in chunk.items()}
        label, labelled = schema.binary_labels(cols)
        finite = np.all(
            [np.isfinite(cols[k]) for k in ("fj_pt", "fj_eta", "fj_sdmass", "fj_tau21")], axis=0
        )
        selected = config.selection.mask(
            np.nan_to_num(cols["fj_pt"]), np.nan_to_num(cols["fj_sdmass"])
        )
        dropped["no binary label"] += int((~labelled).sum())
        dropped["non-finite jet variable"] += int((labelled & ~finite).sum())
        dropped["outside selection"] += int((labelled & finite & ~selected).sum())
        labels.append(label)
        keep.append(labelled & finite & selected)
        progress(len(label))
    return np.concatenate(labels), np.concatenate(keep), dropped


def _choose(
    labels: np.ndarray, keep: np.ndarray, config: ImageConfig, dropped: Counter
) -> np.ndarray:
    """Balance and cap the kept jets; return their split codes (-1 = not written)."""
    rng = np.random.default_rng(config.seed)
    kept = np.flatnonzero(keep)
    if config.balance:
        by_class = [kept[labels[kept] == c] for c in (0, 1)]
        n_min = min(len(c) for c in by_class)
        chosen = [np.sort(rng.choice(c, n_min, replace=False)) for c in by_class]
        dropped["balancing"] += len(kept) - 2 * n_min
        kept = np.sort(np.concatenate(chosen))
    if config.max_jets is not None and len(kept) > config.max_jets:
        dropped["--max-jets"] += len(kept) - config.max_jets
        kept = np.sort(rng.choice(kept, config.max_jets, replace=False))
    if len(kept) == 0:
        raise SelectionError(f"no jets left after selection (dropped: {dict(dropped)})")

    split = np.full(len(labels), -1, dtype=np.int8)
    order = rng.permutation(len(kept))
    edges = np.round(np.cumsum(config.split)[:2] * len(kept)).astype(int)
    codes = np.zeros(len(kept), dtype=np.int8)
    codes[order[edges[0] : edges[1]]] = 1
    codes[order[edges[1] :]] = 2
    split[kept] = codes
    return split


def jet_images(
    particles: dict[str, ak.Array], config: ImageConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Preprocessed images [n, C, H, W] of jets, and a mask of jets with finite inputs.

    ``particles`` maps branch names to jagged arrays (one list per jet). Images of
    jets with a non-finite particle value are left zero; the mask marks them False.
    """
    n_jets = len(particles["pfcand_ptrel"])
    flat = {k: ak.to_numpy(ak.flatten(v)).astype(np.float64) for k, v in particles.items()}
    owner = {k: np.repeat(np.arange(n_jets), ak.to_numpy(ak.num(v))) for k, v in particles.items()}
    finite = np.ones(n_jets, dtype=bool)
    for k, values in flat.items():
        finite[owner[k][~np.isfinite(values)]] = False

    pf_owner = owner["pfcand_ptrel"]
    pt = np.where(finite[pf_owner], flat["pfcand_ptrel"], 0.0)
    transform = preprocess.find_transform(
        np.nan_to_num(flat["pfcand_etarel"]),
        np.nan_to_num(flat["pfcand_phirel"]),
        pt,
        pf_owner,
        n_jets,
        config.steps,
        config.axes,
    )

    images = np.zeros((n_jets, len(config.channels), config.size, config.size))
    for c, channel in enumerate(config.channels):
        prefix = channel.collection
        jet_of = owner[f"{prefix}_etarel"]
        eta, phi = transform.apply(flat[f"{prefix}_etarel"], flat[f"{prefix}_phirel"], jet_of)
        weight = np.where(finite[jet_of], channel.weights(flat), 0.0)
        images[:, c] = pixelate.pixelate(
            eta, phi, np.nan_to_num(weight), jet_of, n_jets, config.size, config.extent
        )
    if "normalize" in config.steps:
        images = preprocess.normalize(images)
    return images, finite


def build(
    inputs: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    config: ImageConfig | None = None,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> BuildResult:
    """Turn Hbb ntuples into an image store (see the module docstring)."""
    config = config or ImageConfig()
    config.check()
    inputs = [str(p) for p in inputs]
    if not inputs:
        raise InputFileError("no input files given")
    out = check_output(output, overwrite=overwrite)
    particle_branches = branches_for(config.channels)
    for path in inputs:  # fail on a missing branch before any work
        reader.require_branches(reader.open_tree(path), _JET_BRANCHES + particle_branches, path)
    report = progress or (lambda _n: None)

    labels, keep, dropped = _jet_pass(inputs, config, report)
    split = _choose(labels, keep, config, dropped)
    with atomic_path(out) as tmp:
        writer = StoreWriter(tmp, len(config.channels), config.size)
        try:
            _image_pass(inputs, config, particle_branches, labels, split, writer, dropped, report)
            if writer.n == 0:
                raise SelectionError(f"no jets left after selection (dropped: {dict(dropped)})")
            writer.set_attrs(_attrs(inputs, config, dropped, writer.n))
        finally:
            writer.close()
    n_signal = int(labels[split >= 0].sum())
    logger.info("dropped jets: %s", dict(dropped) or "none")
    return BuildResult(str(out), writer.n, n_signal, dict(dropped))


def _image_pass(
    inputs: Sequence[str],
    config: ImageConfig,
    branches: list[str],
    labels: np.ndarray,
    split: np.ndarray,
    writer: StoreWriter,
    dropped: Counter,
    report: Progress,
) -> None:
    offset = 0
    fields = [k for k in JET_FIELDS if k != "fj_label"]
    wanted = [*fields, *schema.LABELS, *branches]
    for _, chunk in reader.iterate(inputs, wanted):
        n = len(chunk["fj_pt"])
        rows = np.flatnonzero(split[offset : offset + n] >= 0)
        for start in range(0, len(rows), _IMAGE_BATCH):
            batch = rows[start : start + _IMAGE_BATCH]
            images, finite = jet_images({k: chunk[k][batch] for k in branches}, config)
            empty = ak.to_numpy(ak.num(chunk["pfcand_ptrel"][batch])) == 0
            good = finite & ~empty
            dropped["non-finite particle value"] += int((~finite).sum())
            dropped["no PF candidates"] += int((finite & empty).sum())
            jets = {k: ak.to_numpy(chunk[k][batch])[good] for k in fields}
            onehot = {k: ak.to_numpy(chunk[k][batch])[good] for k in schema.LABELS}
            jets["fj_label"] = schema.fj_label_from_onehot(onehot)
            writer.append(
                images[good].astype(np.float32),
                labels[offset + batch][good],
                split[offset + batch][good],
                jets,
            )
        offset += n
        report(n)


def _attrs(
    inputs: Sequence[str], config: ImageConfig, dropped: Counter, n_jets: int
) -> dict[str, object]:
    sel = config.selection
    return {
        "channels": [c.name for c in config.channels],
        "grid": {
            "size": config.size,
            "extent": config.extent,
            "axes": ["eta_rel (H)", "phi_rel (W)"],
        },
        "preprocessing": {"steps": list(config.steps), "axes": config.axes},
        "selection": {
            "pt_min": sel.pt_min,
            "pt_max": sel.pt_max,
            "sdmass_min": sel.sdmass_min,
            "sdmass_max": sel.sdmass_max,
        },
        "balance": bool(config.balance),
        "split_fractions": list(config.split),
        "seed": config.seed,
        "input_files": [os.path.abspath(p) for p in inputs],
        "dropped": dict(dropped),
        "n_jets": n_jets,
        "version": __version__,
    }
