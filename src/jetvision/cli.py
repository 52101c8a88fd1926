"""The ``jetvision`` command line: one subcommand per pipeline stage.

This is the only module that configures logging, shows progress bars, and turns errors
into a one-line message and a non-zero exit status (``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
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
    start = time.perf_counter()

    def progress(events: int, jets: int) -> None:
        jets_seen[0] += jets
        update(events)
        rate = jets_seen[0] / max(time.perf_counter() - start, 1e-9)
        bar.set_postfix(jets=jets_seen[0], jets_per_s=f"{rate:.0f}", refresh=False)  # type: ignore[attr-defined]

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


# ---------------------------------------------------------------- images


def _add_images(sub: argparse._SubParsersAction) -> None:
    from jetvision.images.channels import CHANNELS  # noqa: PLC0415

    p = sub.add_parser(
        "images",
        help="build preprocessed jet images (HDF5) from Hbb ntuples, or inspect a file",
        description="Read Hbb ntuples (jetvision simulate or the public CMS files), select "
        "and label jets (H->bb = 1, QCD = 0), and write preprocessed jet images to HDF5. "
        "With --inspect, describe an image file instead.",
    )
    p.add_argument("inputs", nargs="*", metavar="INPUT.root", help="Hbb ntuple files")
    p.add_argument("-o", "--output", help="output HDF5 file")
    p.add_argument("--size", type=int, default=32, help="pixels per side (default 32)")
    p.add_argument(
        "--extent",
        type=float,
        default=0.8,
        help="the grid spans +-EXTENT in eta_rel and phi_rel (default 0.8)",
    )
    p.add_argument(
        "--channels",
        default="pt",
        help=f"comma-separated channels from {', '.join(CHANNELS)} (default pt)",
    )
    p.add_argument(
        "--preprocess",
        default="translate,rotate,flip,normalize",
        help="steps to apply, from translate, rotate, flip, normalize, or 'none' (default: all)",
    )
    p.add_argument(
        "--axes",
        choices=("centroid", "subjet"),
        default="centroid",
        help="centre and orientation from the pT centroid and principal axis, "
        "or from the two leading subjets (default centroid)",
    )
    p.add_argument(
        "--selection",
        choices=("standard", "none"),
        default="standard",
        help="standard: 300 < pT < 2000 GeV and 40 < m_SD < 200 GeV (default)",
    )
    p.add_argument(
        "--balance",
        action="store_true",
        help="downsample the larger class to the size of the smaller",
    )
    p.add_argument("--max-jets", type=int, help="write at most this many jets")
    p.add_argument(
        "--split",
        default="0.7,0.1,0.2",
        help="train,validation,test fractions (default 0.7,0.1,0.2)",
    )
    p.add_argument("--seed", type=int, default=1, help="seed of balancing and splitting")
    p.add_argument("--overwrite", action="store_true", help="replace an existing output")
    p.add_argument("--inspect", metavar="FILE.h5", help="describe an image file and exit")
    p.add_argument(
        "--average-image",
        metavar="FILE.png",
        help="save the average image of each class and channel (of the output, "
        "or of the --inspect file)",
    )
    p.set_defaults(func=_run_images)


def _run_images(args: argparse.Namespace) -> None:
    from jetvision import images  # noqa: PLC0415
    from jetvision.images.preprocess import parse_steps  # noqa: PLC0415
    from jetvision.ntuple import Selection, count_entries  # noqa: PLC0415

    if args.inspect:
        for line in images.inspect(args.inspect).lines():
            print(line)
        _average_image(args.inspect, args.average_image)
        return
    if not args.inputs or not args.output:
        raise JetvisionError("give INPUT.root files and -o OUT.h5 (or --inspect FILE.h5)")
    config = images.ImageConfig(
        channels=images.parse_channels(args.channels),
        size=args.size,
        extent=args.extent,
        steps=parse_steps(args.preprocess),
        axes=args.axes,
        selection=Selection.named(args.selection),
        balance=args.balance,
        max_jets=args.max_jets,
        split=images.parse_split(args.split),
        seed=args.seed,
    )
    config.check()
    total = count_entries(args.inputs)
    update, bar = _progress_bar(2 * total, "jet", "images (2 passes)")
    try:
        result = images.build(
            args.inputs, args.output, config, overwrite=args.overwrite, progress=update
        )
    finally:
        bar.close()  # type: ignore[attr-defined]
    logger.info(
        "%s: %d jets (%d H->bb, %d QCD)",
        result.path,
        result.n_jets,
        result.n_signal,
        result.n_jets - result.n_signal,
    )
    _average_image(result.path, args.average_image)


def _average_image(path: str, picture: str | None) -> None:
    if not picture:
        return
    from jetvision.images.plots import save_store_averages  # noqa: PLC0415

    save_store_averages(path, picture)
    logger.info("average images: %s", picture)


# ---------------------------------------------------------------- models


def _add_models(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "models",
        help="list the registered models",
        description="List every registered model with its parameter count "
        "for 1 x 32 x 32 images and two classes.",
    )
    p.add_argument("--list", action="store_true", help="list the models (the default)")
    p.set_defaults(func=_run_models)


def _run_models(args: argparse.Namespace) -> None:
    del args
    from jetvision.models import available, create_model, parameter_count, spec  # noqa: PLC0415

    print(f"{'model':<12} {'parameters':>12}  description")
    for name in available():
        model = create_model(name, in_channels=1, num_classes=2)
        count = f"{parameter_count(model):,}" if spec(name).neural else "-"
        print(f"{name:<12} {count:>12}  {spec(name).summary}")


# ---------------------------------------------------------------- train


class _TrainBars:
    """Training callbacks that draw one progress bar per epoch."""

    def __init__(self, label: str = "train") -> None:
        self.label = label
        self.bar: object | None = None

    def epoch_start(self, epoch: int, epochs: int, n_images: int) -> None:
        self.update, self.bar = _progress_bar(
            n_images, "img", f"{self.label} epoch {epoch}/{epochs}"
        )

    def batch_end(self, n_images: int, loss: float) -> None:
        self.update(n_images)
        self.bar.set_postfix(loss=f"{loss:.4f}", refresh=False)  # type: ignore[union-attr]

    def epoch_end(self, row: dict[str, float]) -> None:
        del row
        self.bar.close()  # type: ignore[union-attr]


def _add_train(sub: argparse._SubParsersAction) -> None:
    from jetvision.train.config import DEVICES, LOSSES, OPTIMIZERS, PRESETS  # noqa: PLC0415

    p = sub.add_parser(
        "train",
        help="train a registered model on an image file",
        description="Train a model on the train split, validating every epoch. Options "
        "override the preset, which overrides the config file. Under torchrun the "
        "processes train with DistributedDataParallel.",
    )
    p.add_argument("--data", required=True, help="image file from jetvision images")
    p.add_argument(
        "--model", help="registered model name, see jetvision models (default cnn, or the preset's)"
    )
    p.add_argument("-o", "--output", required=True, metavar="RUN_DIR", help="run folder")
    p.add_argument("--config", help="YAML file of training options")
    p.add_argument("--preset", choices=sorted(PRESETS), help="published training settings")
    p.add_argument("--epochs", type=int, help="number of epochs")
    p.add_argument("--batch-size", type=int, help="images per step")
    p.add_argument("--optimizer", choices=OPTIMIZERS)
    p.add_argument("--lr", type=float, help="learning rate")
    p.add_argument("--momentum", type=float, help="SGD momentum")
    p.add_argument("--weight-decay", type=float, help="L2 weight decay")
    p.add_argument("--loss", choices=LOSSES, help="nll for models that output log-probabilities")
    p.add_argument(
        "--patience",
        type=int,
        help="early stopping after this many epochs without a better validation loss",
    )
    p.add_argument("--seed", type=int, help="seed of initialization and data order")
    p.add_argument("--device", choices=DEVICES, help="auto: CUDA when present, else CPU")
    p.add_argument(
        "--channels-last",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="channels-last memory format (default on)",
    )
    p.add_argument(
        "--bf16",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="bfloat16 autocast of the forward pass (default off)",
    )
    p.add_argument(
        "--resume", action="store_true", help="continue the run in RUN_DIR from its last.pt"
    )
    p.add_argument("--overwrite", action="store_true", help="replace a run in RUN_DIR")
    p.set_defaults(func=_run_train)


_TRAIN_OPTIONS = (
    "model",
    "epochs",
    "batch_size",
    "optimizer",
    "lr",
    "momentum",
    "weight_decay",
    "loss",
    "patience",
    "seed",
    "device",
    "channels_last",
    "bf16",
)


def _run_train(args: argparse.Namespace) -> None:
    from pathlib import Path  # noqa: PLC0415

    from jetvision.errors import OutputExistsError  # noqa: PLC0415
    from jetvision.evaluate import plots  # noqa: PLC0415
    from jetvision.images import open_store  # noqa: PLC0415
    from jetvision.train import Trainer, read_run_config, resolve, train_bdt  # noqa: PLC0415

    open_store(args.data).close()
    run = Path(args.output)
    base = read_run_config(run) if args.resume else None
    if not args.resume and run.exists() and any(run.iterdir()) and not args.overwrite:
        raise OutputExistsError(
            f"run folder {str(run)!r} is not empty; pass --resume to "
            "continue it or --overwrite to replace it"
        )
    overrides = {k: getattr(args, k) for k in _TRAIN_OPTIONS}
    config = resolve(config_file=args.config, preset=args.preset, overrides=overrides, base=base)
    from jetvision.models import spec  # noqa: PLC0415

    if not spec(config.model).neural:
        result = train_bdt(config, args.data, run)
    else:
        result = Trainer(config, run, _TrainBars(config.model)).fit(args.data, resume=args.resume)
        plots.training_curves({config.model: result.history}, run / "curves.png")
    logger.info(
        "%s: %d epochs in %.0f s, best epoch %d",
        run,
        len(result.history),
        result.seconds,
        result.best_epoch,
    )


# ---------------------------------------------------------------- evaluate


def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evaluate",
        help="measure a trained run: AUC, accuracy, background rejection, plots",
        description="Score one split with a trained run and write metrics.json and plots "
        "(ROC, score distributions, confusion matrix, mass sculpting) into the run folder.",
    )
    p.add_argument("run", metavar="RUN_DIR", help="run folder from jetvision train")
    p.add_argument("--data", required=True, help="image file")
    p.add_argument("--split", default="test", choices=("train", "validation", "test"))
    p.add_argument("--bootstrap", type=int, default=1000, help="resamples of the AUC interval")
    p.set_defaults(func=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> None:
    from jetvision.report import evaluate_run  # noqa: PLC0415

    result = evaluate_run(args.run, args.data, args.split, n_boot=args.bootstrap)
    low, high = result["auc_ci"]  # type: ignore[misc]
    print(
        f"AUC {result['auc']:.4f} [{low:.4f}, {high:.4f}]  accuracy {result['accuracy']:.4f}"
        f"  tuned {result['accuracy_tuned']:.4f}  1/eps_B at 30%: "
        f"{result['rejection_at_eff30']:.1f}, at 50%: {result['rejection_at_eff50']:.1f}"
        f"  ({result['n_test']} jets)"
    )


# ---------------------------------------------------------------- reproduce


class _StudyBars:
    """Progress bars for every stage of the study."""

    def __init__(self) -> None:
        self.bar: object | None = None

    def simulate_progress(self, process: str, n_events: int) -> Callable[[int, int], None]:
        update, self.bar = _progress_bar(n_events, "ev", f"simulate {process}")
        return lambda events, _jets: update(events)

    def images_progress(self, n_jets: int) -> Callable[[int], None]:
        update, self.bar = _progress_bar(n_jets, "jet", "images")
        return update

    def train_callbacks(self, model: str) -> _TrainBars:
        return _TrainBars(model)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()  # type: ignore[attr-defined]
            self.bar = None


def _add_reproduce(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reproduce",
        help="the whole study: simulate, images, train all models, report",
        description="Simulate jets (or read --data ntuples), build balanced images, train "
        "cvn, bcnn-paper, bcnn, cnn and bdt on the same split, evaluate them on the same "
        "test jets and write report.md, report.html and summary.json.",
    )
    p.add_argument(
        "--preset",
        default="demo",
        choices=("demo", "paper", "tiny"),
        help="demo: under 10 minutes on 2 cores; paper: the published sizes and "
        "training settings; tiny: seconds, for tests",
    )
    p.add_argument(
        "--data", nargs="+", metavar="NTUPLE.root", help="Hbb ntuples to use instead of simulating"
    )
    p.add_argument("-o", "--output", required=True, metavar="OUT_DIR")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--jobs", type=int, default=2, help="simulation processes (default 2)")
    p.add_argument("--overwrite", action="store_true", help="replace a study in OUT_DIR")
    p.set_defaults(func=_run_reproduce)


def _run_reproduce(args: argparse.Namespace) -> None:
    from jetvision.report import reproduce, table_markdown  # noqa: PLC0415

    hooks = _StudyBars()
    try:
        rows = reproduce(
            args.output,
            preset=args.preset,
            data=args.data,
            seed=args.seed,
            jobs=args.jobs,
            overwrite=args.overwrite,
            hooks=hooks,
        )  # type: ignore[arg-type]
    finally:
        hooks.finish()
    print(table_markdown(rows))
    print(f"\nreport: {args.output}/report.md and report.html")


# ---------------------------------------------------------------- entry point

_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    _add_simulate,
    _add_images,
    _add_models,
    _add_train,
    _add_evaluate,
    _add_reproduce,
]


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
    except (JetvisionError, ValueError, OSError) as exc:
        if args.debug:
            raise
        message = " ".join(str(exc).split())  # one line, whatever the library said
        print(f"jetvision {args.command}: error: {message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"jetvision {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0
