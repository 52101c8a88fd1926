"""Image channels: which particles fill a pixel and with what weight.

Every channel is a sum over particles in the pixel; the particles are either the PF
candidates (``pfcand_*`` branches) or the charged tracks (``track_*`` branches).

| channel        | particles       | weight                                          |
| -------------- | --------------- | ----------------------------------------------- |
| ``pt``         | PF candidates   | ``pfcand_ptrel`` (the published study's image)   |
| ``charged_pt`` | charged PF cand | ``pfcand_ptrel``                                |
| ``neutral_pt`` | neutral PF cand | ``pfcand_ptrel``                                |
| ``track_count``| tracks          | 1                                               |
| ``displaced``  | tracks          | ``clip(track_dxysig, 0, 20)``: lifetime-signed   |
|                |                 | transverse impact-parameter significance; tracks |
|                |                 | from b-hadron decays light up, prompt ones ~0    |
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jetvision.errors import ConfigError

DISPLACED_SIG_MAX = 20.0


@dataclass(frozen=True)
class Channel:
    """One image channel: its particle collection, the branches it reads, its weight."""

    name: str
    collection: str  # "pfcand" or "track"
    extra_branches: tuple[str, ...]
    description: str

    def weights(self, columns: dict[str, np.ndarray]) -> np.ndarray:
        """Per-particle weights (flat) from the flat columns of its collection."""
        if self.name in ("pt", "charged_pt", "neutral_pt"):
            w = np.asarray(columns["pfcand_ptrel"], dtype=np.float64)
            if self.name == "charged_pt":
                w = w * (np.asarray(columns["pfcand_charge"]) != 0)
            elif self.name == "neutral_pt":
                w = w * (np.asarray(columns["pfcand_charge"]) == 0)
            return w
        if self.name == "track_count":
            return np.ones(len(columns["track_etarel"]))
        sig = np.asarray(columns["track_dxysig"], dtype=np.float64)
        return np.clip(sig, 0.0, DISPLACED_SIG_MAX)


CHANNELS: dict[str, Channel] = {
    c.name: c
    for c in (
        Channel("pt", "pfcand", (), "pT fraction of all PF candidates"),
        Channel("charged_pt", "pfcand", ("pfcand_charge",), "pT fraction, charged candidates"),
        Channel("neutral_pt", "pfcand", ("pfcand_charge",), "pT fraction, neutral candidates"),
        Channel("track_count", "track", (), "number of tracks"),
        Channel(
            "displaced",
            "track",
            ("track_dxysig",),
            "lifetime-signed d_xy significance of tracks, clipped to [0, 20]",
        ),
    )
}


def parse_channels(spec: str | list[str]) -> list[Channel]:
    """Channels from a comma-separated list (any subset of CHANNELS, any order)."""
    names = [s.strip() for s in spec.split(",")] if isinstance(spec, str) else list(spec)
    if not names or any(not n for n in names):
        raise ConfigError(
            f"--channels needs a comma-separated list from {list(CHANNELS)}, got {spec!r}"
        )
    unknown = [n for n in names if n not in CHANNELS]
    if unknown:
        raise ConfigError(f"unknown channel {unknown[0]!r}; available: {', '.join(CHANNELS)}")
    if len(set(names)) != len(names):
        raise ConfigError(f"--channels lists a channel twice: {spec!r}")
    return [CHANNELS[n] for n in names]


def branches_for(channels: list[Channel]) -> list[str]:
    """Per-particle branches the channels need, plus the candidates for preprocessing."""
    needed = ["pfcand_ptrel", "pfcand_etarel", "pfcand_phirel"]
    for channel in channels:
        if channel.collection == "track":
            needed += ["track_etarel", "track_phirel"]
        needed += list(channel.extra_branches)
    return list(dict.fromkeys(needed))
