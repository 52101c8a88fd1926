"""Reading Pythia's record as arrays gives what the accessors give, or nothing at all."""

from __future__ import annotations

from pathlib import Path

import awkward as ak
import numpy as np
import pytest
import uproot

pytest.importorskip("pythia8mc")

from jetvision.ntuple import schema
from jetvision.simulate import generate, record, settings, simulate, truth


@pytest.fixture(scope="module")
def pythia() -> object:
    """H->bb events: heavy-flavour decays give production vertices and long histories."""
    return generate.make_pythia("hbb", 21, settings.DEFAULT_PT_HAT_MIN)


def next_event(pythia: object) -> object:
    while not pythia.next():  # type: ignore[attr-defined]
        pass
    return pythia.event  # type: ignore[attr-defined]


def by_accessors(event: object) -> dict[str, np.ndarray]:
    particles = [event[i] for i in range(event.size())]  # type: ignore[attr-defined,index]
    return {
        "id": np.array([q.id() for q in particles]),
        "status": np.array([q.status() for q in particles]),
        "p": np.array([(q.px(), q.py(), q.pz(), q.e()) for q in particles]),
        "vertex": np.array([(q.xProd(), q.yProd(), q.zProd()) for q in particles]),
    }


def test_every_field_of_every_particle_matches_the_accessors(pythia: object) -> None:
    layout = record.RecordLayout.discover(next_event(pythia))
    assert layout is not None
    assert set(layout.offsets) == {"id", "status", "p", "vertex"}
    for _ in range(4):  # later events reuse the cached view of the vector's memory
        event = next_event(pythia)
        view = layout.view(event)
        assert view is not None
        expected = by_accessors(event)
        assert len(view) == len(expected["id"])
        for name, values in expected.items():
            np.testing.assert_array_equal(view[name], values, err_msg=name)
        assert (expected["vertex"] != 0).any()  # displaced decays were compared


def test_memory_that_does_not_match_is_never_read(pythia: object) -> None:
    event = next_event(pythia)
    layout = record.RecordLayout.discover(event)
    assert layout is not None
    wrong = record.RecordLayout(layout.stride + 8, layout.offsets)
    assert wrong.view(event) is None


def test_record_ancestry_finds_the_hadrons_the_history_walk_finds(pythia: object) -> None:
    layout = record.RecordLayout.discover(next_event(pythia))
    assert layout is not None
    n_heavy = 0
    for _ in range(8):
        event = next_event(pythia)
        walk = truth.HeavyHadronFinder(event)
        ancestry = truth.RecordAncestry(event, layout.view(event))
        final = [i for i in range(event.size()) if event[i].isFinal()]  # type: ignore[attr-defined,index]
        for i in final:
            found = ancestry.ancestors([i])
            assert found == walk.ancestors([event[i].mother1()]), i  # type: ignore[index]
            n_heavy += bool(found)
        # a whole jet's hadrons are the union of its members'
        assert ancestry.ancestors(final[:50]) == walk.ancestors(
            [event[i].mother1() for i in final[:50]]  # type: ignore[index]
        )
    assert n_heavy > 50  # b-hadron decay products were among them


def test_vectorized_hadron_flavours_match_the_scalar_rule() -> None:
    codes = np.concatenate([np.arange(-12_000, 12_000), [100_511, 1_000_521, 5_000_000]])
    expected = [truth.hadron_flavour(int(c)) for c in codes]
    np.testing.assert_array_equal(truth.hadron_flavours(codes), expected)


@pytest.mark.parametrize("process", ["hbb", "qcd"])
def test_array_and_accessor_paths_write_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, process: str
) -> None:
    found: list[object] = []
    discover = record.RecordLayout.discover

    def spy(event: object) -> record.RecordLayout | None:
        found.append(discover(event))
        return found[-1]

    monkeypatch.setattr(record.RecordLayout, "discover", spy)
    fast = simulate(process, 60, tmp_path / "fast.root", seed=3)
    assert found
    assert found[0] is not None  # the array path ran
    monkeypatch.setattr(record.RecordLayout, "discover", lambda _event: None)
    slow = simulate(process, 60, tmp_path / "slow.root", seed=3)

    a, b = (uproot.open(r.path)[schema.TREE_PATH] for r in (fast, slow))
    assert fast.direct_events > 0
    assert slow.direct_events == 0  # SlowJet and the accessors wrote this one
    assert a.num_entries == b.num_entries > 20
    assert a.keys() == b.keys()
    for name in schema.branch_types():
        assert ak.array_equal(a[name].array(), b[name].array()), name
