"""A sweep written as a partitioned Parquet dataset folder, one partition at a time.

The folder opens as one table in pandas (`pd.read_parquet(folder)`), Dask
(`dd.read_parquet(folder)`) and DuckDB (`'folder/*.parquet'`). Each partition is
evaluated and written by whoever evaluates it (this process, a pool worker or a Dask
worker), so no process ever holds more than one partition's rows; the driver keeps only
the summary counts. Commit protocol: `_manifest.json` (what the run is) is written first;
a partition is written to a dot-named temporary file, its summary beside it, then renamed
to `part-NNNNN.parquet` — the rename is the commit, so a file with the final name is
complete. Readers skip names starting with `.` or `_`. `--resume` re-runs only the
partitions without a final file, after checking the manifest describes the same run.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import AdvisorError, Problem
from ..scenario import Scenario
from .grid import Grid

MANIFEST = "_manifest.json"
FORMAT = "advisor-sweep-dataset/1"
PART_SIZE = 50_000


def is_dataset_target(output: str) -> bool:
    """An -o without a file extension (or ending in '/') names a dataset folder."""
    return output.endswith(("/", os.sep)) or not Path(output).suffix or Path(output).is_dir()


def part_name(i: int) -> str:
    return f"part-{i:05d}.parquet"


def fingerprint(source: Grid | Sequence[Scenario]) -> str:
    """Identity of the input, so --resume refuses to finish a different run."""
    h = hashlib.sha256()
    if isinstance(source, Grid):
        h.update(
            json.dumps(
                [
                    "grid",
                    dict(source.base),
                    [(a.path, list(a.values)) for a in source.axes],
                    source.name,
                    getattr(source, "n", None),
                    getattr(source, "seed", None),
                    getattr(source, "weights", None),
                ],
                sort_keys=True,
                default=list,
            ).encode()
        )
    else:
        for s in source:
            h.update(json.dumps([s.to_dict(), s.source], sort_keys=True, default=list).encode())
    return h.hexdigest()


def write_part(evaluator, piece, folder: str, index: int) -> dict:
    """Evaluate one piece and commit it as one partition; returns its summary counts."""
    from .table import frame, summary

    df = frame(piece.evaluate(evaluator))
    counts = {"rows": len(df), "summary": summary(df)}
    final = Path(folder) / part_name(index)
    tmp = Path(folder) / f".{final.name}.tmp"
    df.to_parquet(tmp, index=False)
    (Path(folder) / f"_{final.stem}.summary.json").write_text(json.dumps(counts))
    os.replace(tmp, final)  # the commit point
    return counts


def read_parts(folder: str | Path, columns: Sequence[str]) -> Iterator[Any]:
    """The committed partitions of a dataset folder as DataFrames, one at a time, in order."""
    import pandas as pd

    for path in sorted(Path(folder).glob("part-*.parquet")):
        yield pd.read_parquet(path, columns=list(columns))


def _manifest(source, rulebase, part_size: int, unknowns: bool) -> dict:
    total = len(source)
    return {
        "format": FORMAT,
        "rows": total,
        "part_size": part_size,
        "parts": -(-total // part_size),
        "rulebase_sha256": rulebase.sha256,
        "source": fingerprint(source),
        "unknowns": unknowns,
    }


def prepare(folder: str | Path, manifest: dict, resume: bool) -> list[int]:
    """Create or check the folder; the partitions still to do."""
    folder = Path(folder)
    path = folder / MANIFEST
    if path.exists():
        if not resume:
            raise AdvisorError(
                Problem(
                    "this folder already holds a sweep; add --resume to finish it, or choose another folder",
                    str(folder),
                    field="-o",
                )
            )
        try:
            old = json.loads(path.read_text())
        except (OSError, ValueError) as err:
            raise AdvisorError(Problem(f"the manifest cannot be read ({err})", str(path))) from err
        differs = [k for k in manifest if old.get(k) != manifest[k]]
        if differs:
            raise AdvisorError(
                Problem(
                    "--resume: this is not the run the folder holds (differs in "
                    + ", ".join(differs)
                    + "); give the same inputs and rule base",
                    str(path),
                    field="--resume",
                )
            )
    else:
        if folder.exists() and any(p for p in folder.iterdir()):
            raise AdvisorError(Problem("the dataset folder must be new or empty", str(folder), field="-o"))
        if resume:
            raise AdvisorError(
                Problem("--resume: there is no sweep in this folder to finish", str(folder), field="--resume")
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f".{MANIFEST}.tmp"
            tmp.write_text(json.dumps(manifest, indent=1))
            os.replace(tmp, path)
        except OSError as err:
            raise AdvisorError(
                Problem(f"cannot create the dataset folder: {err.strerror or err}", str(folder))
            ) from err
    return [i for i in range(manifest["parts"]) if not (folder / part_name(i)).exists()]


def merge(counts: Sequence[dict]) -> tuple[int, dict[str, dict[str, int]]]:
    """Add partition summaries into the whole run's (same shape as table.summary)."""
    total = 0
    merged: dict[str, Counter] = {}
    for c in counts:
        total += c["rows"]
        for name, values in c["summary"].items():
            merged.setdefault(name, Counter()).update(values)
    return total, {name: dict(counter.most_common()) for name, counter in merged.items()}


def write_dataset(
    source,
    rulebase,
    folder: str,
    *,
    jobs: int | None = 1,
    dask: str | None = None,
    resume: bool = False,
    unknowns: bool = False,
    part_size: int = PART_SIZE,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[int, dict]:
    """Evaluate `source` into the dataset folder; (rows, merged summary)."""
    from .run import cores, pieces

    if part_size < 1:
        raise AdvisorError(Problem("the partition size must be at least 1", field="--partition-rows"))
    manifest = _manifest(source, rulebase, part_size, unknowns)
    todo = prepare(folder, manifest, resume)
    work = pieces(source, part_size)
    done = [
        json.loads((Path(folder) / f"_{Path(part_name(i)).stem}.summary.json").read_text())
        for i in range(len(work))
        if i not in set(todo)
    ]
    if on_progress and done:
        on_progress(sum(c["rows"] for c in done))
    jobs = jobs if jobs is not None else (cores() if len(source) >= 4_000 else 1)
    if dask is not None:
        from .cluster import parse_target, run_pieces

        target = parse_target(dask, jobs)
        done += run_pieces(
            [work[i] for i in todo],
            rulebase,
            target,
            on_progress,
            unknowns,
            folder=str(Path(folder).resolve()),
            indexes=todo,
        )
    elif jobs <= 1 or len(todo) <= 1:
        from .outcome import Evaluator

        evaluator = Evaluator(rulebase, unknowns)
        for i in todo:
            done.append(write_part(evaluator, work[i], folder, i))
            if on_progress:
                on_progress(work[i].stop - work[i].start)
    else:
        from .run import pool_write

        done += pool_write([work[i] for i in todo], todo, rulebase, jobs, folder, on_progress, unknowns)
    return merge(done)
