"""The shared rule base a team server serves, kept as numbered whole versions on disk.

Layout, under the configured data directory (ADVISOR_DATA_DIR, see db.data_dir):

    rulebase/rules -> versions/0004/rules   a symlink: the server's ADVISOR_RULES
    rulebase/versions/0004/rules/           a whole rules directory (ruleset.yaml, rule files, tests/)
    rulebase/versions/0004/published.json   who, when, action, version and sha256, before and after
    rulebase/versions/.stage-*/rules/       a publish being written and checked
    rulebase/.lock                          one publish at a time (flock)

A publish writes the new version aside, validates it (strict) and runs its rule tests, then
renames the staged folder to its number and swaps the symlink with os.replace: a crash at any
point leaves the symlink on the previous version. The served directory is always named
`rules`, so a published rule base has the same sha256 as the same files in a checkout.
Who may publish is checked by the Library (advisor/store/library.py), which calls this module.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import AdvisorError, Problem
from ..ruleset import MANIFEST, RuleBase, load_rulebase

SERVED = "rules"
META = "published.json"
MAX_FILE_BYTES = 2_000_000  # a rule file bigger than this is a mistake, not a rule base
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\.ya?ml$")


class PublishRefused(AdvisorError):
    """The draft does not validate or its rule tests fail; the rule base in service is unchanged."""


@dataclass(frozen=True)
class Published:
    """One version of the shared rule base and how it came to be."""

    number: int
    action: str  # "init", "publish" or "restore"
    version: str
    sha256: str
    previous_version: str
    previous_sha256: str
    author: str
    at: datetime
    files: tuple[str, ...]  # the rule files this version changed (relative to the rules directory)
    note: str = ""
    tests: int = 0  # rule tests run and passed

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "action": self.action,
            "version": self.version,
            "sha256": self.sha256,
            "previous_version": self.previous_version,
            "previous_sha256": self.previous_sha256,
            "author": self.author,
            "at": self.at.isoformat(),
            "files": list(self.files),
            "note": self.note,
            "tests": self.tests,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> Published:
        return cls(
            int(data["number"]),
            str(data["action"]),
            str(data["version"]),
            str(data["sha256"]),
            str(data["previous_version"]),
            str(data["previous_sha256"]),
            str(data["author"]),
            datetime.fromisoformat(str(data["at"])),
            tuple(data.get("files", ())),
            str(data.get("note", "")),
            int(data.get("tests", 0)),
        )


def default_root() -> Path:
    from .db import data_dir

    return data_dir() / "rulebase"


def bump(version: str) -> str:
    """The next version: the last number part plus one (0.1.0 -> 0.1.1), else `.1` appended."""
    head, dot, last = version.rpartition(".")
    if last.isdigit():
        return f"{head}{dot}{int(last) + 1}"
    return f"{version}.1" if version and version != "unversioned" else "1"


def check_name(name: str) -> str:
    """A rule file name a publish may write: plain, .yaml/.yml, not the manifest's directory tricks."""
    if not _NAME.match(name):
        raise PublishRefused(
            Problem(
                "a rule file name must be a plain file name ending in .yaml or .yml "
                "(letters, digits, '_', '-', '.'; no folders)",
                field="file name",
                value=name,
            )
        )
    return name


def with_version(manifest_text: str, version: str) -> str:
    """ruleset.yaml with its version line replaced (comments and other keys kept)."""
    line = f"version: {version}"
    if re.search(r"(?m)^version\s*:.*$", manifest_text):
        return re.sub(r"(?m)^version\s*:.*$", line, manifest_text, count=1)
    return manifest_text.rstrip("\n") + ("\n" if manifest_text.strip() else "") + line + "\n"


def strict_check(rules_dir: Path, knowledge_dir: Path) -> tuple[RuleBase, int]:
    """`advisor validate --strict` and `advisor test` on a rules directory; raise PublishRefused
    with every located problem, or return the rule base and the number of rule tests passed."""
    from ..authoring import ruletests
    from ..engine import check_compiles

    try:
        rb = load_rulebase(rules_dir, knowledge_dir)
        check_compiles(rb)
    except AdvisorError as err:
        raise PublishRefused(err.problems) from err
    if rb.warnings:  # strict, as `advisor validate --strict`
        raise PublishRefused(tuple(_as_error(w) for w in rb.warnings))
    problems: list[Problem] = []
    outcomes = []
    tests_dir = rules_dir / "tests"
    for path in ruletests.discover([tests_dir]) if tests_dir.is_dir() else []:
        try:
            tests = ruletests.load_tests(path, rb)
        except AdvisorError as err:
            problems += err.problems
            continue
        outcomes += [ruletests.run_test(t, rb) for t in tests]
    for o in outcomes:
        if not o.passed:
            problems.append(
                Problem(
                    f"rule test '{o.test.name}' fails: " + "; ".join(o.failures),
                    file=o.test.file,
                    line=o.test.line,
                )
            )
    if problems:
        raise PublishRefused(problems)
    return rb, len(outcomes)


def relative(err: PublishRefused, rules_dir: Path) -> PublishRefused:
    """The same problems with the staged folder's paths shown relative to the rules directory
    (hq.yaml:12, tests/headline.yaml:30): the staged folder is gone once the publish is refused."""
    from dataclasses import replace

    prefix = str(rules_dir) + os.sep

    def cut(text: str | None) -> str | None:
        return text.replace(prefix, "") if text else text

    return PublishRefused([replace(p, file=cut(p.file), message=cut(p.message) or "") for p in err.problems])


def _as_error(p: Problem) -> Problem:
    from dataclasses import replace

    return replace(p, severity="error", message=f"{p.message} (a warning; publishing is strict)")


class RuleStore:
    """Numbered versions of the shared rule base under `root`; `served` is what ADVISOR_RULES names."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else default_root()
        self.versions = self.root / "versions"
        self.served = self.root / SERVED

    # -- reading -------------------------------------------------------------------
    def current(self) -> int:
        """The number of the version in service; 0 before the first publish."""
        try:
            target = os.readlink(self.served)
        except (FileNotFoundError, OSError):
            return 0
        name = Path(target).parent.name
        return int(name) if name.isdigit() else 0

    def path(self, number: int) -> Path:
        return self.versions / f"{number:04d}" / SERVED

    def history(self) -> tuple[Published, ...]:
        """Every published version, oldest first (a folder without its record is a crashed publish)."""
        out = []
        if self.versions.is_dir():
            for folder in sorted(self.versions.iterdir()):
                meta = folder / META
                if folder.name.isdigit() and meta.is_file():
                    out.append(Published.from_json(json.loads(meta.read_text(encoding="utf-8"))))
        return tuple(out)

    def get(self, number: int) -> Published:
        for p in self.history():
            if p.number == number:
                return p
        known = [p.number for p in self.history()]
        raise AdvisorError(
            f"rule base {self.root}: there is no version {number}; "
            + (f"versions are {', '.join(map(str, known))}" if known else "nothing has been published yet")
        )

    def serves(self, rules_dir: str | Path) -> bool:
        """Whether a server reading `rules_dir` serves this store (and so picks publishes up)."""
        try:
            return Path(rules_dir).absolute() == self.served.absolute() or Path(rules_dir).resolve() == (
                self.served.resolve()
            )
        except OSError:
            return False

    # -- writing (the Library calls these, after checking the role) ----------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One publish at a time on this machine; why: the version check and the swap must not interleave."""
        self.versions.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as handle:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - not POSIX: the rename below still refuses a clash
                yield
                return
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def stage(self, base: Path | None, files: Mapping[str, str], replace: bool) -> Path:
        """A new rules directory aside: `base` copied (unless `replace`), then `files` written over it."""
        self.versions.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".stage-", dir=self.versions)) / SERVED
        if base is not None and not replace:
            # shutil.copy, not copy2: fresh mtimes, so the server's watcher sees the change
            shutil.copytree(base, staged, copy_function=shutil.copy, symlinks=False)
        else:
            staged.mkdir()
            if base is not None and (base / MANIFEST).is_file() and MANIFEST not in files:
                shutil.copy(base / MANIFEST, staged / MANIFEST)
        for rel, text in files.items():
            target = staged / rel
            if staged.resolve() not in target.resolve().parents:
                raise PublishRefused(Problem("a file to publish must stay inside the rules directory", file=rel))
            if len(text.encode("utf-8")) > MAX_FILE_BYTES:
                raise PublishRefused(Problem(f"a rule file may hold at most {MAX_FILE_BYTES} bytes", file=rel))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return staged

    def discard(self, staged: Path) -> None:
        shutil.rmtree(staged.parent, ignore_errors=True)

    def commit(self, staged: Path, meta: Published) -> None:
        """Rename the staged folder to its number, then swap the served symlink (both atomic)."""
        folder = self.versions / f"{meta.number:04d}"
        (staged.parent / META).write_text(json.dumps(meta.to_json(), indent=2) + "\n", encoding="utf-8")
        _fsync_tree(staged.parent)
        os.rename(staged.parent, folder)  # refuses when the number exists: never overwrites a version
        link = self.root / f".{SERVED}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        os.symlink(Path("versions") / folder.name / SERVED, link)
        os.replace(link, self.served)

    def sweep_stages(self) -> None:
        """Remove folders left by publishes that crashed before their rename (called under the lock)."""
        if self.versions.is_dir():
            for folder in self.versions.glob(".stage-*"):
                shutil.rmtree(folder, ignore_errors=True)

    def next_number(self) -> int:
        taken = [int(p.name) for p in self.versions.iterdir() if p.name.isdigit()] if self.versions.is_dir() else []
        return max(taken, default=0) + 1


def _fsync_tree(folder: Path) -> None:
    """Flush the staged files before the rename, so a power cut cannot leave a named but empty version."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
