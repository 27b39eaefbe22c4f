"""The compiled rule base kept on disk between processes, as JSON that reading cannot execute.

`advisor recommend` run once per file would otherwise parse ~30 YAML files, check and plan
them every time (the larger part of its start-up, issue 14). A successful load is written
to the user's cache directory under a key over everything the result depends on: the bytes
of every rule and knowledge file, the folders as given (rule ids point at `file:line`), the
vocabulary this process runs with, the loader's own source and the advisor, Python and
PyYAML versions. Reading it back builds the same frozen values the loader builds.

Never pickle or marshal: a cache file is plain JSON read back by advisor/rulecodec.py into our
own value types only, so a planted file can at worst be ignored. A file that is truncated,
not JSON, of another shape or another key, or larger than MAX_BYTES is ignored and
rebuilt. Only successful loads are cached: a rule base with errors is rebuilt and reported
with the same located problems every time.

ADVISOR_CACHE_DIR=DIR puts the cache elsewhere; ADVISOR_CACHE_DIR=off turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, rulecodec
from .rulecodec import FORMAT, Unencodable

if TYPE_CHECKING:
    from .ruleset import RuleBase

ENV = "ADVISOR_CACHE_DIR"
OFF = ("off", "none", "no", "0", "false")
MAX_BYTES = 16_000_000  # the shipped rule base writes ~340 KB; anything far larger is not ours
KEEP = 16  # cache files kept; the app writes one per saved edit of a rule file
# The modules whose code decides what a load returns: a source checkout keeps version 0.1.0
# while this code changes, so their bytes are part of the key (tests/test_startup_rulecache.py
# checks that loading imports no other advisor module).
LOADER_MODULES = (
    "__init__.py",
    "compile.py",
    "conditions/__init__.py",
    "conditions/flatten.py",
    "conditions/logic.py",
    "conditions/model.py",
    "conditions/normal.py",
    "conditions/parse.py",
    "datadirs.py",
    "decisiontable.py",
    "engine_protocol.py",
    "enginelimits.py",
    "errors.py",
    "knowledge.py",
    "rulecache.py",
    "rulecodec.py",
    "rulefile.py",
    "ruleset.py",
    "slots.py",
    "vocabulary.py",
    "yamlsrc.py",
)
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    """The folder for cache files, or None when caching is off."""
    given = os.environ.get(ENV)
    if given is not None and given.strip():
        return None if given.strip().lower() in OFF else Path(given)
    try:
        import platformdirs  # a dependency already (advisor/store/db.py); only paid when caching
    except ImportError:  # pragma: no cover - installed with the advisor; the XDG default then
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ibm-advisor"
    return Path(platformdirs.user_cache_dir("ibm-advisor", appauthor=False))


def cache_key(tree_digest: str, rules_dir: str, knowledge_dir: str) -> str | None:
    """sha256 over the files' digest (ruleset._tree_key), the folders as given, the running
    vocabulary, the loader's source and the versions that shape a load; None when the source
    cannot be read (an install without .py files): then nothing is cached."""
    import yaml

    from . import vocabulary as v

    digest = hashlib.sha256()
    vocab = v.in_service()
    for part in (
        f"format {FORMAT}",
        f"advisor {__version__}",
        f"python {sys.version}",
        f"pyyaml {yaml.__version__} libyaml {getattr(yaml, '__with_libyaml__', False)}",
        tree_digest,
        rules_dir,
        knowledge_dir,
        vocab.file,
        repr(vocab.fields),
    ):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    try:
        for name in LOADER_MODULES:
            digest.update((_PACKAGE / name).read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def read(directory: Path, key: str) -> RuleBase | None:
    """The rule base cached under `key`, or None (absent, unreadable, damaged or foreign)."""
    path = directory / f"rulebase-{key}.json"
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_BYTES:
        return None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
            return None
        return rulecodec.from_json(data["rulebase"])
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        # ValueError covers bad JSON and bad UTF-8; the others a valid JSON file of another shape.
        return None


def write(directory: Path, key: str, rulebase: RuleBase) -> None:
    """Store a rule base atomically (temporary file, then rename); any failure leaves no file."""
    try:
        body = {"format": FORMAT, "key": key, "rulebase": rulecodec.to_json(rulebase)}
        text = json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (Unencodable, ValueError, TypeError):
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".rulebase-", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, directory / f"rulebase-{key}.json")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(directory)
    except OSError:
        return  # a read-only or full disk costs speed, never a result


def _prune(directory: Path) -> None:
    files = sorted(directory.glob("rulebase-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
