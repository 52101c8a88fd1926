"""Pythia 8 settings per process, and the seeds of parallel jobs.

Processes (both at sqrt(s) = 13 TeV, Pythia 8 default tune Monash 2013):

``hbb``
    f fbar -> Z H with Z -> nu nu and H -> b bbar only (``HiggsSM:ffbar2HZ``). The
    invisible Z recoils against the Higgs, so the event holds one boosted H->bb jet and
    little else; the pT-hat cut is the Higgs pT at the hard process.
``qcd``
    QCD 2 -> 2 scattering (``HardQCD:all``, including g g -> b bbar / c cbar), the
    multijet background, with the same pT-hat cut.

Default pT-hat cut: 350 GeV. Out-of-cone radiation makes the leading AK8 jet softer
than pT-hat by some tens of GeV, so with a 350 GeV cut most jets that pass pT > 200 GeV
lie above the 300 GeV of the standard selection, while the generation stays efficient.
"""

from __future__ import annotations

import numpy as np

PROCESSES: dict[str, tuple[str, ...]] = {
    "hbb": (
        "HiggsSM:ffbar2HZ = on",
        "25:onMode = off",
        "25:onIfMatch = 5 -5",
        "23:onMode = off",
        "23:onIfAny = 12 14 16",
    ),
    "qcd": ("HardQCD:all = on",),
}

DEFAULT_PT_HAT_MIN = 350.0  # GeV
SQRT_S = 13000.0  # GeV
_PYTHIA_SEED_MAX = 900_000_000  # Random:seed accepts 1 .. 900000000


def pythia_settings(process: str, seed: int, pt_hat_min: float) -> list[str]:
    """The ``readString`` lines that configure Pythia for one process and seed."""
    if process not in PROCESSES:
        raise ValueError(f"process must be one of {sorted(PROCESSES)}, got {process!r}")
    return [
        f"Beams:eCM = {SQRT_S}",
        *PROCESSES[process],
        f"PhaseSpace:pTHatMin = {pt_hat_min}",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "Print:quiet = on",
        "Next:numberCount = 0",
    ]


def job_seeds(seed: int, jobs: int) -> list[tuple[int, int]]:
    """Independent (Pythia seed, numpy seed) pairs for ``jobs`` jobs derived from ``seed``.

    Uses numpy's SeedSequence spawning, so job k's streams depend only on ``seed`` and
    k: the same seed and number of jobs always give the same events.
    """
    children = np.random.SeedSequence(seed).spawn(jobs)
    seeds = []
    for child in children:
        a, b = child.generate_state(2, dtype=np.uint32)
        seeds.append((int(a) % _PYTHIA_SEED_MAX + 1, int(b)))
    return seeds


def split_events(n_events: int, jobs: int) -> list[int]:
    """Events per job: as equal as possible, earlier jobs take the remainder."""
    base, extra = divmod(n_events, jobs)
    return [base + (1 if k < extra else 0) for k in range(jobs)]
