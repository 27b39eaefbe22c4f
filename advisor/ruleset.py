"""The rule base: rule files + knowledge, cross-checked, versioned and hashed."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import rulecache
from .compile import Plan, make_plan
from .conditions import Concl, atoms
from .datadirs import data_dir
from .errors import AdvisorError, Problem, RuleFileError, did_you_mean
from .knowledge import Knowledge, load_knowledge
from .rulefile import Rule, parse_rule_file
from .slots import SLOTS, Conclusion
from .yamlsrc import parse_text, read_file, yaml_files

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RULES = data_dir("rules")
DEFAULT_KNOWLEDGE = data_dir("knowledge")
MANIFEST = "ruleset.yaml"


@dataclass(frozen=True)
class RuleBase:
    name: str
    version: str
    sha256: str
    rules: tuple[Rule, ...]
    knowledge: Knowledge
    plan: Plan
    warnings: tuple[Problem, ...]
    rules_dir: str
    knowledge_dir: str

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (KeyError if none: ids come from this rule base's own plan)."""
        return self.plan.by_id[rule_id].rule

    @property
    def label(self) -> str:
        return f"{self.name} {self.version} ({self.sha256[:12]})"

    def values_of(self, slot: str) -> tuple[str, ...]:
        """The values a slot may take here: the one place that says so. Fixed by the contract
        or a catalogue's ids (slots.Slot.ids), else the names the rules conclude (derived)."""
        return SLOTS[slot].ids(self.knowledge) or self.plan.concluded_values(slot)


def rule_files(rules_dir: Path) -> list[Path]:
    return [p for p in yaml_files(rules_dir) if p.name != MANIFEST]


def content_hash(files: Iterable[Path], roots: Iterable[Path], overlay: Mapping[str, str] | None = None) -> str:
    """sha256 over each file's path (relative to its root) and bytes, in a stable order."""
    roots = list(roots)
    entries = []
    for path in files:
        rel = next((path.relative_to(r).as_posix() for r in roots if path.is_relative_to(r)), path.name)
        entries.append((rel, path.read_bytes()))
    entries += [(f"rules/{Path(name).name}", text.encode("utf-8")) for name, text in (overlay or {}).items()]
    digest = hashlib.sha256()
    for rel, data in sorted(entries):
        digest.update(f"{rel}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _manifest(rules_dir: Path, problems: list[Problem]) -> tuple[str, str]:
    path = rules_dir / MANIFEST
    if not path.exists():
        problems.append(Problem(f"no {MANIFEST}: the rule base has no version", str(path), severity="warning"))
        return rules_dir.name, "unversioned"
    doc, found = read_file(path)
    if found or doc is None:  # no document comes without a problem saying why
        problems.extend(found)
        return rules_dir.name, "unversioned"
    data = doc.data if isinstance(doc.data, dict) else {}
    version = data.get("version")
    if not isinstance(version, (str, int, float)) or isinstance(version, bool):
        problems.append(doc.problem(("version",), "ruleset.yaml needs 'version: X.Y.Z'", field="version"))
        version = "unversioned"
    return str(data.get("name", rules_dir.name)), str(version)


def _cross_check(rules: tuple[Rule, ...], knowledge: Knowledge, problems: list[Problem]) -> None:
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            first = seen[rule.id]
            problems.append(
                Problem(
                    f"duplicate rule id (first defined at {first.location})",
                    rule.file,
                    *rule.at("id"),
                    rule_id=rule.id,
                    field="id",
                )
            )
        else:
            seen[rule.id] = rule
    sections = tuple(e[1:] for e in knowledge.ids("sections"))
    produced = {c.key for r in rules for c in r.conclusions}
    read_by: dict[str, list[Rule]] = {}
    for rule in rules:
        for i, section in enumerate(rule.sections):
            if section not in sections:
                problems.append(
                    Problem(
                        f"unknown concept section '{section}'",
                        rule.file,
                        *rule.at(f"sections.{i}"),
                        rule_id=rule.id,
                        field="sections",
                        value=section,
                        allowed=sections,
                        suggestion=did_you_mean(section, sections),
                    )
                )
        for c in rule.conclusions:
            spec = SLOTS[c.slot]
            if (spec.catalogue or spec.catalogues) and c.value not in spec.ids(knowledge):
                ids = spec.ids(knowledge)
                names = "', '".join((spec.catalogue,) if spec.catalogue else spec.catalogues)
                problems.append(
                    Problem(
                        f"'{c.value}' is not an entry of the '{names}' catalogue",
                        rule.file,
                        *rule.at(f"then.{c.key}"),
                        rule_id=rule.id,
                        field=c.slot,
                        value=c.value,
                        allowed=ids,
                        suggestion=did_you_mean(c.value, ids),
                    )
                )
        for atom in atoms(rule.condition):
            if not isinstance(atom, Concl):
                continue
            read_by.setdefault(atom.key, []).append(rule)
            slot, value = Conclusion.of_key(atom.key).pair
            if slot not in SLOTS:
                problems.append(
                    Problem(
                        f"unknown conclusion slot '{slot}' in a condition",
                        rule.file,
                        *rule.at(f"reads.{atom.key}"),
                        rule_id=rule.id,
                        field=slot,
                        allowed=tuple(SLOTS),
                        suggestion=did_you_mean(slot, SLOTS),
                    )
                )
            elif atom.key not in produced:
                candidates = [c.value for c in map(Conclusion.of_key, produced) if c.slot == slot]
                problems.append(
                    Problem(
                        f"no rule concludes {slot} '{value}', so this test can never be true",
                        rule.file,
                        *rule.at(f"reads.{atom.key}"),
                        rule_id=rule.id,
                        field=slot,
                        value=value,
                        allowed=tuple(sorted(candidates)),
                        suggestion=did_you_mean(value, candidates),
                    )
                )
    for rule in rules:
        for c in rule.conclusions:
            if c.slot == "derived" and c.key not in read_by:
                problems.append(
                    Problem(
                        f"derived fact '{c.value}' is concluded but no rule reads it",
                        rule.file,
                        *rule.at(f"then.{c.key}"),
                        rule_id=rule.id,
                        field="derived",
                        value=c.value,
                        severity="warning",
                    )
                )


def _file_rules(doc, problems: list[Problem]) -> list[Rule]:
    """The rules of one file; `rules: []` is refused, an empty file would silently drop a topic."""
    data = doc.data
    if isinstance(data, dict) and data.get("rules") == []:
        problems.append(
            doc.problem(
                ("rules",),
                "a rule file must contain at least one rule ('rules' is empty); add rules or delete the file",
            )
        )
        return []
    return list(parse_rule_file(doc, problems))


def load_rulebase(
    rules_dir: str | Path = DEFAULT_RULES,
    knowledge_dir: str | Path = DEFAULT_KNOWLEDGE,
    overlay: Mapping[str, str] | None = None,
) -> RuleBase:
    """Load, check and plan a rule base; raise RuleFileError listing every error found.

    `overlay` maps a rule file name (or a path, shown as given in errors) to replacement
    text (added when new): authors try an edited file against the rest of the rule base
    without touching the files on disk. Without one, a rule base loaded before (by this
    process, or by an earlier one through the cache in advisor/rulecache.py) is not built again.
    """
    if overlay:
        return _load_rulebase(Path(rules_dir), Path(knowledge_dir), overlay)
    key = _tree_key(Path(rules_dir), Path(knowledge_dir))
    if key is None:  # unreadable or missing: the loader says what is wrong
        return _load_rulebase(Path(rules_dir), Path(knowledge_dir), None)
    if key not in _LOADED:
        if len(_LOADED) >= 8:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = _cached_or_loaded(Path(rules_dir), Path(knowledge_dir), key)
    return _LOADED[key]


# Rule bases loaded by this process, by the bytes of every YAML file of both folders: `validate`
# checks the rules and the knowledge folder as two targets of one rule base, and an edit to any
# file (content, not time stamp) makes a new key. Failed loads raise and are not kept.
_LOADED: dict[tuple, RuleBase] = {}


def _tree_key(rules_dir: Path, knowledge_dir: Path) -> tuple | None:
    digest = hashlib.sha256()
    try:
        for root in (rules_dir, knowledge_dir):
            digest.update(f"{root.resolve()}\0".encode())
            for path in yaml_files(root):  # exactly the files the loader reads, never a walk of the tree
                data = path.read_bytes()
                digest.update(f"{path.relative_to(root)}\0{len(data)}\0".encode())
                digest.update(data)
    except OSError:
        return None
    return (str(rules_dir), str(knowledge_dir), digest.hexdigest())


def _cached_or_loaded(rules_dir: Path, knowledge_dir: Path, key: tuple) -> RuleBase:
    """From the on-disk cache of earlier processes (advisor/rulecache.py), else loaded and stored."""
    directory = rulecache.cache_dir()
    if directory is None:
        return _load_rulebase(rules_dir, knowledge_dir, None)
    try:
        disk_key = rulecache.cache_key(key[2], key[0], key[1])
    except AdvisorError:  # the vocabulary itself is broken: the loader reports it, located
        disk_key = None
    if disk_key is None:
        return _load_rulebase(rules_dir, knowledge_dir, None)
    cached = rulecache.read(directory, disk_key)
    if cached is not None:
        return cached
    rulebase = _load_rulebase(rules_dir, knowledge_dir, None)  # errors raise here: never cached
    if _tree_key(rules_dir, knowledge_dir) == key:  # a file saved during the load: not stored under the old key
        rulecache.write(directory, disk_key, rulebase)
    return rulebase


def _load_rulebase(rules_dir: Path, knowledge_dir: Path, overlay: Mapping[str, str] | None) -> RuleBase:
    from . import enginelimits  # its checks run on loading only, not on reading the cache

    overlay = dict(overlay or {})
    problems: list[Problem] = []
    if not rules_dir.is_dir():
        raise RuleFileError(Problem("rules directory not found", str(rules_dir)))
    name, version = _manifest(rules_dir, problems)
    knowledge = load_knowledge(knowledge_dir, problems)
    rules: list[Rule] = []
    # An overlay key may be a path: the file it replaces is the one of the same name.
    replaced = {Path(name).name for name in overlay}
    files = [f for f in rule_files(rules_dir) if f.name not in replaced]
    if not files and not overlay:
        problems.append(Problem("no rule files (*.yaml, *.yml) in the rules directory", str(rules_dir)))
    for path in files:
        doc, found = read_file(path)
        if found:
            problems.extend(found)
            continue
        rules.extend(_file_rules(doc, problems))
    for file_name, text in sorted(overlay.items()):
        shown = file_name if len(Path(file_name).parts) > 1 else str(rules_dir / file_name)
        doc, found = parse_text(text, shown)
        if found:
            problems.extend(found)
            continue
        rules.extend(_file_rules(doc, problems))
    _cross_check(tuple(rules), knowledge, problems)
    plan = make_plan(tuple(rules), problems)
    enginelimits.check(plan, rules, problems)  # error 303 at evaluation, predicted (issue 17)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RuleFileError(errors)
    hashed = files + [rules_dir / MANIFEST] * (rules_dir / MANIFEST).exists() + [Path(f) for f in knowledge.files]
    sha = content_hash(hashed, [rules_dir.parent, knowledge_dir.parent], overlay)
    return RuleBase(
        name,
        version,
        sha,
        tuple(rules),
        knowledge,
        plan,
        tuple(p for p in problems if p.severity != "error"),
        str(rules_dir),
        str(knowledge_dir),
    )
