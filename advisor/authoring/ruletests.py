"""Rule tests: YAML files of scenarios and what the advice must and must not contain.

A test file (by convention `rules/tests/*.yaml`) looks like:

    description: optional text
    tests:
      - name: executive powers under an interim administration
        scenario: {host_authority: absent, interim_administration: true, host_consent: true}
        # or a path, relative to the test file:  scenario: ../../examples/kosovo.yaml
        expect:
          mandate: substitution          # mandate / structure / hq: the value, or null for "none decided"
          include: [function:strengthening, partner:frontex]   # slot:value that must be concluded
          exclude: [partner:osce]                              # slot:value that must not be
          fired: [mandate.executive-powers-needed]             # rules that must fire
          not_fired: []                                        # rules that must not fire

Tests are checked against the rule base before they run (unknown slot, value, rule id:
a located error with a did-you-mean), so a typo in a test never passes silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from .. import scenario as scenarios
from ..advice import Advice
from ..errors import AdvisorError, Problem, did_you_mean
from ..ruleset import RuleBase
from ..service import advise
from ..slots import HEADLINE, SLOTS, Conclusion
from ..yamlsrc import Document, read_file

TEST_KEYS = ("name", "scenario", "expect", "engine")
EXPECT_KEYS = HEADLINE + ("include", "exclude", "fired", "not_fired")
FILE_KEYS = ("description", "tests")


class RuleTestError(AdvisorError):
    """A rule-test file is malformed or names something the rule base does not have."""


@dataclass(frozen=True)
class Expect:
    headline: tuple[tuple[str, str | None], ...]  # (slot, value or None)
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    fired: tuple[str, ...]
    not_fired: tuple[str, ...]


@dataclass(frozen=True)
class RuleTest:
    name: str
    file: str
    line: int | None
    scenario: scenarios.Scenario
    expect: Expect

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Outcome:
    test: RuleTest
    failures: tuple[str, ...]
    fired: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def discover(paths: list[str | Path]) -> list[Path]:
    """Test files among the paths: files as given; in directories, YAML files with a 'tests' key.

    Scenario files kept next to the tests (for `scenario: path`) are thereby skipped.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.suffix in (".yaml", ".yml") and p.is_file():
                    doc, problems = read_file(p)
                    if problems or doc is None or (isinstance(doc.data, dict) and "tests" in doc.data):
                        found.append(p)
        else:
            found.append(path)
    return found


class _Reader:
    def __init__(self, doc: Document, rulebase: RuleBase, problems: list[Problem]):
        self.doc, self.rb, self.problems = doc, rulebase, problems

    def fail(self, where, message, **extra) -> None:
        self.problems.append(self.doc.problem(where, message, **extra))

    def ref(self, text: Any, where) -> str | None:
        """Check one 'slot:value' reference against the rule base."""
        if not isinstance(text, str) or ":" not in text:
            self.fail(where, f"'{text}' should be 'slot:value', e.g. partner:frontex", allowed=tuple(SLOTS))
            return None
        slot, value = Conclusion.of_key(text).pair
        if slot not in SLOTS:
            self.fail(where, f"unknown slot '{slot}'", allowed=tuple(SLOTS), suggestion=did_you_mean(slot, SLOTS))
            return None
        known = self.rb.values_of(slot)
        if value not in known:
            self.fail(
                where,
                f"'{value}' is not a value of slot '{slot}' in this rule base",
                value=value,
                allowed=known,
                suggestion=did_you_mean(value, known),
            )
            return None
        return text

    def rule_ids(self, items: Any, where) -> tuple[str, ...]:
        ids = tuple(c.rule.id for c in self.rb.plan.rules)
        out = []
        for i, rid in enumerate(items):
            if rid not in ids:
                self.fail(where + (i,), f"unknown rule id '{rid}'", value=rid, suggestion=did_you_mean(rid, ids))
            else:
                out.append(rid)
        return tuple(out)

    def expect(self, data: Any, where) -> Expect | None:
        if not isinstance(data, dict):
            self.fail(where, "'expect' is a mapping", allowed=EXPECT_KEYS)
            return None
        before = len(self.problems)
        for key in data:
            if key not in EXPECT_KEYS:
                self.fail(
                    where + (key,),
                    f"unknown expectation '{key}'",
                    key=True,
                    allowed=EXPECT_KEYS,
                    suggestion=did_you_mean(key, EXPECT_KEYS),
                )
        headline = []
        for slot in HEADLINE:
            if slot in data:
                value = data[slot]
                if value is not None and value not in SLOTS[slot].values:
                    self.fail(
                        where + (slot,),
                        f"'{value}' is not a value of {slot}",
                        value=value,
                        allowed=SLOTS[slot].values + ("null",),
                        suggestion=did_you_mean(value, SLOTS[slot].values),
                    )
                headline.append((slot, value))
        lists = {}
        for key in ("include", "exclude", "fired", "not_fired"):
            items = data.get(key, [])
            if not isinstance(items, list):
                self.fail(where + (key,), f"'{key}' is a list")
                items = []
            if key in ("include", "exclude"):
                lists[key] = tuple(r for i, item in enumerate(items) if (r := self.ref(item, where + (key, i))))
            else:
                lists[key] = self.rule_ids(items, where + (key,))
        if len(self.problems) > before:
            return None
        return Expect(tuple(headline), lists["include"], lists["exclude"], lists["fired"], lists["not_fired"])

    def scenario(self, data: Any, where) -> scenarios.Scenario | None:
        try:
            if isinstance(data, str):
                path = Path(self.doc.file).parent / data
                if not path.exists():
                    self.fail(where, f"scenario file '{data}' not found (paths are relative to the test file)")
                    return None
                return scenarios.load(path)
            if isinstance(data, dict):
                shifted = cast(Document, _Shifted(self.doc, where))  # a Document in all that is read
                return scenarios.from_mapping(data, self.doc.file, shifted)
        except AdvisorError as err:
            self.problems.extend(err.problems)
            return None
        self.fail(where, "'scenario' is a mapping of facts or the path of a scenario file")
        return None

    def test(self, data: Any, where) -> RuleTest | None:
        if not isinstance(data, dict):
            self.fail(where, "each test is a mapping with name, scenario and expect", allowed=TEST_KEYS)
            return None
        for key in data:
            if key not in TEST_KEYS:
                self.fail(
                    where + (key,),
                    f"unknown test key '{key}'",
                    key=True,
                    allowed=TEST_KEYS,
                    suggestion=did_you_mean(key, TEST_KEYS),
                )
        for key in ("name", "scenario", "expect"):
            if key not in data:
                self.fail(where, f"a test needs '{key}'", field=key)
                return None
        scenario = self.scenario(data["scenario"], where + ("scenario",))
        expect = self.expect(data["expect"], where + ("expect",))
        if scenario is None or expect is None:
            return None
        scenario = scenarios.Scenario(scenario.values, f"{self.doc.file}:{self.doc.at(where)[0]}")
        return RuleTest(str(data["name"]), self.doc.file, self.doc.at(where)[0], scenario, expect)


class _Shifted:
    """A view of the document rooted at an inline scenario, so its errors keep their lines."""

    def __init__(self, doc: Document, root: tuple):
        self.doc, self.root = doc, root

    def at(self, where, key: bool = False):
        return self.doc.at(self.root + tuple(where), key=key)


def load_tests(path: str | Path, rulebase: RuleBase) -> tuple[RuleTest, ...]:
    """Parse and check one test file; raise RuleTestError listing every problem."""
    doc, problems = read_file(path)
    if problems or doc is None:  # no document comes without a problem saying why
        raise RuleTestError(problems)
    found: list[Problem] = []
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
        raise RuleTestError(doc.problem((), "a rule-test file is a mapping with 'tests': a list of tests"))
    for key in data:
        if key not in FILE_KEYS:
            found.append(
                doc.problem(
                    (key,),
                    f"unknown top-level key '{key}'",
                    key=True,
                    allowed=FILE_KEYS,
                    suggestion=did_you_mean(key, FILE_KEYS),
                )
            )
    reader = _Reader(doc, rulebase, found)
    tests = [reader.test(item, ("tests", i)) for i, item in enumerate(data["tests"])]
    if found:
        raise RuleTestError(found)
    return tuple(t for t in tests if t is not None)


def _because(advice: Advice, slot: str) -> str:
    item = advice.one(slot)
    return f" (because {', '.join(item.because)})" if item else ""


def check(test: RuleTest, advice: Advice) -> Outcome:
    """Compare the advice with the expectations; every failure says what came instead."""
    failures = []
    concluded = {Conclusion(i.slot, i.value).key for items in advice.items.values() for i in items}
    fired = tuple(f.rule_id for f in advice.evaluation.firings)
    for slot, want in test.expect.headline:
        item = advice.one(slot)
        got = item.value if item else None
        if got != want:
            conflict = next((c for c in advice.conflicts if c.slot == slot), None)
            extra = (
                f" (conflict: {', '.join(conflict.values)} from {', '.join(conflict.rules)})"
                if conflict
                else _because(advice, slot)
            )
            failures.append(
                f"expected {slot} {want if want is not None else 'undecided'}, "
                f"got {got if got is not None else 'nothing'}{extra}"
            )
    for key in test.expect.include:
        if key not in concluded:
            slot = Conclusion.of_key(key).slot
            got = ", ".join(advice.values(slot)) or "nothing"
            failures.append(f"expected {key} to be concluded; {slot} concluded: {got}")
    for key in test.expect.exclude:
        if key in concluded:
            c = Conclusion.of_key(key)
            item = advice.item(c.slot, c.value)
            by = ", ".join(item.because) if item else "a rule whose value lost to another"
            failures.append(f"expected {key} not to be concluded; it was, by {by}")
    for rule_id in test.expect.fired:
        if rule_id not in fired:
            failures.append(f"expected rule {rule_id} to fire; it did not")
    for rule_id in test.expect.not_fired:
        if rule_id in fired:
            failures.append(f"expected rule {rule_id} not to fire; it did")
    return Outcome(test, tuple(failures), fired)


def run_test(test: RuleTest, rulebase: RuleBase, engine: str = "durable") -> Outcome:
    return check(test, advise(rulebase, test.scenario, engine=engine))


def render(outcomes: list[Outcome], verbose: bool = False) -> str:
    lines = []
    for o in outcomes:
        if o.passed and not verbose:
            continue
        lines.append(f"{'PASS' if o.passed else 'FAIL'} {o.test.location} {o.test.name}")
        for failure in o.failures:
            lines.append(f"    {failure}")
        if not o.passed:
            lines.append(f"    rules fired: {', '.join(o.fired) or 'none'}")
    failed = sum(not o.passed for o in outcomes)
    lines.append(f"{len(outcomes) - failed} passed, {failed} failed")
    return "\n".join(lines) + "\n"
