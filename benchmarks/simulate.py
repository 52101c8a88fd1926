"""Events per second of ``jetvision simulate`` next to a bare Pythia loop, in one run.

Targets (issue 2): the full pipeline keeps >= 85% of the bare Pythia rate, and two jobs
run >= 1.8 times as fast as one.

Bare Pythia (initialization, then ``next()`` alone) and the whole ``simulate`` call of
one job (initialization, generation, clustering, substructure, tracks, truth, chunk
files and the final ROOT file) run in alternating rounds on the same events, so that a
drift of the machine's speed during the run affects both alike; short rounds follow
faster drifts (with 4 rounds of 400 events, runs here spread from 75% to 89%; with 8
rounds of 300, from 86% to 89%). Two ratios are printed: the event loops alone, and
end to end, where both sides include Pythia's initialization and the pipeline its
writing.

    python benchmarks/simulate.py [--events 2400] [--rounds 8] [--process qcd]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from jetvision.simulate import generate, settings


@dataclass
class Seconds:
    """Time of initialization plus event loop, and of the event loop alone."""

    total: float = 0.0
    loop: float = 0.0


def bare_seconds(process: str, n_events: int, run_seed: int) -> Seconds:
    """Pythia alone for ``n_events`` events, seeded as ``simulate(seed=run_seed)`` is."""
    ((pythia_seed, _),) = settings.job_seeds(run_seed, 1)
    start = time.perf_counter()
    pythia = generate.make_pythia(process, pythia_seed, settings.DEFAULT_PT_HAT_MIN)
    loop_start = time.perf_counter()
    done = 0
    while done < n_events:
        done += bool(pythia.next())  # type: ignore[attr-defined]
    end = time.perf_counter()
    return Seconds(end - start, end - loop_start)


def interleaved(
    process: str, n_events: int, rounds: int, seed: int
) -> tuple[Seconds, Seconds, int]:
    """Seconds of bare Pythia and of one-job ``simulate`` on the same events, alternating.

    Also returns in how many events the pipeline read Pythia's record as arrays.
    """
    per_round = n_events // rounds
    bare, pipeline = Seconds(), Seconds()
    direct = 0
    with tempfile.TemporaryDirectory() as folder:
        for r in range(rounds):
            run_seed = 1000 * seed + r
            alone = bare_seconds(process, per_round, run_seed)
            bare.total += alone.total
            bare.loop += alone.loop
            job = generate.simulate(
                process, per_round, Path(folder) / f"round{r}.root", seed=run_seed
            )
            pipeline.total += job.wall_seconds
            pipeline.loop += job.loop_seconds
            direct += job.direct_events
    return bare, pipeline, direct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2400)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--process", default="qcd", choices=sorted(settings.PROCESSES))
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    bare, pipeline, direct = interleaved(args.process, args.events, args.rounds, args.seed)
    n = args.rounds * (args.events // args.rounds)
    with tempfile.TemporaryDirectory() as folder:
        one = generate.simulate(
            args.process, args.events, Path(folder) / "one.root", seed=args.seed, jobs=1
        )
        two = generate.simulate(
            args.process, 2 * args.events, Path(folder) / "two.root", seed=args.seed, jobs=2
        )

    print(
        f"process {args.process}, {n} events in {args.rounds} alternating rounds, "
        f"pT-hat > {settings.DEFAULT_PT_HAT_MIN:g} GeV"
    )
    print(f"bare Pythia next() loop             {n / bare.loop:8.1f} events/s")
    print(
        f"jetvision simulate, 1 job (loop)    {n / pipeline.loop:8.1f} events/s "
        f"= {bare.loop / pipeline.loop:.1%} of bare (target >= 85%)"
    )
    print(f"bare Pythia with initialization     {n / bare.total:8.1f} events/s")
    print(
        f"jetvision simulate, 1 job, all of it{n / pipeline.total:8.1f} events/s "
        f"= {bare.total / pipeline.total:.1%} of bare (target >= 85%)"
    )
    loop_one = one.n_events / one.loop_seconds
    print(
        f"jetvision simulate, 2 jobs (loop)   {two.n_events / two.loop_seconds:8.1f} events/s "
        f"= {two.n_events / two.loop_seconds / loop_one:.2f} x one job (target >= 1.8)"
    )
    print(
        f"  end to end                        {two.n_events / two.wall_seconds:8.1f} events/s "
        f"= {two.n_events / two.wall_seconds / (one.n_events / one.wall_seconds):.2f} x one job"
    )
    print(f"jets per second, 1 job              {one.n_jets / one.loop_seconds:8.1f}")
    print(
        f"events with jets read from Pythia's record as arrays: {direct} of {n} "
        "(0 means the accessor fallback ran)"
    )


if __name__ == "__main__":
    main()
