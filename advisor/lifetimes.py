"""What is derived from a rule-base version lives as long as that version is in use.

One policy for every per-version cache (the compiled engine, advice's rule checks, the
unknowns' readers): a value is kept while some `RuleBase` object of that version is alive
(the app's version in service, a sweep's, a Rule lab draft during its run), plus the
`KEEP` versions used last, so a draft re-loaded on every rerun is not rebuilt each time.
Anything else is dropped; a dropped engine is freed by its own finaliser once nothing else
(a sweep `Evaluator`, say) holds it either, so dropping never breaks a holder.

RuleBase objects are watched with weakref finalisers. A finaliser may run in any thread at
any allocation, even while this module holds its lock, so it only records the departure;
the next lookup settles it.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from .ruleset import RuleBase

T = TypeVar("T")
KEEP = 4  # versions kept after their last RuleBase object is gone (drafts re-loaded per rerun)


class PerVersion(Generic[T]):
    """`build(rulebase)` once per rule-base version (sha256), kept while the version is in use."""

    def __init__(self, build: Callable[[RuleBase], T], keep: int = KEEP):
        self._build = build
        self._keep = keep
        self._lock = threading.Lock()
        self._values: dict[str, T] = {}
        self._users: dict[str, int] = {}  # sha256 -> live RuleBase objects that asked
        self._watched: dict[int, str] = {}  # id(RuleBase) -> sha256, while that object lives
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._gone: list[int] = []  # ids whose RuleBase died; appended by finalisers

    def __call__(self, rulebase: RuleBase) -> T:
        sha = rulebase.sha256
        with self._lock:
            self._settle()
            if id(rulebase) not in self._watched:
                self._watched[id(rulebase)] = sha
                self._users[sha] = self._users.get(sha, 0) + 1
                weakref.finalize(rulebase, self._gone.append, id(rulebase))
            self._recent[sha] = None
            self._recent.move_to_end(sha)
            while len(self._recent) > self._keep:
                old, _ = self._recent.popitem(last=False)
                self._drop_if_unused(old)
            found = self._values.get(sha)
        if found is None:
            # Built outside the lock: compiling takes a while and must not stall other versions.
            # Two threads may build the same version at once; the first stored wins.
            built = self._build(rulebase)
            with self._lock:
                found = self._values.setdefault(sha, built)
        return found

    def _settle(self) -> None:
        while self._gone:
            sha = self._watched.pop(self._gone.pop())
            self._users[sha] -= 1
            self._drop_if_unused(sha)

    def _drop_if_unused(self, sha: str) -> None:
        if not self._users.get(sha) and sha not in self._recent:
            self._users.pop(sha, None)
            self._values.pop(sha, None)

    def versions(self) -> frozenset[str]:
        """The versions whose values are kept now (for tests and diagnostics)."""
        with self._lock:
            self._settle()
            return frozenset(self._values)


def per_version(build: Callable[[RuleBase], T]) -> PerVersion[T]:
    """Decorator form: `@per_version def checks(rulebase): ...` caches by the policy above."""
    return PerVersion(build)
