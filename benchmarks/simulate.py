"""Events per second of ``jetvision simulate`` next to a bare Pythia loop, in one run.

Targets (issue 2): the full pipeline keeps >= 85% of the bare Pythia rate, and two jobs
run >= 1.8 times as fast as one.

The bare loop and the pipeline's event loop (generation, clustering, substructure,
tracks, truth, chunk files) run in alternating rounds with the same seeds, so that a
drift of the machine's speed during the run affects both alike; short rounds follow
faster drifts (with 4 rounds of 400 events, runs here spread from 75% to 89%; with 8
rounds of 300, from 86% to 89%). Start-up and the final ROOT writing are shown
separately, end to end.

    python benchmarks/simulate.py [--events 2400] [--rounds 8] [--process qcd]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from jetvision.simulate import generate, settings


def bare_seconds(process: str, n_events: int, pythia_seed: int) -> float:
    """Seconds of Pythia's next() alone for ``n_events`` events (initialization excluded)."""
    pythia = generate.make_pythia(process, pythia_seed, settings.DEFAULT_PT_HAT_MIN)
    start = time.perf_counter()
    done = 0
    while done < n_events:
        done += bool(pythia.next())  # type: ignore[attr-defined]
    return time.perf_counter() - start


def interleaved(process: str, n_events: int, rounds: int, seed: int) -> tuple[float, float, int]:
    """Events per second of the bare loop and of one job's event loop, alternating.

    Also returns in how many events the pipeline read Pythia's record as arrays.
    """
    per_round = n_events // rounds
    bare = pipeline = 0.0
    direct = 0
    with tempfile.TemporaryDirectory() as folder:
        for r, seeds in enumerate(settings.job_seeds(seed, rounds)):
            bare += bare_seconds(process, per_round, seeds[0])
            job = generate.run_job(
                process,
                per_round,
                seeds,
                settings.DEFAULT_PT_HAT_MIN,
                0,
                folder,
                f"round{r}",
                lambda _e, _j: None,
            )
            pipeline += job.loop_seconds
            direct += job.direct_events
    return rounds * per_round / bare, rounds * per_round / pipeline, direct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2400)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--process", default="qcd", choices=sorted(settings.PROCESSES))
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    bare, loop_one, direct = interleaved(args.process, args.events, args.rounds, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        one = generate.simulate(
            args.process, args.events, Path(folder) / "one.root", seed=args.seed, jobs=1
        )
        two = generate.simulate(
            args.process, 2 * args.events, Path(folder) / "two.root", seed=args.seed, jobs=2
        )

    loop_two = two.n_events / two.loop_seconds
    wall_one = one.n_events / one.wall_seconds
    wall_two = two.n_events / two.wall_seconds
    print(
        f"process {args.process}, {args.events} events in {args.rounds} alternating "
        f"rounds, pT-hat > {settings.DEFAULT_PT_HAT_MIN:g} GeV"
    )
    print(f"bare Pythia next() loop           {bare:8.1f} events/s")
    print(
        f"jetvision simulate, 1 job (loop)  {loop_one:8.1f} events/s "
        f"= {loop_one / bare:.1%} of bare (target >= 85%)"
    )
    print(
        f"  end to end, start-up and write  {wall_one:8.1f} events/s "
        f"= {wall_one / bare:.1%} of bare"
    )
    print(
        f"jetvision simulate, 2 jobs (loop) {loop_two:8.1f} events/s "
        f"= {loop_two / (one.n_events / one.loop_seconds):.2f} x one job (target >= 1.8)"
    )
    print(
        f"  end to end                      {wall_two:8.1f} events/s "
        f"= {wall_two / wall_one:.2f} x one job"
    )
    print(f"jets per second, 1 job            {one.n_jets / one.loop_seconds:8.1f}")
    print(
        f"events with jets read from Pythia's record as arrays: {direct} "
        "(0 means the accessor fallback ran)"
    )


if __name__ == "__main__":
    main()
