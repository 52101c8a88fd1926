"""The whole study in one call (``jetvision reproduce``), and evaluation of one run.

``reproduce`` simulates H->bb and QCD jets (or reads given ntuples), builds balanced jet
images, trains ``cvn``, ``bcnn-paper``, ``bcnn``, ``cnn`` and ``bdt`` on the same
split, evaluates them all on the same test jets, and writes ``report.md``, a
self-contained ``report.html`` (figures embedded) and ``summary.json``.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from jetvision import __version__
from jetvision._io import write_text_atomic
from jetvision.errors import ConfigError, JetvisionError
from jetvision.evaluate import metrics, plots
from jetvision.train import predict, read_history, read_run_config
from jetvision.train.trainer import HISTORY_FILE

logger = logging.getLogger(__name__)

METRICS_FILE = "metrics.json"
PUBLISHED = {
    "bcnn-paper": {"accuracy": 0.8739, "auc": 0.86},
    "cvn": {"accuracy": None, "auc": 0.55},
}


def _json_value(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else "inf"
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def write_json(path: Path, payload: object) -> None:
    write_text_atomic(path, json.dumps(_json_value(payload), indent=2))


def evaluate_run(
    run_dir: str | os.PathLike[str],
    data: str | os.PathLike[str],
    split: str = "test",
    *,
    n_boot: int = 1000,
) -> dict[str, object]:
    """Score ``split`` with a trained run; write metrics.json and the plots into the run."""
    run = Path(run_dir)
    read_run_config(run)
    test = predict(run, data, split)
    try:
        val = predict(run, data, "validation")
        val_labels, val_scores = val.labels, val.scores
    except JetvisionError:
        val_labels = val_scores = None
        logger.warning("no validation split: accuracy_tuned uses the threshold 0.5")
    fj_label = test.features.get("fj_label")
    result = metrics.summary(
        test.labels,
        test.scores,
        val_labels=val_labels,
        val_scores=val_scores,
        fj_label=fj_label,
        n_boot=n_boot,
    )
    result["split"] = split
    write_json(run / METRICS_FILE, result)
    plots.roc({run.name: (test.labels, test.scores)}, run / "roc.png")
    plots.score_distributions(test.labels, test.scores, run / "scores.png")
    plots.confusion(
        test.labels, test.scores, float(result["threshold_tuned"]), run / "confusion.png"
    )
    if "fj_sdmass" in test.features:
        plots.mass_sculpting(
            test.labels, test.scores, test.features["fj_sdmass"], run / "mass_sculpting.png"
        )
    np.savez(run / f"scores_{split}.npz", scores=test.scores, labels=test.labels)
    return result


# ------------------------------------------------------------------ the study


@dataclass
class StudyPreset:
    """Sizes and training settings of one way to run the study."""

    hbb_events: int
    qcd_events: int
    max_jets: int | None
    split: tuple[float, float, float]
    training: dict[str, dict[str, object]] = field(default_factory=dict)


MODELS = ("cvn", "bcnn-paper", "bcnn", "cnn", "bdt")
# Beyond the published study: the same jets as images with every channel jetvision
# builds, among them the displaced-track channel that carries b-tagging information.
MULTICHANNEL = "pt,charged_pt,neutral_pt,track_count,displaced"

STUDY_PRESETS: dict[str, StudyPreset] = {
    # Under 10 minutes on 2 CPU cores: about 2,000 balanced jets, few epochs.
    "demo": StudyPreset(
        hbb_events=1600,
        qcd_events=2400,
        max_jets=2000,
        split=(0.7, 0.1, 0.2),
        training={  # bf16 autocast: 1.3 to 1.5 times faster training on CPUs with bf16
            "cvn": {"preset": "cvn-paper", "epochs": 8, "bf16": True},
            "bcnn-paper": {"preset": "bcnn-paper", "epochs": 6, "bf16": True},
            "bcnn": {"preset": "bcnn-paper", "model": "bcnn", "epochs": 4, "bf16": True},
            "cnn": {"model": "cnn", "epochs": 12, "lr": 1e-3},
            "bdt": {"model": "bdt"},
            "cnn-5ch": {"model": "cnn", "epochs": 12, "lr": 1e-3, "channels": MULTICHANNEL},
        },
    ),
    # The published sizes: balanced, ~5,000 training and 2,500 test jets.
    "paper": StudyPreset(
        hbb_events=9000,
        qcd_events=14000,
        max_jets=9000,
        split=(5000 / 9000, 1500 / 9000, 2500 / 9000),
        training={
            "cvn": {"preset": "cvn-paper"},
            "bcnn-paper": {"preset": "bcnn-paper"},
            "bcnn": {"preset": "bcnn-paper", "model": "bcnn"},
            "cnn": {"model": "cnn", "epochs": 40, "lr": 1e-3, "patience": 8},
            "bdt": {"model": "bdt"},
            "cnn-5ch": {
                "model": "cnn",
                "epochs": 40,
                "lr": 1e-3,
                "patience": 8,
                "channels": MULTICHANNEL,
            },
            "bcnn-5ch": {"preset": "bcnn-paper", "model": "bcnn", "channels": MULTICHANNEL},
        },
    ),
    # For tests: seconds, not minutes.
    "tiny": StudyPreset(
        hbb_events=120,
        qcd_events=200,
        max_jets=120,
        split=(0.6, 0.15, 0.25),
        training={
            "cvn": {"preset": "cvn-paper", "epochs": 1},
            "bcnn-paper": {"preset": "bcnn-paper", "epochs": 1},
            "bcnn": {"preset": "bcnn-paper", "model": "bcnn", "epochs": 1},
            "cnn": {"model": "cnn", "epochs": 2},
            "bdt": {"model": "bdt"},
            "cnn-5ch": {"model": "cnn", "epochs": 1, "channels": MULTICHANNEL},
        },
    ),
}


def study_rows(out: Path, study: StudyPreset) -> list[dict[str, object]]:
    """The summary table: one row per run, from each run folder."""
    rows = []
    for name, options in study.training.items():
        run = out / "runs" / name
        result = json.loads((run / METRICS_FILE).read_text())
        config = read_run_config(run)
        history = read_history(run / HISTORY_FILE)
        rows.append(
            {
                "model": name,
                "inputs": "jet features"
                if config["model"] == "bdt"
                else str(options.get("channels", "pt")),
                "accuracy": result["accuracy"],
                "accuracy_tuned": result["accuracy_tuned"],
                "auc": result["auc"],
                "auc_ci": result["auc_ci"],
                "rejection_at_eff30": result["rejection_at_eff30"],
                "rejection_at_eff50": result["rejection_at_eff50"],
                "epochs": (
                    int(config.get("boosting_iterations", 0))
                    if config["model"] == "bdt"
                    else len(history)
                ),
                "training_seconds": sum(r["seconds"] for r in history),
                "parameters": int(config.get("parameters", 0)),
                "n_test": result["n_test"],
                "published_accuracy": PUBLISHED.get(name, {}).get("accuracy"),
                "published_auc": PUBLISHED.get(name, {}).get("auc"),
            }
        )
    return rows


def check_study(preset: str) -> StudyPreset:
    if preset not in STUDY_PRESETS:
        raise ConfigError(f"unknown study preset {preset!r}; available: {', '.join(STUDY_PRESETS)}")
    return STUDY_PRESETS[preset]


def _fmt(value: object, digits: int = 3) -> str:
    if value is None:
        return "-"
    if value == "inf" or (isinstance(value, float) and math.isinf(value)):
        return "inf"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table_markdown(rows: list[dict[str, object]]) -> str:
    head = (
        "| model | inputs | accuracy | tuned accuracy | AUC [95% CI] | 1/eps_B @ eps_S=30% "
        "| 1/eps_B @ eps_S=50% | epochs | training time | parameters "
        "| published accuracy | published AUC |"
    )
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        ci = r["auc_ci"]
        lines.append(
            f"| {r['model']} | {str(r['inputs']).replace(',', ', ')} | {_fmt(r['accuracy'])} "
            f"| {_fmt(r['accuracy_tuned'])} "
            f"| {_fmt(r['auc'])} [{_fmt(ci[0])}, {_fmt(ci[1])}] "
            f"| {_fmt(r['rejection_at_eff30'], 1)} | {_fmt(r['rejection_at_eff50'], 1)} "
            f"| {r['epochs']} | {_fmt(r['training_seconds'], 0)} s | {r['parameters']:,} "
            f"| {_fmt(r['published_accuracy'], 4)} | {_fmt(r['published_auc'], 2)} |"
        )
    return "\n".join(lines)


FIGURES = (
    ("roc.png", "ROC curves of every model on the same test jets"),
    ("loss_curves.png", "Training and validation loss and AUC per epoch"),
    ("average_images.png", "Average jet image of each class"),
)


def write_report(out: Path, rows: list[dict[str, object]], context: dict[str, object]) -> None:
    """report.md, self-contained report.html, summary.json."""
    write_json(out / "summary.json", {"models": rows, **context})
    md = [
        "# jetvision: CNNs on jet images, H->bb versus QCD",
        "",
        f"jetvision {__version__}, study preset `{context['preset']}`, data: {context['data']}.",
        f"Test jets: {rows[0]['n_test']} (balanced classes), the same for every model. "
        "Accuracy uses the threshold 0.5; tuned accuracy the threshold that maximizes "
        "accuracy on the validation split. Rejection is 1 / background efficiency at the "
        "working point with 30% or 50% signal efficiency.",
        "",
        table_markdown(rows),
        "",
        "Published figures (2,500 test jets from the CMS Open Data Hbb sample): B-CNN "
        "87.39% accuracy and AUC 0.86; the CVN predicted one class for every jet "
        "(AUC 0.55).",
        "",
    ]
    for name, caption in FIGURES:
        md += [f"## {caption}", "", f"![{caption}]({name})", ""]
    dropped = context.get("dropped")
    if dropped:
        md += [
            "## Jets dropped while building images",
            "",
            *[f"- {k}: {v}" for k, v in dropped.items()],
            "",
        ]
    text = "\n".join(md)
    write_text_atomic(out / "report.md", text)
    write_text_atomic(out / "report.html", _html(out, text))


def _html(out: Path, markdown: str) -> str:
    """A minimal Markdown-to-HTML rendering with every figure embedded as base64."""
    body, table = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            if set(line.replace("|", "").strip()) <= {"-"}:
                continue
            cells = [c.strip() for c in line.strip("|").split("|")]
            tag = "th" if not table else "td"
            table.append("<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>")
            continue
        if table:
            body.append("<table>" + "".join(table) + "</table>")
            table = []
        if line.startswith("!["):
            name = line[line.index("(") + 1 : -1]
            data = base64.b64encode((out / name).read_bytes()).decode()
            body.append(f'<img alt="{name}" src="data:image/png;base64,{data}">')
        elif line.startswith("## "):
            body.append(f"<h2>{line[3:]}</h2>")
        elif line.startswith("# "):
            body.append(f"<h1>{line[2:]}</h1>")
        elif line.startswith("- "):
            body.append(f"<li>{line[2:]}</li>")
        elif line:
            body.append(f"<p>{line}</p>")
    if table:
        body.append("<table>" + "".join(table) + "</table>")
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px}"
        "img{max-width:100%}"
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>jetvision report"
        f"</title><style>{style}</style></head><body>{''.join(body)}</body></html>"
    )


class StudyHooks:
    """Progress hooks of ``reproduce``; the command line shows bars through them."""

    def simulate_progress(self, process: str, n_events: int) -> Callable[[int, int], None] | None:
        return None

    def images_progress(self, n_jets: int) -> Callable[[int], None] | None:
        return None

    def train_callbacks(self, model: str) -> object | None:
        return None

    def finish(self) -> None:
        """Called after each stage."""


def _prepare_output(out: Path, overwrite: bool) -> None:
    from jetvision.errors import OutputExistsError  # noqa: PLC0415

    if out.exists() and any(out.iterdir()) and not overwrite:
        raise OutputExistsError(
            f"output folder {str(out)!r} is not empty; pass --overwrite to replace the study in it"
        )
    out.mkdir(parents=True, exist_ok=True)
    import shutil  # noqa: PLC0415

    for name in ("runs", "ntuples"):
        if (out / name).is_dir():
            shutil.rmtree(out / name)


def _simulate(out: Path, study: StudyPreset, seed: int, jobs: int, hooks: StudyHooks) -> list[str]:
    from jetvision.simulate import simulate  # noqa: PLC0415

    (out / "ntuples").mkdir()
    paths = []
    for k, (process, n) in enumerate((("hbb", study.hbb_events), ("qcd", study.qcd_events))):
        logger.info("simulating %d %s events", n, process)
        result = simulate(
            process,
            n,
            out / "ntuples" / f"{process}.root",
            seed=seed + k,
            jobs=min(jobs, n),
            progress=hooks.simulate_progress(process, n),
        )
        hooks.finish()
        paths.append(str(result.path))
    return paths


def _build_stores(
    out: Path, data: list[str], study: StudyPreset, seed: int, hooks: StudyHooks
) -> tuple[dict[str, Path], object]:
    """One image file per channel list the runs ask for: the same jets and split in each."""
    from jetvision.images import ImageConfig, build, parse_channels  # noqa: PLC0415
    from jetvision.images.plots import save_store_averages  # noqa: PLC0415
    from jetvision.ntuple import count_entries  # noqa: PLC0415

    stores: dict[str, Path] = {}
    first = None
    for channels in dict.fromkeys(str(o.get("channels", "pt")) for o in study.training.values()):
        path = out / ("images.h5" if channels == "pt" else f"images_{len(stores)}.h5")
        config = ImageConfig(
            channels=parse_channels(channels),
            balance=True,
            max_jets=study.max_jets,
            split=study.split,
            seed=seed,
        )
        logger.info("building jet images (%s)", channels)
        result = build(
            data,
            path,
            config,
            overwrite=True,
            progress=hooks.images_progress(2 * count_entries(data)),
        )
        hooks.finish()
        first = first or result
        stores[channels] = path
        if channels == "pt":
            save_store_averages(path, out / "average_images.png")
    return stores, first


def _train_runs(
    out: Path, study: StudyPreset, stores: dict[str, Path], seed: int, hooks: StudyHooks
) -> tuple[dict[str, list], dict[str, tuple]]:
    """Train and evaluate every run; return the neural histories and the test scores."""
    from jetvision.train import Trainer, resolve, train_bdt  # noqa: PLC0415

    histories, curves = {}, {}
    for name, study_options in study.training.items():
        run = out / "runs" / name
        options = dict(study_options)
        train_preset = options.pop("preset", None)
        images_path = stores[str(options.pop("channels", "pt"))]
        options.setdefault("model", name)
        config = resolve(preset=train_preset, overrides={**options, "seed": seed})
        logger.info("training %s", name)
        if config.model == "bdt":
            train_bdt(config, images_path, run)
        else:
            trained = Trainer(config, run, hooks.train_callbacks(name)).fit(images_path)
            histories[name] = trained.history
            plots.training_curves({name: trained.history}, run / "curves.png")
        hooks.finish()
        evaluate_run(run, images_path)
        with np.load(run / "scores_test.npz") as saved:
            curves[name] = (saved["labels"], saved["scores"])
    return histories, curves


def reproduce(
    out_dir: str | os.PathLike[str],
    *,
    preset: str = "demo",
    data: list[str] | None = None,
    seed: int = 1,
    jobs: int = 2,
    overwrite: bool = False,
    hooks: StudyHooks | None = None,
) -> list[dict[str, object]]:
    """Run the whole study into ``out_dir`` and return the summary table."""
    from jetvision.ntuple import count_entries  # noqa: PLC0415

    study = check_study(preset)
    hooks = hooks or StudyHooks()
    out = Path(out_dir)
    if data:
        count_entries(data)  # fail on a bad input before anything is written
    _prepare_output(out, overwrite)
    data = data or _simulate(out, study, seed, jobs, hooks)

    stores, built = _build_stores(out, data, study, seed, hooks)
    histories, curves = _train_runs(out, study, stores, seed, hooks)
    plots.roc(curves, out / "roc.png")
    plots.training_curves(histories, out / "loss_curves.png")
    rows = study_rows(out, study)
    write_report(
        out,
        rows,
        {
            "preset": preset,
            "seed": seed,
            "data": ", ".join(Path(d).name for d in data),
            "n_jets": built.n_jets,  # type: ignore[attr-defined]
            "dropped": built.dropped,
        },
    )  # type: ignore[attr-defined]
    return rows
