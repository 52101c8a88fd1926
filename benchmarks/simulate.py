"""Events per second of ``jetvision simulate`` next to a bare Pythia loop, in one run.

Targets (issue 2): the full pipeline keeps >= 85% of the bare Pythia rate, and two jobs
run >= 1.8 times as fast as one.

    python benchmarks/simulate.py [--events 1500] [--process qcd]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from jetvision.simulate import generate, settings


def bare_rate(process: str, n_events: int, seed: int) -> float:
    """Events per second of Pythia's next() alone, same settings and seed as job 0."""
    pythia_seed, _ = settings.job_seeds(seed, 1)[0]
    pythia = generate.make_pythia(process, pythia_seed, settings.DEFAULT_PT_HAT_MIN)
    start = time.perf_counter()
    done = 0
    while done < n_events:
        done += bool(pythia.next())  # type: ignore[attr-defined]
    return n_events / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1500)
    parser.add_argument("--process", default="qcd", choices=sorted(settings.PROCESSES))
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    bare = bare_rate(args.process, args.events, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        one = generate.simulate(
            args.process, args.events, Path(folder) / "one.root", seed=args.seed, jobs=1
        )
        two = generate.simulate(
            args.process, 2 * args.events, Path(folder) / "two.root", seed=args.seed, jobs=2
        )

    loop_one = one.n_events / one.loop_seconds
    loop_two = two.n_events / two.loop_seconds
    wall_one = one.n_events / one.wall_seconds
    wall_two = two.n_events / two.wall_seconds
    print(
        f"process {args.process}, {args.events} events, pT-hat > "
        f"{settings.DEFAULT_PT_HAT_MIN:g} GeV"
    )
    print(f"bare Pythia next() loop           {bare:8.1f} events/s")
    print(
        f"jetvision simulate, 1 job (loop)  {loop_one:8.1f} events/s "
        f"= {loop_one / bare:.1%} of bare (target >= 85%)"
    )
    print(f"  share of its loop inside next() {one.generator_seconds / one.loop_seconds:8.1%}")
    print(
        f"  end to end, start-up and write  {wall_one:8.1f} events/s "
        f"= {wall_one / bare:.1%} of bare"
    )
    print(
        f"jetvision simulate, 2 jobs (loop) {loop_two:8.1f} events/s "
        f"= {loop_two / loop_one:.2f} x one job (target >= 1.8)"
    )
    print(
        f"  end to end                      {wall_two:8.1f} events/s "
        f"= {wall_two / wall_one:.2f} x one job"
    )
    print(f"jets per second, 1 job            {one.n_jets / one.loop_seconds:8.1f}")


if __name__ == "__main__":
    main()
