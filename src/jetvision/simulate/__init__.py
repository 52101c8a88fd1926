"""Simulate boosted H->bb and QCD jets with Pythia 8 and write Hbb ntuples.

Pythia and FastJet are imported only when a simulation runs, so the rest of jetvision
works where they are not installed.
"""

from __future__ import annotations

from jetvision.simulate.generate import SimulationResult, check_options, simulate
from jetvision.simulate.settings import DEFAULT_PT_HAT_MIN, PROCESSES

__all__ = ["DEFAULT_PT_HAT_MIN", "PROCESSES", "SimulationResult", "check_options", "simulate"]
