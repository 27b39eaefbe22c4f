"""JSON Schemas (draft 2020-12) for rule files and scenario files, generated from the vocabulary.

Editors (VS Code's YAML extension, JetBrains) use them to autocomplete fact names and
values and to flag mistakes as the author types; `advisor validate` stays the authority
(it also checks what a schema cannot: ids across files, derived facts, sections).
"""

from __future__ import annotations

from .. import vocabulary as v
from ..knowledge import Knowledge
from ..rulefile import ID_RE, NAME_RE, TIERS
from ..slots import SLOTS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
UNKNOWN = {"enum": [None, "unknown"]}


def _value_schema(path: v.Path) -> dict:
    if path.field.kind == v.BOOL:
        return {"type": "boolean"}
    values = list(path.field.values)
    return {"enum": values}


def _fact_test(name: str, path: v.Path) -> dict:
    value = _value_schema(path)
    props: dict = {"fact": {"const": name}}
    if path.field.kind == v.LIST:
        member = {"enum": list(path.field.values)}
        props |= {
            "contains": member,
            "contains_any": {"type": "array", "items": member, "minItems": 1},
            "contains_all": {"type": "array", "items": member, "minItems": 1},
        }
    else:
        props |= {"is": value, "in": {"type": "array", "items": value, "minItems": 1}}
        if path.ordinal:
            props |= {op: value for op in ("at_least", "at_most", "above", "below")}
    ops = [k for k in props if k != "fact"]
    return {
        "type": "object",
        "properties": props,
        "required": ["fact"],
        "additionalProperties": False,
        "minProperties": 2,
        "maxProperties": 2,
        "description": path.field.label or name,
        "oneOf": [{"required": [op]} for op in ops],
    }


def _conclusion(slot: str, knowledge: Knowledge | None) -> dict:
    spec = SLOTS[slot]
    values = list(spec.values) or (list(spec.ids(knowledge)) if knowledge else [])
    value = (
        {"enum": values}
        if values
        else {"type": "string", "pattern": NAME_RE.pattern if slot == "derived" else ID_RE.pattern}
    )
    return {
        "type": "object",
        "properties": {slot: value},
        "required": [slot],
        "additionalProperties": False,
        "description": spec.label,
    }


def rules_schema(knowledge: Knowledge | None = None, vocabulary: v.Vocabulary | None = None) -> dict:
    """Schema of a rule file; with a knowledge base, catalogue ids (partners, ...) and sections are
    enumerated. Facts and their values come from the vocabulary (knowledge/facts.yaml by default)."""
    paths = (vocabulary or v.in_service()).paths()
    sections = [e[1:] for e in knowledge.ids("sections")] if knowledge else []
    concluded = {
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "propertyNames": {"enum": list(SLOTS)},
        "additionalProperties": {"type": "string"},
    }
    return {
        "$schema": DRAFT,
        "$id": "https://ibm-advisor.example/schemas/rules.json",
        "title": "IBM Mission Design Advisor rule file",
        "type": "object",
        "properties": {
            "topic": {"type": "string"},
            "description": {"type": "string"},
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
            **_table_properties(),
        },
        "anyOf": [{"required": ["rules"]}, {"required": ["decide", "rows"]}],
        "additionalProperties": False,
        "$defs": {
            "rule": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "pattern": ID_RE.pattern},
                    "title": {"type": "string", "minLength": 1},
                    "when": {"$ref": "#/$defs/condition"},
                    "then": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/conclusion"}},
                    "rationale": {"type": "string", "minLength": 1},
                    "sections": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"enum": sections} if sections else {"type": "string"},
                    },
                    "priority": {"anyOf": [{"type": "integer"}, {"enum": list(TIERS)}]},
                },
                "required": ["id", "title", "when", "then", "rationale", "sections"],
                "additionalProperties": False,
            },
            "row": _row(knowledge),
            "condition": {
                "anyOf": [
                    {
                        "type": "object",
                        "properties": {"all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}},
                        "required": ["all"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {"any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}},
                        "required": ["any"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {"not": {"$ref": "#/$defs/condition"}},
                        "required": ["not"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {"derived": {"type": "string", "pattern": NAME_RE.pattern}},
                        "required": ["derived"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {"concluded": concluded},
                        "required": ["concluded"],
                        "additionalProperties": False,
                    },
                    {"$ref": "#/$defs/fact_test"},
                ]
            },
            "fact_test": {"anyOf": [_fact_test(name, path) for name, path in paths.items()]},
            "conclusion": {"anyOf": [_conclusion(slot, knowledge) for slot in SLOTS]},
        },
    }


def _table_properties() -> dict:
    """A decision table (advisor/decisiontable.py): the slot it decides and its rows in order."""
    return {
        "decide": {"enum": [name for name, spec in SLOTS.items() if spec.single]},
        "rows": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/row"}},
    }


def _row(knowledge: Knowledge | None) -> dict:
    """A row: a rule without priority (its place is its priority), its value under the slot's name."""
    one_value = [name for name, spec in SLOTS.items() if spec.single]
    values = {name: _conclusion(name, knowledge)["properties"][name] for name in one_value}
    return {
        "type": "object",
        "properties": {
            "id": {"type": "string", "pattern": ID_RE.pattern},
            "title": {"type": "string", "minLength": 1},
            "when": {"$ref": "#/$defs/condition"},
            "then": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/conclusion"}},
            "rationale": {"type": "string", "minLength": 1},
            "sections": {"type": "array", "minItems": 1},
            **values,
        },
        "required": ["id", "title", "when", "rationale", "sections"],
        "minProperties": 6,
        "additionalProperties": False,
    }


def scenario_schema(vocabulary: v.Vocabulary | None = None) -> dict:
    """Schema of a scenario file: one property per field of the vocabulary, `unknown` allowed."""
    vocab = vocabulary or v.in_service()
    props: dict = {}
    for f in vocab.fields:
        doc = {"description": " ".join(x for x in (f.label, f.help, f.section) if x)}
        if f.kind == v.TEXT:
            props[f.name] = {"type": "string", "maxLength": v.MAX_TEXT} | doc
        elif f.kind == v.BOOL:
            props[f.name] = {"anyOf": [{"type": "boolean"}, UNKNOWN]} | doc
        elif f.kind == v.CHOICE:
            props[f.name] = {"anyOf": [{"enum": list(f.values)}, UNKNOWN]} | doc
        elif f.kind == v.LIST:
            props[f.name] = {
                "anyOf": [{"type": "array", "items": {"enum": list(f.values)}, "uniqueItems": True}, UNKNOWN]
            } | doc
        else:
            level = {"anyOf": [{"enum": list(f.values)}, UNKNOWN]}
            props[f.name] = {
                "anyOf": [
                    {"type": "object", "properties": {a: level for a in f.keys}, "additionalProperties": False},
                    UNKNOWN,
                ]
            } | doc
    return {
        "$schema": DRAFT,
        "$id": "https://ibm-advisor.example/schemas/scenario.json",
        "title": "IBM Mission Design Advisor scenario",
        "type": "object",
        "properties": props,
        "additionalProperties": False,
    }
