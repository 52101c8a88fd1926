"""DistributedDataParallel on two CPU processes under torchrun (gloo)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jetvision.train import read_history

from .store import write_store


def test_torchrun_two_processes(tmp_path: Path) -> None:
    store = write_store(tmp_path / "s.h5", n=96)
    run = tmp_path / "ddp"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    command = [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        "--nproc_per_node=2",
        "-m",
        "jetvision",
        "-q",
        "train",
        "--data",
        str(store),
        "--model",
        "cnn",
        "--epochs",
        "2",
        "-o",
        str(run),
    ]
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    history = read_history(run / "history.csv")
    assert len(history) == 2
    assert (run / "best.pt").is_file()
