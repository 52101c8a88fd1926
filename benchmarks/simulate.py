"""Events per second of ``jetvision simulate`` next to a bare Pythia loop, in one run.

Targets (issue 2): the full pipeline keeps >= 85% of the bare Pythia rate, and two jobs
run >= 1.8 times as fast as one.

Each round runs bare Pythia (initialization, then ``next()`` alone) and the whole
``simulate`` call of one job on the same events (initialization, generation,
clustering, substructure, tracks, truth, chunk files and the final ROOT file), in turn
first, then ``simulate`` with two jobs on twice as many events. Alternating rounds
make a drift of the machine's speed during the run hit all of them alike; the spread
of the per-round ratios shows how noisy the machine was. Two ratios to bare Pythia are
printed: the event loops alone, and whole runs, where both sides include Pythia's
initialization and the pipeline its writing. The share of the pipeline's loop spent
inside ``next()`` is timed event by event in the same run, so no drift touches it.

    python benchmarks/simulate.py [--events 2400] [--rounds 8] [--process qcd]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jetvision.simulate import generate, settings


@dataclass
class Seconds:
    """Time of initialization plus event loop, and of the event loop alone, over rounds."""

    total: float = 0.0
    loop: float = 0.0

    def add(self, total: float, loop: float) -> None:
        self.total += total
        self.loop += loop


def bare_seconds(process: str, n_events: int, run_seed: int) -> tuple[float, float]:
    """Pythia alone for ``n_events`` events, seeded as ``simulate(seed=run_seed)`` is."""
    ((pythia_seed, _),) = settings.job_seeds(run_seed, 1)
    start = time.perf_counter()
    pythia = generate.make_pythia(process, pythia_seed, settings.DEFAULT_PT_HAT_MIN)
    loop_start = time.perf_counter()
    done = 0
    while done < n_events:
        done += bool(pythia.next())  # type: ignore[attr-defined]
    end = time.perf_counter()
    return end - start, end - loop_start


@dataclass
class Rounds:
    """What the alternating rounds measured."""

    events: int = 0  # per kind: bare and one job; two jobs ran twice as many
    bare: Seconds = field(default_factory=Seconds)
    one: Seconds = field(default_factory=Seconds)
    two: Seconds = field(default_factory=Seconds)
    generator: float = 0.0  # one job's seconds inside Pythia's next()
    ratios: list[float] = field(default_factory=list)  # per round, bare / one job (loops)
    jets: int = 0  # of one job
    direct: int = 0  # events of one job whose record was read as arrays


def interleaved(process: str, n_events: int, rounds: int, seed: int) -> Rounds:
    """Bare Pythia, one-job and two-job ``simulate`` in alternating rounds.

    Bare Pythia and one job run on the same events, in turn first (ABBA), so that
    neither always follows the two-job run; two jobs run on twice as many events.
    """
    per_round = n_events // rounds
    out = Rounds(events=rounds * per_round)
    with tempfile.TemporaryDirectory() as folder:
        for r in range(rounds):
            run_seed = 1000 * seed + r
            path = Path(folder) / f"one{r}.root"
            if r % 2:
                one = generate.simulate(process, per_round, path, seed=run_seed)
                bare = bare_seconds(process, per_round, run_seed)
            else:
                bare = bare_seconds(process, per_round, run_seed)
                one = generate.simulate(process, per_round, path, seed=run_seed)
            out.bare.add(*bare)
            out.one.add(one.wall_seconds, one.loop_seconds)
            out.generator += one.generator_seconds
            out.ratios.append(bare[1] / one.loop_seconds)
            out.jets += one.n_jets
            out.direct += one.direct_events
            two = generate.simulate(
                process, 2 * per_round, Path(folder) / f"two{r}.root", seed=run_seed, jobs=2
            )
            out.two.add(two.wall_seconds, two.loop_seconds)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2400)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--process", default="qcd", choices=sorted(settings.PROCESSES))
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    m = interleaved(args.process, args.events, args.rounds, args.seed)
    n = m.events
    print(
        f"process {args.process}, {n} events in {args.rounds} alternating rounds, "
        f"pT-hat > {settings.DEFAULT_PT_HAT_MIN:g} GeV"
    )
    print(f"bare Pythia next() loop              {n / m.bare.loop:8.1f} events/s")
    print(
        f"jetvision simulate, 1 job (loop)     {n / m.one.loop:8.1f} events/s "
        f"= {m.bare.loop / m.one.loop:.1%} of bare (target >= 85%)"
    )
    print(
        f"  per round: {min(m.ratios):.1%} to {max(m.ratios):.1%}, "
        f"median {statistics.median(m.ratios):.1%}"
    )
    print(
        f"  inside the pipeline, Pythia's next() takes {m.generator / m.one.loop:.1%} of the "
        f"loop and runs {m.generator / m.bare.loop - 1:+.1%} against bare"
    )
    print(f"bare Pythia with initialization      {n / m.bare.total:8.1f} events/s")
    print(
        f"jetvision simulate, 1 job, whole run {n / m.one.total:8.1f} events/s "
        f"= {m.bare.total / m.one.total:.1%} of bare (target >= 85%)"
    )
    print(
        f"jetvision simulate, 2 jobs (loop)    {2 * n / m.two.loop:8.1f} events/s "
        f"= {2 * m.one.loop / m.two.loop:.2f} x one job (target >= 1.8)"
    )
    print(
        f"  whole run, with process start-up   {2 * n / m.two.total:8.1f} events/s "
        f"= {2 * m.one.total / m.two.total:.2f} x one job"
    )
    print(f"jets per second, 1 job               {m.jets / m.one.loop:8.1f}")
    print(
        f"events with jets read from Pythia's record as arrays: {m.direct} of {n} "
        "(0 means the accessor fallback ran)"
    )


if __name__ == "__main__":
    main()
