"""The rule base a running app serves: reloaded when its files change, never broken.

Every page run calls `check()`. It compares a cheap fingerprint (name, size, mtime of
every rule and knowledge file) with the last one; only on a change does it load and
compile again. A failed load keeps the last good version in service and remembers the
error so the page can name it. One instance is shared by all sessions (thread-safe).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import AdvisorError
from ..ruleset import RuleBase, load_rulebase
from ..service import compiled_for
from ..yamlsrc import yaml_files

# Rewrites faster than this are coalesced: each reload compiles a whole rule base.
MIN_RELOAD_SECONDS = 0.5


@dataclass(frozen=True)
class Status:
    """What a page needs to know: the version serving, and the error of a failed reload."""

    rulebase: RuleBase | None
    error: AdvisorError | None
    reloaded: bool = False


def fingerprint(*dirs: Path) -> tuple:
    out: list[tuple] = []
    for d in dirs:
        if not d.is_dir():
            out.append((str(d), None))
            continue
        for p in yaml_files(d):
            try:
                st = p.stat()
            except FileNotFoundError:  # removed while we looked
                continue
            out.append((str(p), st.st_size, st.st_mtime_ns))
    return tuple(out)


class LiveRuleBase:
    """The rule base in service for a running app; its engine lives as long as it serves."""

    def __init__(self, rules_dir: str | Path, knowledge_dir: str | Path, min_interval: float = 0.0):
        self.min_interval = min_interval  # the server passes MIN_RELOAD_SECONDS; tests reload at once
        self.rules_dir = Path(rules_dir)
        self.knowledge_dir = Path(knowledge_dir)
        self._lock = threading.Lock()
        self._print: tuple | None = None
        self._good: RuleBase | None = None
        self._error: AdvisorError | None = None
        self._tried = float("-inf")
        self.check()

    def check(self) -> Status:
        """Reload if any file changed; return the version in service and any load error.

        The fingerprint is taken before and after loading: a file written meanwhile (a
        half-written save) leaves the last good version serving and is retried on the next
        check. It is recorded only once a stable snapshot was read, whatever the outcome, so
        a broken file warns every session instead of only the first one.
        """
        current = fingerprint(self.rules_dir, self.knowledge_dir)
        if current == self._print:
            return Status(self._good, self._error)
        # One reload at a time; other sessions keep evaluating on the version in service.
        if not self._lock.acquire(blocking=self._good is None):
            return Status(self._good, self._error)
        try:
            if current == self._print:
                return Status(self._good, self._error)
            now = time.monotonic()
            if self._good is not None and now - self._tried < self.min_interval:
                return Status(self._good, self._error)  # frequent rewrites must not starve evaluations
            self._tried = now
            error: AdvisorError | None = None
            try:
                candidate = load_rulebase(self.rules_dir, self.knowledge_dir)
                compiled_for(candidate)
            except AdvisorError as err:
                error = err
            except Exception as err:  # noqa: BLE001 - a reload must never take a session down
                error = AdvisorError(f"rule base could not be loaded: {type(err).__name__}: {err}")
            if fingerprint(self.rules_dir, self.knowledge_dir) != current:
                return Status(self._good, self._error)  # files changed while read: not a snapshot
            self._print = current
            if error is not None:
                self._error = error
                return Status(self._good, error)
            changed = self._good is not None and candidate.sha256 != self._good.sha256
            self._good, self._error = candidate, None
            return Status(candidate, None, changed)
        finally:
            self._lock.release()

    def serving(self) -> RuleBase:
        """The version in service after a check; the load error when no version ever loaded.

        For pages that show no reload warnings of their own (the Sweep page): the same
        RuleBase object, hence the same compiled engine, as every other page.
        """
        status = self.check()
        if status.rulebase is None:
            raise status.error or AdvisorError("the rule base has not been loaded")
        return status.rulebase
