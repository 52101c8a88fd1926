"""Shared fixtures: small simulated ntuples, made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

SIM_EVENTS = {"hbb": 250, "qcd": 400}


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small hbb and qcd ntuples from ``jetvision simulate`` (a few seconds each)."""
    pytest.importorskip("pythia8mc")
    from jetvision.simulate import simulate

    folder = tmp_path_factory.mktemp("sim")
    return {
        process: simulate(process, n, folder / f"{process}.root", seed=7).path
        for process, n in SIM_EVENTS.items()
    }
