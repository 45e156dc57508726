"""`medloc.gcpause.paused_gc`: the cycle collector is off inside, back on after (also after an
error), nested and concurrent pauses share one, and a collector turned off elsewhere stays off."""

from __future__ import annotations

import gc
import threading

import pytest

from medloc.gcpause import paused_gc


@pytest.fixture(autouse=True)
def _collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_off_inside_on_after_also_after_an_error() -> None:
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_nested_and_concurrent_pauses_end_with_the_last() -> None:
    inside, release = threading.Event(), threading.Event()

    def other_stage() -> None:
        with paused_gc():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other_stage)
    thread.start()
    assert inside.wait(5)
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's stage is still running
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_the_qa_stage_runs_with_the_collector_paused(tmp_path, monkeypatch) -> None:
    """The stage the pause is for: qa_run's work sees the collector off, and it is on again after."""
    from medloc import qastage
    from medloc.config import load_settings

    seen: list[bool] = []
    monkeypatch.setattr(qastage, "_qa_run", lambda settings: seen.append(gc.isenabled()) or {})
    (tmp_path / "medloc.toml").write_text("", encoding="utf-8")
    qastage.qa_run(load_settings(tmp_path))
    assert seen == [False] and gc.isenabled()


def test_a_frozen_heap_leaves_old_objects_out_and_puts_them_back() -> None:
    import weakref

    from medloc.gcpause import frozen_heap

    class Node:
        pass

    def cycle() -> weakref.ref[Node]:
        a, b = Node(), Node()
        a.other, b.other = b, a  # type: ignore[attr-defined]
        return weakref.ref(a)

    gc.collect()
    old = cycle()  # garbage made before the block: frozen with everything else
    with frozen_heap():
        assert gc.get_freeze_count() > 0
        new = cycle()  # garbage the block's own work makes
        gc.collect()
        assert new() is None and old() is not None
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert old() is None  # unfrozen: collected after all, never kept


def test_a_frozen_heap_is_put_back_after_an_error() -> None:
    from medloc.gcpause import frozen_heap

    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("an article stage failed")
    assert gc.get_freeze_count() == 0
