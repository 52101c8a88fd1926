"""``jetvision reproduce`` end to end at a tiny size: report, table, figures."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from jetvision.cli import main

pytest.importorskip("pythia8mc")

MODELS = ("cvn", "bcnn-paper", "bcnn", "cnn", "bdt", "cnn-5ch")


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("study") / "out"
    assert main(["-q", "reproduce", "--preset", "tiny", "-o", str(out), "--jobs", "1"]) == 0
    return out


def test_summary_holds_numbers_from_the_run(study: Path) -> None:
    summary = json.loads((study / "summary.json").read_text())
    rows = {row["model"]: row for row in summary["models"]}
    assert tuple(rows) == MODELS
    for name, row in rows.items():
        metrics = json.loads((study / "runs" / name / "metrics.json").read_text())
        assert row["auc"] == metrics["auc"]
        assert 0 <= row["auc"] <= 1
        assert row["auc_ci"][0] <= row["auc"] <= row["auc_ci"][1]
        assert 0 <= row["accuracy"] <= 1
        assert row["n_test"] == metrics["n_test"] > 0
        assert row["epochs"] >= 1
        assert row["rejection_at_eff50"] == "inf" or row["rejection_at_eff50"] >= 1
    assert rows["bcnn-paper"]["published_auc"] == 0.86
    assert rows["cvn"]["published_auc"] == 0.55
    assert rows["bcnn-paper"]["parameters"] > 1_000_000
    assert rows["cnn-5ch"]["inputs"].split(",")[-1] == "displaced"
    assert rows["cnn"]["inputs"] == "pt"


def test_report_files_and_figures(study: Path) -> None:
    markdown = (study / "report.md").read_text()
    html = (study / "report.html").read_text()
    summary = json.loads((study / "summary.json").read_text())
    for row in summary["models"]:
        assert f"| {row['model']} | " in markdown
        assert f"| {row['accuracy']:.3f} |" in markdown
        if not math.isnan(row["auc"]):
            assert f"{row['auc']:.3f}" in html
    for figure in ("roc.png", "loss_curves.png", "average_images.png"):
        assert (study / figure).stat().st_size > 5000, figure
        assert f"]({figure})" in markdown
    assert html.count("data:image/png;base64,") == 3
    assert "87.39%" in markdown
    header, rule = markdown.split("\n| model |")[1].splitlines()[:2]
    assert ("| model |" + header).count("|") == rule.count("|")


def test_existing_study_is_not_overwritten(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (study / "summary.json").read_text()
    assert main(["reproduce", "--preset", "tiny", "-o", str(study)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert (study / "summary.json").read_text() == before
