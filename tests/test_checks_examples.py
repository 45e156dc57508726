"""Every registered check's wrong/right examples run as tests (checks added later are covered too).

`fails=True`: the check reports at least one finding on the example; `fails=False`: none. Source
checks see the example's `source` only; a ProjectCheck sees one unit per line of the example's
target, all with the same source (that is how a consistency example states "two translations").
"""

from __future__ import annotations

from functools import cache

import pytest

from medloc.checks.base import Check, CheckContext, Example, ProjectCheck, Unit
from medloc.checks.registry import CHECKS
from medloc.config import load_settings
from paths import REPO


@cache
def context() -> CheckContext:
    """The context a project run gives the checks: the repo's glossary, and engines where they attach."""
    settings = load_settings(REPO)
    try:
        from medloc.checks.engine import build_context
    except ImportError:  # pragma: no cover - the runner module is another stage of the same issue
        from medloc.glossary import load_terminology

        return CheckContext(terminology=load_terminology(settings))
    return build_context(settings)


def _units(check: type[Check] | type[ProjectCheck], example: Example) -> list[Unit]:
    if check.scope == "source":
        return [Unit(example.source, "", locale="en", article="example")]
    targets = example.target.split("\n") if issubclass(check, ProjectCheck) else [example.target]
    return [Unit(example.source, t, locale=example.locale, article="example") for t in targets]


CASES = [
    pytest.param(check, example, id=f"{check.id}-{i}-{'wrong' if example.fails else 'right'}")
    for check in CHECKS
    for i, example in enumerate(check.examples)
]


def test_every_check_has_examples_both_ways() -> None:
    for check in CHECKS:
        kinds = {e.fails for e in check.examples}
        assert check.__doc__ and check.__doc__.strip(), f"{check.id} has no docstring"
        if check.id != "fuzzy":  # fuzzy depends on the PO flag, which an Example cannot carry
            assert kinds == {True, False}, f"{check.id} needs a wrong and a right example"


def test_ids_are_unique_and_kebab_case() -> None:
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    for check_id in ids:
        assert check_id == check_id.lower() and " " not in check_id and "_" not in check_id


@pytest.mark.parametrize(("check", "example"), CASES)
def test_example(check: type[Check] | type[ProjectCheck], example: Example) -> None:
    instance = check()
    units = _units(check, example)
    if isinstance(instance, ProjectCheck):
        findings = list(instance.run_all(units, context()))
    else:
        findings = [f for u in units for f in instance.run(u, context())]
    shown = [f"{f.severity}: {f.message}" for f in findings]
    if example.fails:
        assert findings, (
            f"{check.id} should report on {example.source!r} -> {example.target!r} ({example.note})"
        )
        for f in findings:
            assert f.check == check.id and f.category == check.category.value
    else:
        assert not findings, f"{check.id} reported on a right example: {shown}"
