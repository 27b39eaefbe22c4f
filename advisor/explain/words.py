"""Planner's words for what explanations mention: facts by their labels, values as words,
conclusions by slot label and knowledge title, conditions as sentences.

The raw forms (paths, 'slot:value' keys, rule ids) stay in JSON for rule authors; this
module is only for text a planner reads. One place, so every view says it the same way.
"""

from __future__ import annotations

from typing import Any

from .. import vocabulary as v
from ..evaluation import MatchKind
from ..knowledge import cited
from ..slots import SLOTS, Conclusion

_LABELS = {f.name: f.label for f in v.FIELDS}


def word(value: Any) -> str:
    """A value as a word: unknown, yes/no, snake_case spelled out."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (tuple, list)):
        return ", ".join(word(x) for x in value) if value else "none"
    if isinstance(value, dict):
        return ", ".join(f"{fact_label(k)} {word(x)}" for k, x in value.items()) or "none"
    return str(value).replace("_", " ")


def either(values) -> str:
    words = [word(x) for x in values]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def fact_label(path: str) -> str:
    """'host_authority' -> 'host border authority'; 'host_capacity.legislative' ->
    'host capacity (legislative)'."""
    if "." in path:
        field, area = path.split(".", 1)
        base = _LABELS.get(field) or field.replace("_", " ")
        if base.lower().endswith(" by intervention area"):
            base = base[: -len(" by intervention area")]
        return f"{_lower(base)} ({area.replace('_', ' ')})"
    label = _LABELS.get(path)
    return _lower(label) if label else path.replace("_", " ")


def _lower(label: str) -> str:
    # keep acronyms (EU, UN) and proper names as written; lower only a plain first word
    first = label.split(" ", 1)[0]
    return label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]


def conclusion_title(key: str, knowledge=None) -> str:
    """'derived:monitoring_needed' -> 'monitoring needed'; 'structure:functional' ->
    'structure: functional'; catalogue values by their knowledge title."""
    slot, value = Conclusion.of_key(key).pair
    title = None
    if knowledge is not None:
        for candidate in (value, f"{slot}.{value}", f"derived.{value}"):
            entry = knowledge.get(candidate)
            if entry is not None:
                title = entry.title
                break
    title = title or value.replace("_", " ").replace("-", " ")
    if slot == "derived" or slot not in SLOTS:
        return title
    return f"{_lower(SLOTS[slot].label)}: {title}"


def condition_sentence(atom, knowledge=None) -> str:
    """One condition as a sentence with what the scenario has now, e.g.
    'host border authority is limited or absent (now: functioning)'."""
    if atom.kind == MatchKind.FACT:
        label = fact_label(atom.name)
        if atom.member is not None:
            verb = "to include" if atom.required == (True,) else "not to include"
            need = f"{label} {verb} {word(atom.member)}"
        else:
            need = f"{label} to be {either(atom.required)}"
        return f"{need} (now: {word(atom.actual)})"
    title = conclusion_title(atom.name, knowledge)
    now = "holds" if atom.actual else "does not hold"
    if atom.kind == MatchKind.CONCLUDED:
        return f"{title} to hold (now: {now})"
    return f"{title} not to hold (now: {now})"


def rule_name(title: str, sections=()) -> str:
    """A rule as a planner names it: its title and the concept sections it cites."""
    labels = ", ".join(cited(s if isinstance(s, str) else s.label for s in sections))
    return f"{title} ({labels})" if labels else title


def wrap(text: str, width: int = 28) -> str:
    """Break a label into lines of about `width` characters for a graph node."""
    lines, line = [], ""
    for w in str(text).split():
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    return "\n".join(lines + [line]) if line else ""


_OPS = (
    ("contains any", "to include one of"),
    ("contains all", "to include all of"),
    ("contains", "includes"),
    ("at least", "is at least"),
    ("at most", "is at most"),
    ("above", "is above"),
    ("below", "is below"),
    ("is", "is"),
    ("in", "is"),
)


def test_words(text: str) -> str:
    """A test as written by a rule author ('host_authority in [limited, absent]') in the
    planner's words ('host border authority is limited or absent')."""
    text = text.strip()
    if text.startswith("not (") and text.endswith(")"):
        return "not: " + test_words(text[5:-1])
    path, _, rest = text.partition(" ")
    for op, verb in _OPS:
        if rest == op or rest.startswith(op + " "):
            operand = rest[len(op) :].strip()
            written = [x.strip() for x in operand.strip("[]").split(",")] if operand.startswith("[") else [operand]
            values: list[Any] = [{"true": True, "false": False}.get(x, x) for x in written if x != ""]
            joined = either(values) if verb == "is" else ", ".join(word(x) for x in values)
            return f"{fact_label(path)} {verb} {joined}"
    return f"{fact_label(path)} {rest}".strip()


def absent_words(key: str, knowledge=None) -> str:
    """A conclusion a rule required to be absent: 'mission not supported does not hold'."""
    return f"{conclusion_title(key, knowledge)} does not hold"
