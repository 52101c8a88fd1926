"""The event loop: generate events with Pythia, cluster, build jet records, write chunks.

``simulate`` splits the events over processes, each with its own seeds derived from the
run seed, collects the jets of every job in order, and writes one ntuple atomically.
The same seed and number of jobs give identical physics content.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import os
import queue
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from jetvision._io import atomic_path, check_output
from jetvision._quiet import quiet_stdout
from jetvision.errors import ConfigError, JetvisionError
from jetvision.ntuple import NtupleWriter, schema
from jetvision.simulate import jets, record, settings, substructure, truth

logger = logging.getLogger(__name__)

CHUNK_EVENTS = 250  # events per chunk file written by a job
_REPORT_EVERY = 20  # events between progress reports
_ORIGIN = (0.0, 0.0, 0.0)

Progress = Callable[[int, int], None]  # (new events, new jets)


@dataclass
class JobResult:
    """What one job produced: chunk files in order, counts, and its event-loop time."""

    files: list[str] = field(default_factory=list)
    n_events: int = 0
    n_jets: int = 0
    n_failed: int = 0
    loop_seconds: float = 0.0
    generator_seconds: float = 0.0  # inside Pythia's next()
    direct_events: int = 0  # events with jets whose record was read as arrays


@dataclass
class SimulationResult:
    """Summary of a finished ``simulate`` run."""

    path: Path
    n_events: int
    n_jets: int
    jobs: int
    wall_seconds: float
    loop_seconds: float  # the slowest job's event loop, start-up excluded
    generator_seconds: float  # all jobs' time inside Pythia's next(), summed
    direct_events: int = 0  # events with jets whose record was read as arrays


def make_pythia(process: str, seed: int, pt_hat_min: float) -> object:
    """An initialized, silent Pythia for one process and seed."""
    import pythia8mc  # noqa: PLC0415  (the simulate stage alone needs Pythia)

    pythia = pythia8mc.Pythia("", False)
    for line in settings.pythia_settings(process, seed, pt_hat_min):
        if not pythia.readString(line):
            raise JetvisionError(f"Pythia rejected the setting {line!r}")
    if not pythia.init():
        raise JetvisionError(f"Pythia failed to initialize for process {process!r}")
    return pythia


class _ChargeTable(dict):
    """Electric charge by PDG code, read from Pythia's particle data at first use."""

    def __init__(self, particle_data: object) -> None:
        super().__init__()
        self._particle_data = particle_data

    def __missing__(self, pdg_id: int) -> float:
        value = self._particle_data.charge(pdg_id)  # type: ignore[attr-defined]
        self[pdg_id] = value
        return value

    def of(self, pdg_id: np.ndarray) -> np.ndarray:
        """Charges of an array of PDG codes."""
        codes, where = np.unique(pdg_id, return_inverse=True)
        return np.array([self[c] for c in codes.tolist()], dtype=np.float64)[where]


class _ChunkBuilder:
    """Collects the selected jets of successive Pythia events, then builds their columns.

    Per event, only what needs the event record is read from Pythia: constituent
    momenta, PDG codes, production vertices and the hadron history. The record is read
    as numpy arrays where its memory layout could be verified
    (:mod:`jetvision.simulate.record`), else through the accessors, with as few calls
    per constituent as possible; both give the same numbers. All the arithmetic
    (kinematics, flags, substructure, impact parameters) runs vectorized over the chunk
    in :func:`jets.build_columns`.
    """

    _DISCOVERY_TRIES = 5  # events on which to try matching the record layout

    def __init__(self, pythia: object, process: str, rng: np.random.Generator) -> None:
        import pythia8mc  # noqa: PLC0415  (the simulate stage alone needs Pythia)

        self.pythia = pythia
        self.process = process
        self.rng = rng
        # anti-kT (power -1), visible final-state particles (select 2), true masses.
        self.clustering = pythia8mc.SlowJet(
            -1, jets.R, jets.JET_PT_MIN, jets.PARTICLE_ETA_MAX, 2, 2
        )
        self.charge = _ChargeTable(pythia.particleData)  # type: ignore[attr-defined]
        self._recluster = substructure.Reclusterer(beta=0.0, z_cut=0.1, R0=jets.R)
        self._quiet_first = True
        self._layout: record.RecordLayout | None = None
        self._tries = 0
        self.direct_events = 0
        self._reset()

    def _reset(self) -> None:
        self.p4: list[np.ndarray] = []  # per event [n, 4]
        self.pdg_id: list[np.ndarray] = []  # per event [n]
        self.vertices: list[np.ndarray] = []  # per event [n, 3], zero where not a track
        self.counts: list[int] = []
        self.truth: list[dict[str, float]] = []

    def __len__(self) -> int:
        return len(self.counts)

    def add_event(self, event_no: int) -> int:
        """Add the selected jets of the current Pythia event; return how many."""
        ev = self.pythia.event  # type: ignore[attr-defined]
        if self._quiet_first:  # fjcore prints its banner at the first clustering
            with quiet_stdout():
                self.clustering.analyze(ev)
            self._quiet_first = False
        else:
            self.clustering.analyze(ev)
        selected = []
        for j in range(self.clustering.sizeJet()):
            axis = self.clustering.p(j)
            eta, phi = axis.eta(), axis.phi()
            if abs(eta) < jets.JET_ETA_MAX:
                selected.append((list(self.clustering.constituents(j)), eta, phi))
        if not selected:
            return 0
        members = [m for m, _, _ in selected]
        view = self._record(ev)
        if view is None:
            hadrons = self._read_by_accessors(ev, members)
        else:
            hadrons = self._read_record(ev, view, members)
            self.direct_events += 1
        higgs = truth.find_higgs(ev) if self.process == "hbb" else None
        for (_, eta, phi), found in zip(selected, hadrons, strict=True):
            jet_truth = self._truth(ev, found, eta, phi, higgs)
            jet_truth["event_no"] = event_no
            self.truth.append(jet_truth)
        return len(selected)

    def _record(self, ev: object) -> np.ndarray | None:
        if self._layout is None and self._tries < self._DISCOVERY_TRIES:
            self._tries += 1
            self._layout = record.RecordLayout.discover(ev)
        if self._layout is None:
            return None
        return self._layout.view(ev)

    def _read_record(
        self, ev: object, view: np.ndarray, members: list[list[int]]
    ) -> list[dict[int, int]]:
        """Constituents from the record's arrays; their heavy hadrons per jet."""
        counts = [len(m) for m in members]
        index = np.fromiter(itertools.chain.from_iterable(members), np.intp, sum(counts))
        part = view[index]  # a copy: safe once Pythia moves on
        self.p4.append(part["p"])
        self.pdg_id.append(part["id"].astype(np.int64))
        self.vertices.append(part["vertex"])
        self.counts.extend(counts)
        ancestry = truth.RecordAncestry(ev, view)
        return [ancestry.ancestors(m) for m in members]

    def _read_by_accessors(self, ev: object, members: list[list[int]]) -> list[dict[int, int]]:
        """Constituents through the accessors; their heavy hadrons per jet."""
        finder = truth.HeavyHadronFinder(ev)
        charge = self.charge
        found = []
        p4: list[tuple[float, float, float, float]] = []
        ids: list[int] = []
        vertices: list[tuple[float, float, float]] = []
        for indices in members:
            particles = [ev[k] for k in indices]  # type: ignore[index]
            rows = [(q.px(), q.py(), q.pz(), q.e()) for q in particles]
            codes = [q.id() for q in particles]
            # Only tracks (charged candidates, as jets.build_columns tests) need their
            # vertex; most are prompt and carry none, so one call usually answers.
            vertices.extend(
                (q.xProd(), q.yProd(), q.zProd())
                if px * px + py * py > jets.CANDIDATE_PT2 and charge[pdg_id] and q.hasVertex()
                else _ORIGIN
                for q, (px, py, _, _), pdg_id in zip(particles, rows, codes, strict=True)
            )
            p4.extend(rows)
            ids.extend(codes)
            self.counts.append(len(indices))
            found.append(finder.ancestors([q.mother1() for q in particles]))
        self.p4.append(np.array(p4, dtype=np.float64).reshape(-1, 4))
        self.pdg_id.append(np.array(ids, dtype=np.int64))
        self.vertices.append(np.array(vertices, dtype=np.float64).reshape(-1, 3))
        return found

    def _truth(
        self,
        ev: object,
        hadrons: dict[int, int],
        eta: float,
        phi: float,
        higgs: truth.HiggsTruth | None,
    ) -> dict[str, float]:
        nb, nc = truth.count_in_cone(ev, hadrons, eta, phi, jets.R)
        is_h = higgs is not None and truth.delta_r(eta, phi, higgs.eta, higgs.phi) < jets.R
        out: dict[str, float] = dict(truth.labels(is_h, nb, nc))
        out.update(
            {
                "fj_isH": int(is_h),
                "fj_isQCD": int(not is_h),
                "fj_nbHadrons": nb,
                "fj_ncHadrons": nc,
                "sample_isQCD": int(self.process == "qcd"),
            }
        )
        out["fj_label"] = next((schema.FJ_LABEL_CODES[k] for k in schema.LABELS if out[k]), 0)
        out["fj_gen_pt"] = higgs.pt if is_h else schema.GEN_MISSING
        out["fj_gen_eta"] = higgs.eta if is_h else schema.GEN_MISSING
        return out

    def columns(self) -> dict[str, np.ndarray]:
        """The chunk's ntuple columns; empties the builder."""
        pdg_id = np.concatenate([np.zeros(0, np.int64), *self.pdg_id])
        raw = jets.RawJets(
            p4=np.concatenate([np.zeros((0, 4)), *self.p4]),
            counts=np.array(self.counts, dtype=np.int64),
            pdg_id=pdg_id,
            charge=self.charge.of(pdg_id),
            vertices=np.concatenate([np.zeros((0, 3)), *self.vertices]),
        )
        cols = jets.build_columns(raw, self.rng, self._recluster) if len(self) else {}
        out: dict[str, np.ndarray] = {}
        for name, kind in schema.branch_types().items():
            if name in schema.FLOAT_COUNTS.values():
                continue
            if kind == "var * float32":
                out[name] = np.asarray(cols.get(name, ()), dtype=np.float32)
            elif name == "n_sv":
                out[name] = np.zeros(len(self), dtype=np.int32)
            elif name in cols:
                out[name] = np.asarray(cols[name], dtype=kind)
            else:
                out[name] = np.array([t[name] for t in self.truth], dtype=kind)
        for counter in ("n_pfcands", "n_tracks"):
            out[counter] = np.asarray(cols.get(counter, ()), dtype=np.int32)
        self._reset()
        return out


def run_job(
    process: str,
    n_events: int,
    seeds: tuple[int, int],
    pt_hat_min: float,
    event_offset: int,
    chunk_dir: str,
    tag: str,
    report: Progress,
) -> JobResult:
    """Generate ``n_events`` events and write their jets as ``.npz`` chunks in ``chunk_dir``."""
    pythia = make_pythia(process, seeds[0], pt_hat_min)
    builder = _ChunkBuilder(pythia, process, np.random.default_rng(seeds[1]))
    result = JobResult()
    reported = (0, 0)
    start = time.perf_counter()
    while result.n_events < n_events:
        tick = time.perf_counter()
        generated = pythia.next()  # type: ignore[attr-defined]
        result.generator_seconds += time.perf_counter() - tick
        if not generated:
            result.n_failed += 1
            if result.n_failed > 100 + n_events // 10:
                raise JetvisionError(f"Pythia failed {result.n_failed} events in a row")
            continue
        result.n_jets += builder.add_event(event_offset + result.n_events)
        result.n_events += 1
        if result.n_events % CHUNK_EVENTS == 0 or result.n_events == n_events:
            path = os.path.join(chunk_dir, f"{tag}-{len(result.files):06d}.npz")
            np.savez(path, **builder.columns())
            result.files.append(path)
        if result.n_events % _REPORT_EVERY == 0 or result.n_events == n_events:
            report(result.n_events - reported[0], result.n_jets - reported[1])
            reported = (result.n_events, result.n_jets)
    result.loop_seconds = time.perf_counter() - start
    result.direct_events = builder.direct_events
    return result


def _job_entry(args: tuple, progress_queue: mp.Queue) -> JobResult:
    return run_job(*args, report=lambda e, j: progress_queue.put((e, j)))


def check_options(process: str, n_events: int, jobs: int, pt_hat_min: float) -> None:
    """Reject impossible options before any generator starts."""
    if process not in settings.PROCESSES:
        raise ConfigError(f"--process must be one of {sorted(settings.PROCESSES)}, got {process!r}")
    if n_events <= 0:
        raise ConfigError(f"--events must be positive, got {n_events}")
    if jobs <= 0:
        raise ConfigError(f"--jobs must be positive, got {jobs}")
    if jobs > n_events:
        raise ConfigError(f"--jobs ({jobs}) cannot exceed --events ({n_events})")
    if not pt_hat_min > 0:
        raise ConfigError(f"--pt-hat-min must be positive (GeV), got {pt_hat_min}")


def simulate(
    process: str,
    n_events: int,
    output: str | os.PathLike[str],
    *,
    seed: int = 1,
    jobs: int = 1,
    pt_hat_min: float = settings.DEFAULT_PT_HAT_MIN,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> SimulationResult:
    """Generate ``n_events`` events of ``process`` and write their jets to ``output``."""
    check_options(process, n_events, jobs, pt_hat_min)
    out = check_output(output, overwrite=overwrite)
    report = progress or (lambda _e, _j: None)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=".jetvision-sim-", dir=out.parent) as chunk_dir:
        results = _run_jobs(process, n_events, seed, jobs, pt_hat_min, chunk_dir, report)
        with atomic_path(out) as tmp, NtupleWriter(tmp) as writer:
            for result in results:
                for chunk in result.files:
                    with np.load(chunk) as data:
                        writer.extend(dict(data))
    n_jets = sum(r.n_jets for r in results)
    logger.debug("wrote %d jets from %d events to %s", n_jets, n_events, out)
    return SimulationResult(
        out,
        n_events,
        n_jets,
        jobs,
        time.perf_counter() - start,
        max(r.loop_seconds for r in results),
        sum(r.generator_seconds for r in results),
        sum(r.direct_events for r in results),
    )


def _run_jobs(
    process: str,
    n_events: int,
    seed: int,
    jobs: int,
    pt_hat_min: float,
    chunk_dir: str,
    report: Progress,
) -> list[JobResult]:
    counts = settings.split_events(n_events, jobs)
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).tolist()
    args = [
        (process, counts[k], seeds, pt_hat_min, offsets[k], chunk_dir, f"job{k:03d}")
        for k, seeds in enumerate(settings.job_seeds(seed, jobs))
    ]
    if jobs == 1:
        return [run_job(*args[0], report=report)]

    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager, ctx.Pool(jobs) as pool:
        progress_queue = manager.Queue()
        pending = [pool.apply_async(_job_entry, (a, progress_queue)) for a in args]
        while not all(p.ready() for p in pending):
            _drain(progress_queue, report, timeout=0.2)
        _drain(progress_queue, report, timeout=0.0)
        return [p.get() for p in pending]


def _drain(progress_queue: mp.Queue, report: Progress, timeout: float) -> None:
    """Report every queued update, waiting up to ``timeout`` seconds for the first."""
    try:
        item = progress_queue.get(timeout=timeout) if timeout else progress_queue.get_nowait()
        while True:
            report(*item)
            item = progress_queue.get_nowait()
    except queue.Empty:
        return
