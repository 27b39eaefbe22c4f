"""Evaluate many scenarios, in this process or across worker processes.

The durable-rules C engine never releases the GIL, so parallelism means processes. Each
worker loads and compiles the rule base once (pool initializer) and checks it has the
same sha256 as the parent's: results are identical to a serial run, in input order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from .. import enginethread
from ..errors import AdvisorError, EngineError, Problem
from ..ruleset import RuleBase, load_rulebase
from ..scenario import Scenario, from_mapping
from .grid import Grid
from .outcome import Evaluator

# Below this many scenarios a pool's start-up (~0.5 s a worker) costs more than it saves.
AUTO_PARALLEL_MIN = 4_000
# Distinct picks remembered within one piece (a row is ~1 kB): bounded memory on all-distinct input.
PICKS_LIMIT = 20_000


@dataclass(frozen=True)
class Piece:
    """A contiguous run of the input: a grid range, or scenarios as plain data."""

    start: int
    stop: int
    grid: Grid | None = None
    rows: tuple[tuple[dict, str], ...] = ()  # (contract data, source) when not a grid

    def scenarios(self):
        if self.grid is not None:
            return self.grid.scenarios(self.start, self.stop)
        return (from_mapping(data, source) for data, source in self.rows)

    def evaluate(self, evaluator: Evaluator) -> list[tuple]:
        """The piece's rows (outcome.COLUMNS), in order.

        In a grid or sample a scenario's facts are set by its picks (one value per axis) and
        the base, so two indexes with the same picks differ only in name: the row is built
        once per distinct picks and reused with the name changed. This skips building and
        validating the scenario, which in a sample of a few varied facts is most of the cost.
        """
        # The whole loop on the engine thread: one hand-over per piece, not per scenario.
        return enginethread.run(self._evaluate, evaluator)

    def _evaluate(self, evaluator: Evaluator) -> list[tuple]:
        grid = self.grid
        if grid is None:
            return [evaluator.row(s) for s in self.scenarios()]
        seen: dict[tuple[int, ...], tuple] = {}
        out = []
        for i in range(self.start, self.stop):
            picks = grid.picks(i)
            rest = seen.get(picks)
            if rest is None:
                row = evaluator.row(grid.scenario(i))
                if len(seen) >= PICKS_LIMIT:
                    seen.clear()
                seen[picks] = rest = row[1:]
                out.append(row)
            else:
                out.append((grid.scenario_name(i),) + rest)
        return out


def cores() -> int:
    """CPUs this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def pieces(source: Grid | Sequence[Scenario], size: int) -> list[Piece]:
    total = len(source)
    out = []
    for start in range(0, total, size):
        stop = min(start + size, total)
        if isinstance(source, Grid):
            out.append(Piece(start, stop, grid=source))
        else:
            out.append(Piece(start, stop, rows=tuple((s.to_dict(), s.source) for s in source[start:stop])))
    return out


def chunk_size(total: int, jobs: int) -> int:
    """Enough pieces to balance load and report progress, few enough to keep overhead low."""
    return max(1, min(1_000, -(-total // (jobs * 16))))


def sweep_rows(
    source: Grid | Sequence[Scenario],
    rulebase: RuleBase,
    jobs: int | None = 1,
    on_progress: Callable[[int], None] | None = None,
    unknowns: bool = False,
    dask=None,
    on_dashboard: Callable[[str], None] | None = None,
) -> list[tuple]:
    """One row per scenario (outcome.COLUMNS), in input order.

    jobs=1 runs here; jobs>1 uses that many processes; None decides from the input size.
    dask='local[:N]', a scheduler address or a cluster.Target runs the pieces on Dask
    instead (cluster.py); on_dashboard then gets the scheduler's dashboard address, if any.
    """
    total = len(source)
    if dask is not None:
        from .cluster import Target, parse_target, run_pieces

        target = dask if isinstance(dask, Target) else parse_target(dask, jobs or cores())
        workers = target.workers or 8  # a remote cluster's size is unknown here; 8 balances well enough
        return run_pieces(
            pieces(source, chunk_size(total, workers)),
            rulebase,
            target,
            on_progress,
            unknowns,
            on_dashboard=on_dashboard,
        )
    if jobs is None:
        jobs = cores() if total >= AUTO_PARALLEL_MIN else 1
    if jobs < 1:
        raise AdvisorError(Problem(f"--jobs must be at least 1, not {jobs}", field="jobs"))
    jobs = min(jobs, max(1, total))
    size = chunk_size(total, jobs)
    if jobs == 1:
        evaluator = Evaluator(rulebase, unknowns)
        rows: list[tuple] = []
        for start in range(0, total, size):
            stop = min(start + size, total)
            if isinstance(source, Grid):
                rows += Piece(start, stop, grid=source).evaluate(evaluator)
            else:
                rows += [evaluator.row(s) for s in source[start:stop]]
            if on_progress:
                on_progress(stop - start)
        return rows
    return _parallel(pieces(source, size), rulebase, jobs, on_progress, unknowns)


def _parallel(work: list[Piece], rulebase: RuleBase, jobs: int, on_progress, unknowns: bool) -> list[tuple]:
    # spawn, not fork: the parent may hold durable-rules state or (in Streamlit) threads,
    # neither of which survives a fork safely.
    context = multiprocessing.get_context("spawn")
    results: list[list[tuple] | None] = [None] * len(work)
    with ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_init,
        initargs=(rulebase.rules_dir, rulebase.knowledge_dir, rulebase.sha256, unknowns),
    ) as pool:
        futures = {pool.submit(_run_piece, piece): i for i, piece in enumerate(work)}

        def keep(i, result):
            results[i] = result

        _collect(futures, lambda i: work[i], keep, on_progress)
    return [row for part in results for row in part or ()]  # every part is kept by now


def _collect(futures: dict, piece_of, keep, on_progress) -> None:
    """Gather pool results as they finish; a dead worker is a clear error, anything else cancels the rest."""
    try:
        for future in as_completed(futures):
            tag = futures[future]
            keep(tag, future.result())
            if on_progress:
                piece = piece_of(tag)
                on_progress(piece.stop - piece.start)
    except BrokenProcessPool as err:
        raise EngineError(f"a worker process died ({err}); run again with --jobs 1 to see why") from err
    except BaseException:
        for future in futures:
            future.cancel()
        raise


def pool_write(
    work: list[Piece], indexes: list[int], rulebase: RuleBase, jobs: int, folder: str, on_progress, unknowns: bool
) -> list[dict]:
    """Each worker evaluates a partition and writes it itself (dataset.py); summaries come back."""
    context = multiprocessing.get_context("spawn")
    out: list[dict] = []
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(work)),
        mp_context=context,
        initializer=_init,
        initargs=(rulebase.rules_dir, rulebase.knowledge_dir, rulebase.sha256, unknowns),
    ) as pool:
        futures = {pool.submit(_write_piece, piece, folder, i): piece for piece, i in zip(work, indexes)}
        _collect(futures, lambda piece: piece, lambda _piece, result: out.append(result), on_progress)
    return out


_worker: dict[str, Any] = {}


def _init(rules_dir: str, knowledge_dir: str, sha256: str, unknowns: bool) -> None:
    """Worker start: load and compile the rule base once; remember a failure to report it."""
    try:
        rulebase = load_rulebase(rules_dir, knowledge_dir)
        if rulebase.sha256 != sha256:
            raise EngineError(
                Problem(
                    "the rule base changed on disk (or was edited in memory) since the sweep "
                    "started; run again, or use one job",
                    rules_dir,
                )
            )
        _worker["evaluator"] = Evaluator(rulebase, unknowns)
    except AdvisorError as err:
        _worker["error"] = str(err)


def _run_piece(piece: Piece) -> list[tuple]:
    if "error" in _worker:
        raise EngineError(_worker["error"])
    return piece.evaluate(_worker["evaluator"])


def _write_piece(piece: Piece, folder: str, index: int) -> dict:
    from .dataset import write_part

    if "error" in _worker:
        raise EngineError(_worker["error"])
    return write_part(_worker["evaluator"], piece, folder, index)
