"""Jets per second of the vectorized image builder and a per-jet loop; peak memory.

Targets (issue 3): the vectorized builder is >= 10 times the per-jet reference on the
same jets, and the peak RSS of ``jetvision images`` does not grow with the number of
input jets (reported for 100k and 400k jets). The large inputs repeat a small
simulated sample, since simulating 400k jets takes over an hour.

    python benchmarks/images.py [--sizes 100000,400000] [--events 400]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import awkward as ak
import numpy as np
import uproot

from jetvision.images import ImageConfig, jet_images, pixelate, preprocess
from jetvision.ntuple import NtupleWriter, schema
from jetvision.simulate import simulate


def per_jet_reference(jets: dict[str, ak.Array], config: ImageConfig) -> np.ndarray:
    """The same images, one jet at a time with numpy.histogram2d."""
    out = np.zeros((len(jets["pfcand_ptrel"]), 1, config.size, config.size))
    for k in range(len(out)):
        pt = ak.to_numpy(jets["pfcand_ptrel"][k]).astype(np.float64)
        eta = ak.to_numpy(jets["pfcand_etarel"][k]).astype(np.float64)
        phi = ak.to_numpy(jets["pfcand_phirel"][k]).astype(np.float64)
        owner = np.zeros(len(pt), dtype=int)
        t = preprocess.find_transform(eta, phi, pt, owner, 1, config.steps, config.axes)
        x, y = t.apply(eta, phi, owner)
        image = pixelate.reference_image(x, y, pt, config.size, config.extent)
        out[k, 0] = image / image.sum() if image.sum() > 0 else image
    return out


def repeat_ntuple(source: Path, target: Path, n_jets: int, block: int = 20_000) -> None:
    """Write ``n_jets`` jets by repeating the jets of ``source`` (``block`` per basket)."""
    arrays = uproot.open(source)[schema.TREE_PATH].arrays(library="ak")
    names = [n for n in schema.branch_types() if n not in schema.FLOAT_COUNTS.values()]
    reps = max(1, block // len(arrays))
    tiled = arrays[np.tile(np.arange(len(arrays)), reps)]
    with NtupleWriter(target) as writer:
        written = 0
        while written < n_jets:
            part = tiled[: n_jets - written]
            chunk = {
                name: ak.to_numpy(ak.flatten(part[name]) if part[name].ndim > 1 else part[name])
                for name in names
            }
            chunk.update({c: ak.to_numpy(part[c]) for c in ("n_pfcands", "n_tracks")})
            writer.extend(chunk)
            written += len(part)


_CHILD = """
import json, resource, sys, time
from jetvision.images import ImageConfig, build
from jetvision.ntuple import Selection
start = time.perf_counter()
r = build([sys.argv[1]], sys.argv[2], ImageConfig(selection=Selection.named("none")))
print(json.dumps({"jets": r.n_jets, "seconds": time.perf_counter() - start,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=400, help="events per process")
    parser.add_argument("--sizes", default="100000,400000")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        sample = simulate("qcd", args.events, tmp / "qcd.root", seed=5).path
        tree = uproot.open(sample)[schema.TREE_PATH]
        jets = tree.arrays(["pfcand_ptrel", "pfcand_etarel", "pfcand_phirel"], how=dict)
        config = ImageConfig()
        n = len(jets["pfcand_ptrel"])

        many = {k: v[np.tile(np.arange(n), 10)] for k, v in jets.items()}
        jet_images(many, config)  # warm-up
        start = time.perf_counter()
        jet_images(many, config)
        fast_rate = 10 * n / (time.perf_counter() - start)
        fast, _ = jet_images(jets, config)
        start = time.perf_counter()
        slow = per_jet_reference(jets, config)
        slow_rate = n / (time.perf_counter() - start)
        agree = np.allclose(fast, slow, atol=1e-6)
        print(
            f"{n} simulated jets (x10 for the vectorized builder), 1 x {config.size} x "
            f"{config.size}, all preprocessing"
        )
        print(f"vectorized builder   {fast_rate:12.0f} jets/s")
        print(f"per-jet reference    {slow_rate:12.0f} jets/s")
        print(
            f"speed-up             {fast_rate / slow_rate:12.1f} x (target >= 10); "
            f"images agree: {agree}"
        )

        for size in (int(s) for s in args.sizes.split(",")):
            big = tmp / f"big{size}.root"
            repeat_ntuple(sample, big, size)
            run = subprocess.run(
                [sys.executable, "-c", _CHILD, str(big), str(tmp / "o.h5")],
                capture_output=True,
                text=True,
                check=True,
            )
            stats = json.loads(run.stdout.strip().splitlines()[-1])
            print(
                f"jetvision images on {size:>7} jets: peak RSS {stats['rss_mb']:7.0f} MB, "
                f"{stats['jets'] / stats['seconds']:8.0f} jets/s end to end"
            )
            big.unlink()
            (tmp / "o.h5").unlink()


if __name__ == "__main__":
    main()
