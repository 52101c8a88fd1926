"""Generator truth of a jet: heavy-flavour hadrons, Higgs matching, the six labels.

Labels count hadrons, not quarks. A jet's b (c) count is the number of weakly decaying
b (c) hadrons (no b (c) hadron among their daughters) that are ancestors of at least one
jet constituent and lie within dR < R of the jet axis. This is the hadron-flavour
definition CMS uses with ghost association, done here through Pythia's history instead
of ghosts; each hadron stands for one b (c) quark in the label definitions of the
public ntuples:

* ``label_H_bb``: matched to the generator Higgs (dR(jet, H) < R) with >= 2 b hadrons;
* ``label_QCD_bb`` / ``_b``: not matched, >= 2 / exactly 1 b hadrons;
* ``label_QCD_cc`` / ``_c``: not matched, no b, >= 2 / exactly 1 c hadrons;
* ``label_QCD_others``: not matched, no b or c hadron.

A Higgs-matched jet with fewer than two b hadrons gets no label (``fj_label`` 0).
Our processes make no W, Z (visible) or top jets, so ``fj_isQCD = 1 - fj_isH``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from jetvision.ntuple import schema

HIGGS_ID = 25


def hadron_flavour(pdg_id: int) -> int:
    """Heaviest quark flavour (5 = b, 4 = c, 0 = other) in a hadron's PDG code."""
    a = abs(pdg_id)
    if a < 100 or a >= 1_000_000 or (a // 10) % 10 == 0:
        return 0
    q1, q2, q3 = (a // 1000) % 10, (a // 100) % 10, (a // 10) % 10
    quarks = (q2, q3) if q1 == 0 else (q1, q2, q3)  # meson: q2 q3; baryon: q1 q2 q3
    if 5 in quarks:
        return 5
    if 4 in quarks:
        return 4
    return 0


def hadron_flavours(pdg_id: np.ndarray) -> np.ndarray:
    """:func:`hadron_flavour` of many PDG codes at once."""
    a = np.abs(np.asarray(pdg_id, dtype=np.int64))
    q1, q2, q3 = (a // 1000) % 10, (a // 100) % 10, (a // 10) % 10
    hadron = (a >= 100) & (a < 1_000_000) & (q3 != 0)

    def holds(quark: int) -> np.ndarray:  # q1 is 0 for mesons, so one test serves both
        return hadron & ((q1 == quark) | (q2 == quark) | (q3 == quark))

    return np.where(holds(5), 5, np.where(holds(4), 4, 0))


def weakly_decaying(event: object, index: int, flavour: int) -> bool:
    """Whether no daughter of hadron ``index`` carries its heavy ``flavour``."""
    daughters = event[index].daughterList()  # type: ignore[index]
    return all(hadron_flavour(event[d].id()) != flavour for d in daughters)  # type: ignore[index]


@dataclass
class HiggsTruth:
    """The generator Higgs of an event (its last copy before the decay)."""

    pt: float
    eta: float
    phi: float


def find_higgs(event: object) -> HiggsTruth | None:
    """The last-copy generator Higgs boson of the event, if the hard process has one."""
    for i in range(min(event.size(), 12)):  # type: ignore[attr-defined]
        particle = event[i]  # type: ignore[index]
        if particle.idAbs() == HIGGS_ID:
            last = event[particle.iBotCopyId()]  # type: ignore[index]
            return HiggsTruth(last.pT(), last.eta(), last.phi())
    return None


def delta_r(eta1: float, phi1: float, eta2: float, phi2: float) -> float:
    """Distance in (eta, phi), phi difference wrapped into [-pi, pi]."""
    dphi = (phi1 - phi2 + math.pi) % (2 * math.pi) - math.pi
    return math.hypot(eta1 - eta2, dphi)


class HeavyHadronFinder:
    """Find the weakly decaying b and c hadron ancestors of particles, by their mothers.

    Walks the ``mother1`` chain through decays (status 91-99) up to the primary hadrons
    (status 81-89). One finder serves one event: it memoizes, for every hadron it has
    visited, the heavy hadrons at or above it, so each link of the history is read from
    Pythia once per event however many constituents share it.
    """

    def __init__(self, event: object) -> None:
        self._event = event
        self._above: dict[int, tuple[int, ...]] = {0: ()}  # index -> heavy hadrons at/above
        self._flavour: dict[int, int] = {}  # weakly decaying heavy hadron -> 5 or 4

    def ancestors(self, mothers: Iterable[int]) -> dict[int, int]:
        """``{index: flavour}`` of the weakly decaying heavy hadrons above particles.

        ``mothers`` are the ``mother1`` indices of the particles.
        """
        found: dict[int, int] = {}
        for i in set(mothers):
            chain = self._above.get(i)
            for hadron in self._walk(i) if chain is None else chain:
                found[hadron] = self._flavour[hadron]
        return found

    def _walk(self, start: int) -> tuple[int, ...]:
        ev, above = self._event, self._above
        path: list[tuple[int, bool]] = []
        i = start
        while i > 0 and i not in above:
            particle = ev[i]  # type: ignore[index]
            status = particle.statusAbs()
            if not 81 <= status <= 99:  # a parton or beyond: no hadron above
                above[i] = ()
                break
            flavour = hadron_flavour(particle.id())
            heavy = bool(flavour) and weakly_decaying(ev, i, flavour)
            if heavy:
                self._flavour[i] = flavour
            path.append((i, heavy))
            i = particle.mother1() if status >= 90 else 0  # a primary hadron ends the chain
        chain = above.get(i, ())
        for node, heavy in reversed(path):
            if heavy:
                chain = (node, *chain)
            above[node] = chain
        return above.get(start, ())


class RecordAncestry:
    """The heavy hadrons of :class:`HeavyHadronFinder`, found from the record's arrays.

    ``record`` holds the event as arrays (``id`` and ``status``; see
    :mod:`jetvision.simulate.record`). The weakly decaying heavy hadrons are picked out
    of the whole record at once; Pythia then lists each one's decay descendants in one
    call. A constituent whose ``mother1`` chain of decays reaches a hadron is exactly one
    of its descendants, so both classes find the same hadrons.
    """

    # hadron_flavour reads only the last four digits, and is 0 outside [100, 10^6).
    _FLAVOUR_BY_DIGITS = hadron_flavours(10_000 + np.arange(10_000)).astype(np.int8)

    def __init__(self, event: object, record: np.ndarray) -> None:
        # Few numpy calls over the whole record, then plain Python over the candidates.
        ids = record["id"]
        candidates = np.flatnonzero(self._FLAVOUR_BY_DIGITS[np.abs(ids) % 10_000]).tolist()
        self.hadrons = []
        for i in candidates:
            code, status = abs(int(ids[i])), abs(int(record["status"][i]))
            flavour = hadron_flavour(code)
            if 81 <= status <= 99 and flavour and weakly_decaying(event, i, flavour):
                descendants = frozenset(event[i].daughterListRecursive())  # type: ignore[index]
                self.hadrons.append((i, flavour, descendants))

    def ancestors(self, members: Iterable[int]) -> dict[int, int]:
        """``{index: flavour}`` of the heavy hadrons above the particles ``members``."""
        if not self.hadrons:
            return {}
        jet = set(members)
        return {i: f for i, f, descendants in self.hadrons if not descendants.isdisjoint(jet)}


def count_in_cone(
    event: object, hadrons: dict[int, int], eta: float, phi: float, R: float
) -> tuple[int, int]:
    """Numbers of b and c hadrons among ``hadrons`` within dR < R of (eta, phi)."""
    nb = nc = 0
    for i, flavour in hadrons.items():
        particle = event[i]  # type: ignore[index]
        if delta_r(particle.eta(), particle.phi(), eta, phi) < R:
            if flavour == 5:
                nb += 1
            else:
                nc += 1
    return nb, nc


def labels(is_h: bool, nb: int, nc: int) -> dict[str, int]:
    """The six one-hot truth labels (see the module docstring)."""
    out = dict.fromkeys(schema.LABELS, 0)
    if is_h:
        out["label_H_bb"] = int(nb >= 2)
    elif nb >= 2:
        out["label_QCD_bb"] = 1
    elif nb == 1:
        out["label_QCD_b"] = 1
    elif nc >= 2:
        out["label_QCD_cc"] = 1
    elif nc == 1:
        out["label_QCD_c"] = 1
    else:
        out["label_QCD_others"] = 1
    return out
