"""jetvision: tell boosted H->bb jets from QCD jets by looking at them as images.

The package follows the pipeline: :mod:`jetvision.simulate` makes Hbb ntuples with
Pythia 8, :mod:`jetvision.ntuple` reads and writes them, :mod:`jetvision.images` turns
jets into preprocessed images, :mod:`jetvision.models` holds the networks,
:mod:`jetvision.train` and :mod:`jetvision.evaluate` fit and measure them, and
:mod:`jetvision.report` runs the whole study.
"""

from __future__ import annotations

__version__ = "0.1.0"
