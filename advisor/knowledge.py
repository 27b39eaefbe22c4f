"""Knowledge catalogues: the concept as entries with ids, titles and § references."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import Problem, did_you_mean
from .yamlsrc import Document, read_file, yaml_files

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
SPECIAL = ("coverage",)  # catalogues whose entries are not addressable by id


@dataclass(frozen=True)
class Entry:
    id: str
    catalogue: str
    title: str
    summary: str
    sections: tuple[str, ...]
    extra: Mapping[str, Any]
    file: str
    line: int | None


@dataclass(frozen=True)
class Knowledge:
    entries: Mapping[str, Entry]  # by id, across catalogues
    catalogues: Mapping[str, tuple[str, ...]]  # catalogue -> ids in file order
    special: Mapping[str, tuple]  # e.g. coverage: raw entries with positions
    files: tuple[str, ...]

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def ids(self, catalogue: str) -> tuple[str, ...]:
        return self.catalogues.get(catalogue, ())

    def section_label(self, section_id: str) -> str:
        entry = self.entries.get(f"§{section_id}")
        return entry.extra.get("label", f"§{section_id}") if entry else f"§{section_id}"

    def section_labels(self, section_ids: Iterable[str]) -> tuple[str, ...]:
        """The labels a citation of these sections shows (see `cited`)."""
        return cited(self.section_label(s) for s in section_ids)

    def section_title(self, section_id: str) -> str:
        entry = self.entries.get(f"§{section_id}")
        return entry.title if entry else ""

    def title(self, entry_id: str) -> str:
        entry = self.entries.get(entry_id)
        return entry.title if entry else entry_id


def cited(labels: Iterable[str]) -> tuple[str, ...]:
    """Section labels as a citation shows them, in order, each once: a section cited together
    with one of its named parts is shown as the part alone ("§7 structure", not "§7, §7
    structure"), since the part says where in the section to read."""
    unique = list(dict.fromkeys(labels))
    return tuple(a for a in unique if not any(b.startswith(a + " ") for b in unique))


def _entries(doc: Document, problems: list[Problem]) -> tuple[str, list[Entry], tuple]:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("catalogue"), str):
        problems.append(doc.problem((), "a knowledge file is a mapping with 'catalogue' (its kind) and 'entries'"))
        return "", [], ()
    kind = data["catalogue"]
    raw = data.get("entries")
    if not isinstance(raw, list):
        problems.append(doc.problem(("entries",), "'entries' must be a list"))
        return kind, [], ()
    if kind in SPECIAL:
        return kind, [], tuple((item, doc, ("entries", i)) for i, item in enumerate(raw))
    out = []
    for i, item in enumerate(raw):
        where = ("entries", i)
        if not isinstance(item, dict):
            problems.append(doc.problem(where, "each entry is a mapping with id, title and sections"))
            continue
        entry_id = item.get("id")
        if not isinstance(entry_id, str) or not (ID_RE.match(entry_id) or kind == "sections"):
            problems.append(
                doc.problem(
                    where + ("id",),
                    f"entry id '{entry_id}' must be lowercase letters, digits, '.', '-' or '_'",
                    field="id",
                    value=entry_id,
                )
            )
            continue
        if not isinstance(item.get("title"), str) or not item["title"].strip():
            problems.append(doc.problem(where, f"entry '{entry_id}' needs a title", field="title"))
            continue
        sections = item.get("sections", [])
        if not isinstance(sections, list):
            problems.append(doc.problem(where + ("sections",), f"entry '{entry_id}': 'sections' must be a list"))
            continue
        key = f"§{entry_id}" if kind == "sections" else entry_id
        extra = {k: val for k, val in item.items() if k not in ("id", "title", "summary", "sections")}
        out.append(
            Entry(
                key,
                kind,
                item["title"].strip(),
                " ".join(str(item.get("summary", "")).split()),
                tuple(str(s) for s in sections),
                MappingProxyType(extra),
                doc.file,
                doc.at(where)[0],
            )
        )
    return kind, out, ()


def _facts(doc: Document, problems: list[Problem]) -> tuple:
    """Check a fact vocabulary file (knowledge/facts.yaml) like any catalogue, and that it is the one in use.

    The vocabulary is read once per process (advisor.vocabulary): scenario files are parsed
    before any rule base exists. A file that differs (edited while the app runs, or another
    knowledge directory's own) is reported, not half-used.
    """
    from . import vocabulary as v

    before = len(problems)
    fields = v.check_facts(doc, problems)
    if len(problems) > before or not fields:
        return ()
    running = v.in_service(v.Vocabulary(fields, doc.file))
    if fields != running.fields:
        old, new = running.by_name, {f.name: f for f in fields}
        name = next((f.name for f in fields if old.get(f.name) != f), None) or next(n for n in old if n not in new)
        index = next((i for i, f in enumerate(fields) if f.name == name), None)
        where = ("entries", index) if index is not None else ()
        problems.append(
            doc.problem(
                where,
                f"fact '{name}' differs from the vocabulary the advisor started with "
                f"({running.file}); the vocabulary is read once at start-up: restart the "
                "advisor to use this one",
                field=name,
            )
        )
        return ()
    return fields


def _areas_match(
    facts: tuple, entries: Mapping[str, Entry], catalogues: Mapping[str, list[str]], problems: list[Problem]
) -> None:
    """The `areas` catalogue describes exactly the keys of the mapping fact (host_capacity)."""
    keys = next((f.keys for f in facts if f.kind == "mapping"), ())
    areas = tuple(catalogues.get("areas", ()))
    if areas and keys and set(areas) != set(keys):
        first = entries[areas[0]]
        missing, extra = sorted(set(keys) - set(areas)), sorted(set(areas) - set(keys))
        problems.append(
            Problem(
                "the areas catalogue must list exactly the keys of the mapping fact in "
                f"facts.yaml; missing: {', '.join(missing) or '-'}; not a key: "
                f"{', '.join(extra) or '-'}",
                first.file,
                first.line,
                allowed=keys,
            )
        )


def load_knowledge(directory: str | Path, problems: list[Problem]) -> Knowledge:
    """Load every *.yaml catalogue of a directory; problems are appended, never raised."""
    directory = Path(directory)
    files = yaml_files(directory)
    if not directory.is_dir():
        problems.append(Problem("knowledge directory not found", str(directory)))
    entries: dict[str, Entry] = {}
    catalogues: dict[str, list[str]] = {}
    special: dict[str, list] = {}
    facts: tuple = ()
    for path in files:
        doc, found = read_file(path)
        if found or doc is None:
            problems.extend(found)
            continue
        if isinstance(doc.data, dict) and doc.data.get("catalogue") == "facts":
            facts = _facts(doc, problems)
            continue
        kind, items, raw = _entries(doc, problems)
        if raw:
            special.setdefault(kind, []).extend(raw)
        for entry in items:
            if entry.id in entries:
                first = entries[entry.id]
                problems.append(
                    Problem(
                        f"knowledge id '{entry.id}' already defined at {first.file}:{first.line}",
                        entry.file,
                        entry.line,
                        field="id",
                        value=entry.id,
                    )
                )
                continue
            entries[entry.id] = entry
            catalogues.setdefault(kind, []).append(entry.id)
    # Every § cited by a catalogue entry must be a known section.
    known_sections = {e.id[1:] for e in entries.values() if e.catalogue == "sections"}
    for entry in entries.values():
        for section in entry.sections:
            if section not in known_sections:
                problems.append(
                    Problem(
                        f"entry '{entry.id}' cites unknown section '{section}'",
                        entry.file,
                        entry.line,
                        field="sections",
                        value=section,
                        allowed=tuple(sorted(known_sections)),
                        suggestion=did_you_mean(section, known_sections),
                    )
                )
    if facts:
        _areas_match(facts, entries, catalogues, problems)
    return Knowledge(
        MappingProxyType(entries),
        MappingProxyType({k: tuple(v) for k, v in catalogues.items()}),
        MappingProxyType({k: tuple(v) for k, v in special.items()}),
        tuple(str(f) for f in files),
    )
