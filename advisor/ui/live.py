"""The rule base a running app serves: reloaded when its files change, never broken.

Every page run calls `check()`. It compares a cheap fingerprint (name, size, mtime of
every rule and knowledge file) with the last one; only on a change does it load and
compile again. A failed load keeps the last good version in service and remembers the
error so the page can name it. One instance is shared by all sessions (thread-safe).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import AdvisorError
from ..ruleset import RuleBase, load_rulebase
from ..service import compiled_for


@dataclass(frozen=True)
class Status:
    """What a page needs to know: the version serving, and the error of a failed reload."""

    rulebase: RuleBase | None
    error: AdvisorError | None
    reloaded: bool = False


def fingerprint(*dirs: Path) -> tuple:
    out = []
    for d in dirs:
        if not d.is_dir():
            out.append((str(d), None))
            continue
        for p in sorted(d.glob("*.yaml")):
            try:
                st = p.stat()
            except FileNotFoundError:  # removed while we looked
                continue
            out.append((str(p), st.st_size, st.st_mtime_ns))
    return tuple(out)


class LiveRuleBase:
    def __init__(self, rules_dir: str | Path, knowledge_dir: str | Path):
        self.rules_dir = Path(rules_dir)
        self.knowledge_dir = Path(knowledge_dir)
        self._lock = threading.Lock()
        self._print: tuple | None = None
        self._good: RuleBase | None = None
        self._error: AdvisorError | None = None
        self.check()

    def check(self) -> Status:
        """Reload if any file changed; return the version in service and any load error."""
        current = fingerprint(self.rules_dir, self.knowledge_dir)
        with self._lock:
            if current == self._print:
                return Status(self._good, self._error)
            self._print = current
            try:
                candidate = load_rulebase(self.rules_dir, self.knowledge_dir)
                compiled_for(candidate)
            except AdvisorError as err:
                self._error = err
                return Status(self._good, err)
            changed = self._good is not None and candidate.sha256 != self._good.sha256
            self._good, self._error = candidate, None
            return Status(candidate, None, changed)
