"""Grids: the size is the product of the value counts, every combination once, in order."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor import vocabulary as v
from advisor.errors import ScenarioError
from advisor.scenario import from_mapping
from advisor.sweep.grid import make_grid, parse_axis

HERE = Path(__file__).resolve().parent
BAD_VARY = yaml.safe_load((HERE / "fixtures" / "sweep" / "bad_vary.yaml").read_text(encoding="utf-8"))
SIMPLE = [p for p in v.PATHS.values() if p.field.kind != v.LIST]


def _word(value) -> str:
    return str(value).lower() if isinstance(value, bool) else value


@st.composite
def varies(draw):
    paths = draw(st.lists(st.sampled_from(SIMPLE), min_size=1, max_size=4, unique_by=lambda p: p.name))
    specs = []
    for p in paths:
        words = draw(st.lists(st.sampled_from([_word(x) for x in p.domain] + ["unknown"]), min_size=1, unique=True))
        specs.append(f"{p.name}={','.join(words)}")
    return specs


@settings(max_examples=40, deadline=None)
@given(varies())
def test_grid_is_the_full_product(specs):
    grid = make_grid(specs)
    counts = [len(s.split("=", 1)[1].split(",")) for s in specs]
    assert len(grid) == math.prod(counts)
    seen = set()
    for i in range(len(grid)):
        s = grid.scenario(i)
        seen.add(tuple(s.get(a.path) for a in grid.axes))
    assert len(seen) == len(grid)


def test_last_axis_varies_fastest_and_base_facts_stay():
    base = from_mapping(
        {
            "name": "base",
            "scope": "national",
            "host_authority": "functioning",
            "host_capacity": {"operational": "weak", "legislative": "adequate"},
        }
    )
    grid = make_grid(["host_authority=absent,limited", "host_capacity.legislative=weak,unknown"], base)
    got = [(s.get("host_authority"), s.get("host_capacity.legislative")) for s in grid.scenarios()]
    assert got == [("absent", "weak"), ("absent", None), ("limited", "weak"), ("limited", None)]
    assert all(s.get("scope") == "national" and s.get("host_capacity.operational") == "weak" for s in grid.scenarios())
    assert [s.name for s in grid.scenarios()] == ["base 1", "base 2", "base 3", "base 4"]


def test_unknown_removes_a_base_fact():
    base = from_mapping({"host_consent": True, "host_capacity": {"legislative": "weak"}})
    grid = make_grid(["host_consent=unknown", "host_capacity.legislative=unknown"], base)
    assert len(grid) == 1 and grid.scenario(0).to_dict() == {"name": "grid 1"}


def test_star_and_list_values():
    assert parse_axis("host_consent=*").values == (False, True)
    assert parse_axis("conflict_status=*").values == v.FIELDS_BY_NAME["conflict_status"].values
    assert len(parse_axis("border_types=*").values) == 2**3
    axis = parse_axis("agreements=none, bcp_agreement+ceasefire ,unknown")
    assert axis.values == ((), ("ceasefire", "bcp_agreement"), None)
    grid = make_grid(["agreements=none,bcp_agreement+ceasefire,unknown"])
    assert [s.get("agreements") for s in grid.scenarios()] == [(), ("ceasefire", "bcp_agreement"), None]


def test_out_of_range_index():
    grid = make_grid(["scope=national"])
    with pytest.raises(IndexError):
        grid.mapping(1)


@pytest.mark.parametrize("case", BAD_VARY, ids=lambda c: " ".join(c["vary"]) or "nothing")
def test_bad_vary_is_explained(case):
    with pytest.raises(ScenarioError) as caught:
        make_grid(case["vary"])
    text = str(caught.value)
    assert case["says"] in text
    if "field" in case:
        assert any(p.field == case["field"] for p in caught.value.problems)
    assert all(p.file == "--vary" for p in caught.value.problems)
