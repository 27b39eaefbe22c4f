"""Fuzzing the loaders (issue 17): arbitrary and mutated documents end in success or AdvisorError, nothing else."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import scenario
from advisor.errors import AdvisorError
from advisor.yamlsrc import parse_text

HERE = Path(__file__).resolve().parent
SEEDS = [p.read_text(encoding="utf-8") for p in sorted((HERE.parent / "examples").glob("*.yaml"))][:6]
# Fragments that broke the loaders before (control characters, tags, aliases, nesting, surrogates).
NASTY = [
    "\x00",
    "\x0c",
    "\x1b",
    "\ud800",
    "!!float x",
    "!!bool maybe",
    "!!timestamp garbage",
    "!!python/object:os.system",
    "&a [*a]",
    "*undefined",
    "[" * 300,
    "{" * 300,
    "]",
    ": :",
    "- - -",
    "\t",
    "'",
    '"\\ud800"',
    "? ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "<<: *a",
    "yes",
    "no",
    "2024-01-01",
    "1e999",
    "0x",
    "~",
    "|",
    ">-",
]

# CI runs 1,500 + 1,000 examples; the longer run (docs/hostile.md) sets HOSTILE_FUZZ_EXAMPLES.
EXAMPLES = int(os.environ.get("HOSTILE_FUZZ_EXAMPLES", "1500"))
settings.register_profile(
    "hostile",
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _mutate(text: str, cuts: list[tuple[int, int, str]]) -> str:
    for position, length, insert in cuts:
        at = position % (len(text) + 1)
        text = text[:at] + insert + text[at + length :]
    return text


mutations = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.one_of(st.sampled_from(NASTY), st.text(max_size=8))),
    min_size=1,
    max_size=6,
)


def _only_advisor_errors(text: str, name: str) -> None:
    parse_text(text, name)  # returns problems, never raises
    try:
        loaded = scenario.from_text(text, name)
    except AdvisorError as err:
        str(err).encode("utf-8")  # the message itself must be printable (no lone surrogates)
        return
    # What loads must also come out again: a lone surrogate used to crash only on output.
    loaded.to_yaml().encode("utf-8")
    loaded.name.encode("utf-8")


@settings(settings.get_profile("hostile"))
@given(seed=st.sampled_from(SEEDS), cuts=mutations, json=st.booleans())
def test_mutated_scenarios_raise_only_advisor_errors(seed, cuts, json):
    _only_advisor_errors(_mutate(seed, cuts), "fuzz.json" if json else "fuzz.yaml")


@settings(settings.get_profile("hostile"), max_examples=max(1, EXAMPLES * 2 // 3))
@given(text=st.text(max_size=300), json=st.booleans())
def test_arbitrary_text_raises_only_advisor_errors(text, json):
    _only_advisor_errors(text, "fuzz.json" if json else "fuzz.yaml")
