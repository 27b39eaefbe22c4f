"""Hypothesis strategies: random valid scenarios over the whole fact vocabulary."""

from __future__ import annotations

from hypothesis import strategies as st

from advisor import scenario as scenarios
from advisor import vocabulary as v


def _value(field: v.Field):
    if field.kind == v.BOOL:
        return st.booleans()
    if field.kind == v.CHOICE:
        return st.sampled_from(field.values)
    if field.kind == v.LIST:
        return st.lists(st.sampled_from(field.values), unique=True)
    if field.kind == v.MAPPING:
        return st.dictionaries(st.sampled_from(v.AREAS), st.sampled_from(field.values))
    return st.text(min_size=1, max_size=12)


def scenario_data(known_probability: float = 0.7):
    """Plain scenario data: each field known with some probability, else left out."""
    fields = [f for f in v.FIELDS]

    @st.composite
    def build(draw):
        data = {}
        for field in fields:
            if draw(st.floats(0, 1)) < known_probability:
                data[field.name] = draw(_value(field))
        return data

    return build()


def scenarios_strategy(known_probability: float = 0.7):
    return scenario_data(known_probability).map(lambda d: scenarios.from_mapping(d, "<hypothesis>"))
