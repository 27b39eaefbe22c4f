"""The scenario fact vocabulary of the contract (§1), read from knowledge/facts.yaml.

Every fact a rule may test is a *path*: a top-level field (`host_authority`) or a
capacity area (`host_capacity.legislative`). Each path has a finite domain, so any
test on it normalises to "value in a subset of the domain".

Planners own the vocabulary as data: adding a value or a field is an edit of
knowledge/facts.yaml, checked here with located problems. It is read once per process,
on first use (not at import: commands that never touch a scenario do not pay for it),
and the names below (FIELDS, PATHS, AREAS, ...) stay the module's public face.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path as FilePath
from types import MappingProxyType
from typing import Any

from .datadirs import data_dir
from .errors import AdvisorError, Problem, did_you_mean
from .yamlsrc import Document, read_file

CHOICE = "choice"  # one value from a list (ordered when `ordinal`)
BOOL = "bool"
LIST = "list"  # a subset of a list of values
TEXT = "text"  # free text, never tested by rules
MAX_TEXT = 200  # characters of a free-text field: a name is shown in every page and document
MAPPING = "mapping"  # host_capacity: area -> capacity level
KINDS = (CHOICE, BOOL, LIST, TEXT, MAPPING)
LOW_HIGH = ("low", "medium", "high")  # the words of the scale several facts share (an alias in facts.yaml)

FACTS_FILE = data_dir("knowledge") / "facts.yaml"
CATALOGUE = "facts"
# A fact name becomes an engine key; '__' joins paths and list members there (conditions.LEAF_SEP).
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
KEYS = ("id", "kind", "values", "keys", "ordinal", "section", "label", "help")
RESERVED = ("unknown",)  # scenario files write `unknown` for a fact they leave open


@dataclass(frozen=True)
class Field:
    """One scenario field: its kind, its values in order, and the concept section."""

    name: str
    kind: str
    values: tuple[str, ...] = ()
    ordinal: bool = False
    section: str = ""
    label: str = ""
    help: str = ""
    keys: tuple[str, ...] = ()  # a mapping field's keys (host_capacity: the intervention areas)


@dataclass(frozen=True)
class Path:
    """A testable fact: a field, or one area of a mapping field, with its domain."""

    name: str  # "host_authority" or "host_capacity.legislative"
    field: Field
    domain: tuple[object, ...]

    @property
    def ordinal(self) -> bool:
        return self.field.ordinal and self.field.kind in (CHOICE, MAPPING)


@dataclass(frozen=True)
class Vocabulary:
    """The fields of one facts file and the paths rules test."""

    fields: tuple[Field, ...]
    file: str

    @property
    def by_name(self) -> Mapping[str, Field]:
        return MappingProxyType({f.name: f for f in self.fields})

    @property
    def areas(self) -> tuple[str, ...]:
        return next((f.keys for f in self.fields if f.kind == MAPPING), ())

    def paths(self) -> Mapping[str, Path]:
        paths: dict[str, Path] = {}
        for f in self.fields:
            if f.kind == TEXT:
                continue
            if f.kind == MAPPING:
                for area in f.keys:
                    paths[f"{f.name}.{area}"] = Path(f"{f.name}.{area}", f, f.values)
            elif f.kind == BOOL:
                paths[f.name] = Path(f.name, f, (False, True))
            else:
                paths[f.name] = Path(f.name, f, f.values)
        return MappingProxyType(paths)


# ---------------------------------------------------------------- reading and checking


def _names(doc: Document, where: tuple, raw: Any, what: str, problems: list[Problem]) -> tuple[str, ...] | None:
    """A non-empty list of distinct snake_case names (values or keys of one fact)."""
    if not isinstance(raw, list) or not raw:
        problems.append(
            doc.problem(where, f"'{what}' takes a non-empty list of names, e.g. [low, medium, high]", field=what)
        )
        return None
    seen: list[str] = []
    for i, name in enumerate(raw):
        if not isinstance(name, str):
            # YAML 1.1 reads yes/no/on/off as booleans and null as nothing: the author meant a word.
            shown = str(name).lower() if isinstance(name, bool) or name is None else repr(name)
            problems.append(
                doc.problem(
                    where + (i,),
                    f"YAML reads entry {i + 1} of '{what}' as {shown}, not a "
                    "name: put words such as yes, no, on, off or null in quotes ('no')",
                    field=what,
                    value=name,
                )
            )
        elif not NAME_RE.match(name) or name in RESERVED:
            why = (
                "is reserved for an unknown fact"
                if name in RESERVED
                else "must be snake_case (lowercase letters, digits, single underscores)"
            )
            problems.append(doc.problem(where + (i,), f"'{name}' in '{what}' {why}", field=what, value=name))
        elif name in seen:
            problems.append(doc.problem(where + (i,), f"'{name}' appears twice in '{what}'", field=what, value=name))
        else:
            seen.append(name)
            continue
        return None
    return tuple(seen)


def _text(
    doc: Document, where: tuple, item: dict, key: str, name: str, problems: list[Problem], required: bool = False
) -> str | None:
    value = item.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(doc.problem(where + (key,), f"fact '{name}' needs '{key}' as text", field=key, value=value))
        return None
    return " ".join(value.split())


def _kind_parts(
    doc: Document, where: tuple, item: dict, name: str, kind: str, problems: list[Problem]
) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
    """values, keys and ordinal, as the kind allows them."""
    needs_values = kind in (CHOICE, LIST, MAPPING)
    for key, wanted, what in (
        ("values", needs_values, "choice, list and mapping facts"),
        ("keys", kind == MAPPING, "mapping facts"),
        ("ordinal", kind in (CHOICE, MAPPING), "choice and mapping facts"),
    ):
        if key in item and not wanted:
            problems.append(
                doc.problem(
                    where + (key,), f"fact '{name}' is a {kind}: '{key}' applies only to {what}", key=True, field=key
                )
            )
            return None
        if key not in item and wanted and key != "ordinal":
            problems.append(doc.problem(where, f"{kind} fact '{name}' needs '{key}'", field=key))
            return None
    values = _names(doc, where + ("values",), item["values"], "values", problems) if needs_values else ()
    keys = _names(doc, where + ("keys",), item["keys"], "keys", problems) if kind == MAPPING else ()
    ordinal = item.get("ordinal", False)
    if not isinstance(ordinal, bool):
        problems.append(
            doc.problem(
                where + ("ordinal",),
                f"fact '{name}': 'ordinal' is true or false",
                field="ordinal",
                value=ordinal,
                allowed=("true", "false"),
            )
        )
        return None
    if values is None or keys is None:
        return None
    return values, keys, ordinal


def _fact(doc: Document, item: Any, where: tuple, problems: list[Problem]) -> Field | None:
    if not isinstance(item, dict):
        problems.append(
            doc.problem(
                where,
                "each fact is a mapping with id, kind, label and, for choice, list and mapping facts, values",
                allowed=KEYS,
            )
        )
        return None
    name = item.get("id")
    if not isinstance(name, str) or not NAME_RE.match(name):
        problems.append(
            doc.problem(
                where + ("id",),
                f"fact id '{name}' must be snake_case (lowercase letters, digits, single underscores)",
                field="id",
                value=name,
            )
        )
        return None
    for key in item:
        if key not in KEYS:
            problems.append(
                doc.problem(
                    where + (key,),
                    f"fact '{name}': unknown key '{key}'",
                    key=True,
                    field=str(key),
                    allowed=KEYS,
                    suggestion=did_you_mean(str(key), KEYS),
                )
            )
            return None
    kind = item.get("kind")
    if kind not in KINDS:
        problems.append(
            doc.problem(
                where + ("kind",),
                f"fact '{name}': unknown kind '{kind}'",
                field="kind",
                value=kind,
                allowed=KINDS,
                suggestion=did_you_mean(str(kind), KINDS),
            )
        )
        return None
    parts = _kind_parts(doc, where, item, name, kind, problems)
    texts = [
        _text(doc, where, item, key, name, problems, required=key == "label") for key in ("section", "label", "help")
    ]
    if parts is None or any(t is None for t in texts):
        return None
    values, keys, ordinal = parts
    section, label, help_text = texts
    return Field(name, kind, values, ordinal, section or "", label or "", help_text or "", keys)


def check_facts(doc: Document, problems: list[Problem]) -> tuple[Field, ...]:
    """The fields of a facts document; every mistake becomes a located problem (nothing raised)."""
    data = doc.data
    if not isinstance(data, dict) or data.get("catalogue") != CATALOGUE or not isinstance(data.get("entries"), list):
        problems.append(
            doc.problem((), "the fact vocabulary is a mapping with 'catalogue: facts' and 'entries' (a list of facts)")
        )
        return ()
    fields: list[Field] = []
    first: dict[str, int | None] = {}
    before = len(problems)
    for i, item in enumerate(data["entries"]):
        field = _fact(doc, item, ("entries", i), problems)
        if field is None:
            continue
        if field.name in first:
            problems.append(
                doc.problem(
                    ("entries", i, "id"),
                    f"fact '{field.name}' already defined at {doc.file}:{first[field.name]}",
                    field="id",
                    value=field.name,
                )
            )
            continue
        first[field.name] = doc.at(("entries", i))[0]
        fields.append(field)
    mappings = {f.keys for f in fields if f.kind == MAPPING}
    if len(mappings) > 1:
        # Scenario checking and the app read one set of intervention areas (v.AREAS).
        problems.append(
            doc.problem(
                ("entries",), f"all mapping facts must share the same keys (found {len(mappings)} different sets)"
            )
        )
    return tuple(fields) if len(problems) == before else ()


def read_vocabulary(path: str | FilePath = FACTS_FILE) -> Vocabulary:
    """Read and check a facts file; raise AdvisorError with every located problem."""
    doc, problems = read_file(path)
    found = list(problems)
    fields = check_facts(doc, found) if doc is not None else ()
    if found:
        raise AdvisorError(found)
    return Vocabulary(fields, str(path))


# ---------------------------------------------------------------- the vocabulary in service

FIELDS: tuple[Field, ...]
FIELDS_BY_NAME: Mapping[str, Field]
PATHS: Mapping[str, Path]
AREAS: tuple[str, ...]
CAPACITY: tuple[str, ...]  # the levels of host_capacity, lowest first
_SERVED = ("FIELDS", "FIELDS_BY_NAME", "PATHS", "AREAS", "CAPACITY")
_current: Vocabulary | None = None


def in_service(candidate: Vocabulary | None = None) -> Vocabulary:
    """The vocabulary this process runs with: knowledge/facts.yaml, read on first use.

    A `candidate` already read from that same file (the knowledge loader checks it) is
    taken as the first use, so the file is not parsed twice.
    """
    global _current
    if _current is None:
        if candidate is not None and FilePath(candidate.file).resolve() == FilePath(FACTS_FILE).resolve():
            _current = candidate
        else:
            _current = read_vocabulary(FACTS_FILE)
    return _current


def _serve(name: str) -> Any:
    vocab = in_service()
    mapping = next((f for f in vocab.fields if f.kind == MAPPING), None)
    served = {
        "FIELDS": vocab.fields,
        "FIELDS_BY_NAME": vocab.by_name,
        "PATHS": vocab.paths(),
        "AREAS": vocab.areas,
        "CAPACITY": mapping.values if mapping else (),
    }
    globals().update(served)  # later look-ups find plain module attributes
    return served[name]


def __getattr__(name: str) -> Any:
    # PEP 562: `v.PATHS` and `from advisor.vocabulary import PATHS` load the file once, here.
    if name in _SERVED:
        return _serve(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def field_names() -> tuple[str, ...]:
    return tuple(in_service().by_name)
