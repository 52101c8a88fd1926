"""The ``jetvision`` command line: one subcommand per pipeline stage.

This is the only module that configures logging, shows progress bars, and turns errors
into a one-line message and a non-zero exit status (``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from jetvision import __version__
from jetvision.errors import JetvisionError

logger = logging.getLogger("jetvision")

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


def _progress_bar(total: int, unit: str, desc: str) -> tuple[Callable[..., None], object]:
    """A tqdm bar on standard error and an update callback (silent when not a terminal)."""
    from tqdm import tqdm  # noqa: PLC0415

    bar = tqdm(
        total=total,
        unit=unit,
        desc=desc,
        dynamic_ncols=True,
        leave=False,
        disable=None,
        file=sys.stderr,
    )
    return bar.update, bar


# ---------------------------------------------------------------- simulate


def _add_simulate(sub: argparse._SubParsersAction) -> None:
    from jetvision.simulate.settings import DEFAULT_PT_HAT_MIN, PROCESSES  # noqa: PLC0415

    p = sub.add_parser(
        "simulate",
        help="generate H->bb or QCD jets with Pythia 8 into a Hbb ntuple (ROOT)",
        description="Generate pp collisions at 13 TeV with Pythia 8, cluster anti-kT R=0.8 "
        "jets (pT > 200 GeV, |eta| < 2.4) and write them in the CMS Hbb ntuple format.",
    )
    p.add_argument(
        "--process",
        required=True,
        choices=sorted(PROCESSES),
        help="hbb: Z(->nu nu) H(->b bbar); qcd: QCD 2->2 multijet",
    )
    p.add_argument("--events", type=int, required=True, help="number of events to generate")
    p.add_argument(
        "--seed",
        type=int,
        default=1,
        help="run seed (default 1); each job derives its own seeds from it",
    )
    p.add_argument("--jobs", type=int, default=1, help="parallel processes (default 1)")
    p.add_argument(
        "--pt-hat-min",
        type=float,
        default=DEFAULT_PT_HAT_MIN,
        help=f"minimum pT of the hard process in GeV (default {DEFAULT_PT_HAT_MIN:g})",
    )
    p.add_argument("-o", "--output", required=True, help="output ROOT file")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output")
    p.set_defaults(func=_run_simulate)


def _run_simulate(args: argparse.Namespace) -> None:
    from jetvision.simulate import check_options, simulate  # noqa: PLC0415

    check_options(args.process, args.events, args.jobs, args.pt_hat_min)
    update, bar = _progress_bar(args.events, "ev", f"simulate {args.process}")
    jets_seen = [0]

    def progress(events: int, jets: int) -> None:
        jets_seen[0] += jets
        update(events)
        bar.set_postfix(jets=jets_seen[0], refresh=False)  # type: ignore[attr-defined]

    try:
        result = simulate(
            args.process,
            args.events,
            args.output,
            seed=args.seed,
            jobs=args.jobs,
            pt_hat_min=args.pt_hat_min,
            overwrite=args.overwrite,
            progress=progress,
        )
    finally:
        bar.close()  # type: ignore[attr-defined]
    logger.info(
        "%s: %d jets from %d events in %.1f s (%.1f events/s, %.1f jets/s)",
        result.path,
        result.n_jets,
        result.n_events,
        result.wall_seconds,
        result.n_events / result.wall_seconds,
        result.n_jets / result.wall_seconds,
    )


# ---------------------------------------------------------------- entry point

_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [_add_simulate]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jetvision",
        description="Tell boosted H->bb jets from QCD jets with CNNs on jet images.",
    )
    parser.add_argument("--version", action="version", version=f"jetvision {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in _COMMANDS:
        add(sub)
    return parser


def _configure_logging(debug: bool, quiet: bool) -> None:
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(levelname)s %(name)s: %(message)s" if debug else "%(message)s")
    )
    root = logging.getLogger("jetvision")
    root.handlers[:] = [handler]
    root.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.debug, args.quiet)
    try:
        args.func(args)
    except JetvisionError as exc:
        if args.debug:
            raise
        print(f"jetvision {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"jetvision {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0
