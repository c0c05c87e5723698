"""Properties of the new rule keys over every shipped example: saying the default changes nothing."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from test_examples import EXAMPLES

from gongkai_cli.load.load import load_repository
from gongkai_cli.model.models import RequestRule
from gongkai_cli.schedule.schedule import occurrences
from gongkai_cli.schedule.settings import calendar_of


@functools.lru_cache(maxsize=None)
def example(name: str):
    root, _, as_of = EXAMPLES[name]
    snapshot, _ = load_repository(root)
    return snapshot, as_of


def computed(snapshot, as_of: date) -> list[tuple]:
    return [(o.rule, o.unit, o.period, o.item, o.due, o.status, o.met_on, o.met_by) for o in
            occurrences(snapshot, calendar_of(snapshot.config), as_of)]


def with_rules(snapshot, change, chosen: set[int]):
    rules = [change(rule) if index in chosen else rule for index, rule in enumerate(snapshot.rules)]
    return replace(snapshot, rules=rules, state=None)


names = st.sampled_from(sorted(EXAMPLES))
offsets = st.integers(min_value=-400, max_value=400)
subsets = st.sets(st.integers(min_value=0, max_value=40))


@settings(max_examples=25, deadline=None)
@given(names, offsets, subsets)
def test_where_with_no_keys_equals_no_where(name, offset, chosen):
    """Every rule that does not say `where` gives the same occurrences when it says `where: {}`."""
    snapshot, as_of = example(name)
    day = as_of + timedelta(days=offset)
    unsaid = {index for index, rule in enumerate(snapshot.rules) if not getattr(rule, "where", None)}
    changed = with_rules(snapshot, lambda rule: rule.model_copy(update={"where": {}}), chosen & unsaid)
    assert computed(changed, day) == computed(snapshot, day)


@settings(max_examples=25, deadline=None)
@given(names, offsets, subsets)
def test_met_by_disclosed_equals_the_default_on_every_example(name, offset, chosen):
    """Every rule that does not say `met_by` gives the same occurrences when it says `met_by: disclosed`."""
    snapshot, as_of = example(name)
    day = as_of + timedelta(days=offset)
    unsaid = {index for index, rule in enumerate(snapshot.rules)
              if "met_by" not in rule.model_fields_set and not isinstance(rule, RequestRule)}
    changed = with_rules(snapshot, lambda rule: rule.model_copy(update={"met_by": "disclosed"}), chosen & unsaid)
    assert computed(changed, day) == computed(snapshot, day)


def test_every_example_has_rules_that_rely_on_the_default():
    """The property above is about something: each example has rules without `met_by`."""
    for name in EXAMPLES:
        snapshot, _ = example(name)
        assert any("met_by" not in rule.model_fields_set for rule in snapshot.rules), name
