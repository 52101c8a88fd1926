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
from dataclasses import dataclass

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
    """Find the weakly decaying b and c hadron ancestors of a set of particles.

    Walks each constituent's ``mother1`` chain through decays (status 91-99) up to the
    primary hadrons (status 81-89). One finder serves one event: it memoizes the nodes
    it has visited.
    """

    def __init__(self, event: object) -> None:
        self._event = event
        self._visited: set[int] = set()
        self._heavy: dict[int, int] = {}  # index -> flavour, weakly decaying hadrons only

    def ancestors(self, particles: list) -> dict[int, int]:
        """``{index: flavour}`` of the weakly decaying heavy hadrons above ``particles``."""
        ev = self._event
        found: dict[int, int] = {}
        for start in particles:
            i = start.mother1()
            while i > 0:
                if i in self._visited:
                    if i in self._heavy:
                        found[i] = self._heavy[i]
                    break
                self._visited.add(i)
                particle = ev[i]  # type: ignore[index]
                status = particle.statusAbs()
                if not 81 <= status <= 99:
                    break
                flavour = hadron_flavour(particle.id())
                if flavour and self._weakly_decaying(particle, flavour):
                    self._heavy[i] = flavour
                    found[i] = flavour
                if status < 90:
                    break
                i = particle.mother1()
        return found

    def _weakly_decaying(self, particle: object, flavour: int) -> bool:
        ev = self._event
        daughters = particle.daughterList()  # type: ignore[attr-defined]
        return all(hadron_flavour(ev[d].id()) != flavour for d in daughters)  # type: ignore[index]


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
