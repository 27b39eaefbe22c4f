"""Run two rule bases over the same scenarios and report every change in the advice."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import scenario as scenarios
from ..advice import Advice
from ..ruleset import RuleBase
from ..service import advise
from ..slots import SLOTS


@dataclass(frozen=True)
class Change:
    slot: str
    old: tuple[str, ...]
    new: tuple[str, ...]

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(x for x in self.new if x not in self.old)

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(x for x in self.old if x not in self.new)


@dataclass(frozen=True)
class ScenarioDiff:
    scenario: str
    changes: tuple[Change, ...]


def _view(advice: Advice) -> dict[str, tuple[str, ...]]:
    """What a planner sees, slot by slot (conflicts shown as their own entry)."""
    out = {slot: advice.values(slot) for slot in SLOTS if slot != "derived"}
    for c in advice.conflicts:
        out[c.slot] = (f"conflict({'|'.join(c.values)})",)
    return out


def diff_advice(old: Advice, new: Advice) -> tuple[Change, ...]:
    a, b = _view(old), _view(new)
    return tuple(Change(slot, a[slot], b[slot]) for slot in a if a[slot] != b[slot])


def scenario_files(directory: str | Path) -> list[Path]:
    return sorted(p for p in Path(directory).glob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())


def diff_rulebases(old: RuleBase, new: RuleBase, files: list[Path]) -> list[ScenarioDiff]:
    out = []
    for path in files:
        scenario = scenarios.load(path)
        changes = diff_advice(advise(old, scenario), advise(new, scenario))
        if changes:
            out.append(ScenarioDiff(str(path), changes))
    return out


def render(diffs: list[ScenarioDiff], total: int, old: RuleBase, new: RuleBase) -> str:
    lines = [f"old: {old.label}", f"new: {new.label}"]
    for d in diffs:
        lines.append(f"{d.scenario}:")
        for c in d.changes:
            if SLOTS[c.slot].single:
                lines.append(f"  {c.slot}: {', '.join(c.old) or 'nothing'} -> {', '.join(c.new) or 'nothing'}")
                continue
            if c.added:
                lines.append(f"  {c.slot} + {', '.join(c.added)}")
            if c.removed:
                lines.append(f"  {c.slot} - {', '.join(c.removed)}")
    lines.append(f"{len(diffs)} of {total} scenarios changed")
    return "\n".join(lines) + "\n"


def to_dict(diffs: list[ScenarioDiff], total: int, old: RuleBase, new: RuleBase) -> dict:
    return {
        "old": {"version": old.version, "sha256": old.sha256},
        "new": {"version": new.version, "sha256": new.sha256},
        "scenarios": total,
        "changed": [
            {
                "scenario": d.scenario,
                "changes": [
                    {
                        "slot": c.slot,
                        "old": list(c.old),
                        "new": list(c.new),
                        "added": list(c.added),
                        "removed": list(c.removed),
                    }
                    for c in d.changes
                ],
            }
            for d in diffs
        ],
    }
