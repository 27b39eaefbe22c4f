"""Safe YAML loading that remembers where every key and value came from.

PyYAML's safe loader drops positions and silently keeps the last of two equal keys;
authors need both: errors must point at a line, and a repeated key is a mistake.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .errors import Problem

Where = tuple  # a path into the document: ("rules", 3, "when", "all", 0)
# Every YAML or JSON document read whole (scenario, rule file, knowledge, upload, YAML sweep
# file): the shipped files are under 25 KB; a larger sweep is JSON Lines, streamed row by row.
MAX_DOCUMENT_CHARS = 2_000_000
MAX_DEPTH = 60
# Nodes built while walking, aliases counted at every use: a 349-byte "billion laughs"
# document expands to 10^9 nodes; the largest shipped file (knowledge/coverage.yaml) has 1,024.
MAX_NODES = 50_000
# libyaml composes ~20x faster than the pure-Python composer and its nodes keep their marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class Document:
    """Plain data plus the 1-based (line, column) of each value and mapping key."""

    data: Any
    file: str
    values: Mapping[Where, tuple[int, int]]
    keys: Mapping[Where, tuple[int, int]]

    def at(self, where: Where, key: bool = False) -> tuple[int | None, int | None]:
        """Position of a value (or of its key), falling back to the nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(where)
        while True:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            if not probe:
                return (None, None)
            probe = probe[:-1]

    def problem(self, where: Where, message: str, key: bool = False, **extra) -> Problem:
        line, column = self.at(where, key=key)
        return Problem(message, file=self.file, line=line, column=column, **extra)


class _Walker:
    def __init__(self, loader: yaml.SafeLoader, file: str):
        self.loader = loader
        self.file = file
        self.nodes = 0
        self.values: dict[Where, tuple[int, int]] = {}
        self.keys: dict[Where, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    @staticmethod
    def _pos(node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, where: Where, depth: int = 0) -> Any:
        self.values[where] = self._pos(node)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            line, col = self._pos(node)
            raise _TooBig(
                Problem(
                    f"document too large: over {MAX_NODES:,} values once aliases (*name) "
                    "are expanded; write the values out or use fewer aliases",
                    self.file,
                    line,
                    col,
                )
            )
        if depth > MAX_DEPTH:
            line, col = self._pos(node)
            self.problems.append(Problem(f"nesting too deep (more than {MAX_DEPTH} levels)", self.file, line, col))
            return None
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
            # Tags on collections would be skipped by our own walk; refuse them like the safe loader does.
            line, col = self._pos(node)
            self.problems.append(Problem(f"not valid YAML: unsupported tag '{node.tag}'", self.file, line, col))
            return None
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                before = len(self.problems)
                # Keys go through the same guarded constructor as values (`!!bool maybe: x`).
                key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if len(self.problems) > before:
                    continue
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    line, col = self._pos(key_node)
                    self.problems.append(Problem("mapping keys must be plain text", self.file, line, col))
                    continue
                if key in out:
                    line, col = self._pos(key_node)
                    self.problems.append(
                        Problem(f"key '{key}' appears twice in the same mapping", self.file, line, col)
                    )
                    continue
                self.keys[where + (key,)] = self._pos(key_node)
                out[key] = self.build(value_node, where + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, where + (i,), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # the composer makes only these three kinds
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR_TAG:
            # Most values: the safe constructor would return node.value itself; skipping its
            # dispatch halves the walk. Only a double-quoted escape can make a lone surrogate
            # (parse_text refused literal ones already).
            value = node.value
            if node.style == '"' and _has_surrogate(value):
                return self._surrogate(node)
            return value
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError:
            raise
        except Exception as err:  # noqa: BLE001 - ValueError, KeyError, ... depending on the tag
            # `!!float x`, `!!bool maybe`, `!!timestamp garbage`: the constructor raises bare errors.
            line, col = self._pos(node)
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(
                Problem(
                    f"not valid YAML: {tag} value '{_short(node.value)}' cannot be read ({type(err).__name__})",
                    self.file,
                    line,
                    col,
                )
            )
            return None
        if isinstance(value, str) and _has_surrogate(value):
            return self._surrogate(node)
        return value

    def _surrogate(self, node: yaml.Node) -> None:
        line, col = self._pos(node)
        self.problems.append(
            Problem(
                "text contains an unpaired surrogate escape (\\ud800-\\udfff); write the character itself",
                self.file,
                line,
                col,
            )
        )
        return None


class _TooBig(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _char(character: Any) -> str:
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    return f"U+{code:04X}"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _pure_error(text: str, err: yaml.MarkedYAMLError) -> yaml.MarkedYAMLError:
    """The pure-Python parser's wording of a syntax error (clearer than libyaml's, and the one
    our expected-error fixtures cite); only syntax errors are re-parsed, so the cost is rare."""
    if _Loader is yaml.SafeLoader or not isinstance(
        err, (yaml.scanner.ScannerError, yaml.parser.ParserError, yaml.composer.ComposerError)
    ):
        return err
    loader = yaml.SafeLoader(text)
    try:
        while loader.check_event():  # events only: no nodes, so no alias expansion or recursion
            loader.get_event()
    except yaml.MarkedYAMLError as pure:
        return pure
    except Exception:  # noqa: BLE001 - keep libyaml's own report
        return err
    finally:
        loader.dispose()
    return err


def parse_text(text: str, file: str) -> tuple[Document | None, tuple[Problem, ...]]:
    """Parse YAML (or JSON, a subset) text; return the document or the problems found."""
    if len(text) > MAX_DOCUMENT_CHARS:
        return None, (_too_large(len(text), file),)
    if _has_surrogate(text):
        index = next(i for i, ch in enumerate(text) if 0xD800 <= ord(ch) <= 0xDFFF)
        return None, (Problem("text contains an unpaired surrogate character", file, *_position(text, index)),)
    if file.lower().endswith(".json"):
        try:
            json.loads(text)
        except json.JSONDecodeError as err:
            return None, (Problem(f"not valid JSON: {err.msg}", file, err.lineno, err.colno),)
        except RecursionError:
            return None, (Problem(f"not valid JSON: nesting too deep (more than {MAX_DEPTH} levels)", file),)
    loader = None
    try:
        # Built inside the try: the reader refuses control characters (\x00, form feed) here.
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return Document(None, file, MappingProxyType({}), MappingProxyType({})), ()
        walker = _Walker(loader, file)
        data = walker.build(node, ())
    except yaml.MarkedYAMLError as err:
        err = _pure_error(text, err)
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        reason = err.problem or err.context or "malformed YAML"
        return None, (Problem(f"not valid YAML: {reason}", file, line, col),)
    except yaml.reader.ReaderError as err:
        index = err.position
        if isinstance(index, int) and _Loader is not yaml.SafeLoader:  # libyaml counts UTF-8 bytes
            index = len(text.encode("utf-8")[:index].decode("utf-8", "ignore"))
        line, col = _position(text, index) if isinstance(index, int) else (None, None)
        return None, (
            Problem(
                f"not valid YAML: control character {_char(err.character)} is not allowed "
                "(remove it or write it as an escape in a double-quoted string)",
                file,
                line,
                col,
            ),
        )
    except yaml.YAMLError as err:
        return None, (Problem(f"not valid YAML: {_short(err)}", file),)
    except _TooBig as err:
        return None, (err.problem,)
    except RecursionError:
        return None, (Problem(f"not valid YAML: nesting too deep (more than {MAX_DEPTH} levels)", file),)
    finally:
        if loader is not None:
            loader.dispose()
    if walker.problems:
        return None, tuple(walker.problems)
    return Document(data, file, MappingProxyType(walker.values), MappingProxyType(walker.keys)), ()


def _too_large(size: int, file: str, unit: str = "characters") -> Problem:
    return Problem(
        f"document too large: {size:,} {unit}; at most {MAX_DOCUMENT_CHARS:,} characters "
        "(a sweep of many scenarios can be a JSON Lines file, read row by row)",
        file,
    )


def read_file(path: str | Path) -> tuple[Document | None, tuple[Problem, ...]]:
    """Read and parse one file; unreadable or non-UTF-8 files become problems, not crashes."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > 4 * MAX_DOCUMENT_CHARS:  # four UTF-8 bytes at most a character: refused unread
            return None, (_too_large(size, str(path), "bytes"),)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, (Problem("file not found", str(path)),)
    except IsADirectoryError:
        return None, (Problem("is a directory, expected a file", str(path)),)
    except UnicodeDecodeError as err:
        return None, (Problem(f"not UTF-8 text (byte {err.start})", str(path)),)
    except OSError as err:
        return None, (Problem(f"cannot read: {err.strerror}", str(path)),)
    if len(text) > _MEMO_MAX_CHARS:
        return parse_text(text, str(path))
    key = (str(path), text)  # the text itself: an edited file is never served from the memo
    if key not in _PARSED:
        if len(_PARSED) >= _MEMO_FILES:
            _PARSED.pop(next(iter(_PARSED)))  # oldest first
        _PARSED[key] = parse_text(text, str(path))
    return _PARSED[key]


# Parsed files of this process, by name and text: `validate` loads the rule base once per
# target and the app reloads it on every edit; an unchanged file is parsed once. Documents are
# read-only to every caller (they build new objects from them).
_PARSED: dict[tuple[str, str], tuple[Document | None, tuple[Problem, ...]]] = {}
_MEMO_FILES = 256
_MEMO_MAX_CHARS = 1_000_000


YAML_SUFFIXES = (".yaml", ".yml")


def yaml_files(directory: Path) -> list[Path]:
    """Every YAML file of a directory, both suffixes: the loader and the watcher must see the same set."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in YAML_SUFFIXES and p.is_file())
