"""Name an alternative conclusion the way the contract does: `monitoring`, `partner:osce`.

A bare value is a mandate type; every other slot takes a `slot:` prefix. An unknown
name is an AdvisorError listing what is allowed, with a did-you-mean.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import AdvisorError, Problem, did_you_mean
from ..rulefile import Conclusion
from ..ruleset import RuleBase
from ..slots import SLOTS


@dataclass(frozen=True)
class Target(Conclusion):
    """One conclusion (slot, value) a user asks about, named as the contract does."""

    @property
    def name(self) -> str:
        """The contract's spelling: bare for a mandate type, prefixed otherwise."""
        return self.value if self.slot == "mandate" else self.key

    def to_json(self) -> dict:
        return {"slot": self.slot, "value": self.value, "name": self.name}


def allowed_values(rulebase: RuleBase, slot: str) -> tuple[str, ...]:
    return rulebase.values_of(slot)


def parse_target(text: str, rulebase: RuleBase, option: str = "value") -> Target:
    """`monitoring` -> mandate monitoring; `partner:osce` -> partner osce; else AdvisorError."""
    text = (text or "").strip()
    if ":" in text:
        named = Conclusion.of_key(text)
        slot, value = named.slot.strip(), named.value.strip()
        if slot not in SLOTS:
            raise AdvisorError(
                Problem(
                    f"unknown slot '{slot}' in '{text}'",
                    field=option,
                    value=text,
                    allowed=tuple(SLOTS),
                    suggestion=did_you_mean(slot, SLOTS),
                )
            )
    else:
        slot, value = "mandate", text
    allowed = allowed_values(rulebase, slot)
    if value not in allowed:
        shown = tuple(v if slot == "mandate" else f"{slot}:{v}" for v in allowed)
        if slot == "mandate":
            # A bare word may be a partner or a structure given without its prefix.
            shown = shown + tuple(
                f"{s}:{v}" for s in ("structure", "hq", "partner") for v in allowed_values(rulebase, s)
            )
        what = "a mandate type" if slot == "mandate" else f"a value of '{slot}'"
        suggestion = did_you_mean(text, shown)
        if slot == "mandate":
            exact = [f"{s}:{text}" for s in SLOTS if s != "mandate" and text in allowed_values(rulebase, s)]
            suggestion = exact[0] if exact else suggestion
        raise AdvisorError(
            Problem(f"'{text}' is not {what}", field=option, value=text, allowed=shown, suggestion=suggestion)
        )
    return Target(slot, value)
