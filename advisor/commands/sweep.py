"""advisor sweep: advice over a file of scenarios or a grid of varied facts, as a table."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..errors import AdvisorError, Problem

if TYPE_CHECKING:  # the names _imports() binds at run time, for mypy
    from .. import scenario as scenarios
    from ..ruleset import load_rulebase


def _imports() -> None:
    """What the command needs, imported when it runs: `advisor --help` and the other commands
    build their parsers without paying for the engine, fpdf2, pandas and the rule loader."""
    global scenarios, load_rulebase
    from .. import scenario as scenarios
    from ..ruleset import load_rulebase


# Runs shorter than this finish before a progress bar would tell anything.
PROGRESS_MIN = 500


def register(sub, common) -> None:
    p = sub.add_parser(
        "sweep",
        parents=[common],
        help="advise on many scenarios at once (a file or a grid)",
        description="Evaluate every scenario of a file (CSV, Excel, YAML list, JSON lines) or of a grid "
        "(--vary FIELD=V1,V2,... over an optional --base scenario). The table (one row per "
        "scenario: facts, mandate, functions, structure, HQ, one column per partner, counts) "
        "goes to -o; the summary goes to standard output; progress to standard error.",
    )
    p.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="scenarios: .csv, .xlsx, .yaml/.yml (a list), .jsonl (one JSON object a line)",
    )
    p.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="FIELD=V1,V2,...",
        help="vary a fact over values (repeatable); '*' = every value, 'unknown' = left out, "
        "list fields take 'a+b' and 'none'; paths like host_capacity.legislative",
    )
    p.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="Monte Carlo: draw N scenarios instead of the grid; --vary values take weights "
        "VALUE:WEIGHT (e.g. host_commitment=strong:1,moderate:2,weak:1)",
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed of --sample (default 0)")
    p.add_argument("--base", metavar="SCENARIO", help="scenario file whose facts the grid starts from")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write the table to OUT (.csv or .parquet), or to a partitioned Parquet dataset "
        "folder when OUT has no extension or ends in '/' (flat memory at any size)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="finish an interrupted run into the same dataset folder (-o DIR/): only missing partitions are evaluated",
    )
    p.add_argument(
        "--partition-rows",
        type=int,
        default=None,
        metavar="N",
        help="scenarios per Parquet partition of a dataset folder (default 50,000)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes (default: all cores for large runs, 1 for small ones)",
    )
    p.add_argument(
        "--dask",
        metavar="local[:N]|tcp://HOST:PORT",
        help="run on Dask: a LocalCluster of N worker processes (default: --jobs, else all "
        "cores), or an existing scheduler's address; same table as a serial run",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    p.add_argument(
        "--unknowns",
        action="store_true",
        help="fill the 'unknown facts that mattered' column: each unknown fact's values are "
        "tried, as in the advice, so a row costs about 20 times more (default: left empty)",
    )
    # Before the column was exact it was on by default; scripts that turned it off still work.
    p.add_argument("--no-unknowns", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=run)


def _source(args):
    from ..sweep.grid import make_grid
    from ..sweep.inputs import read_scenarios

    if args.sample is not None and args.file:
        raise AdvisorError(Problem("--sample draws from --vary facts, not from a FILE", field="--sample"))
    if args.file and args.vary:
        raise AdvisorError(Problem("give a FILE of scenarios or --vary options, not both", field="FILE"))
    if args.file:
        if args.base:
            raise AdvisorError(Problem("--base only applies to a --vary grid", field="--base"))
        return read_scenarios(args.file)
    if not args.vary:
        raise AdvisorError(
            Problem("nothing to sweep: give a FILE of scenarios or --vary FIELD=V1,V2,...", field="FILE")
        )
    base = scenarios.load(args.base) if args.base else None
    if args.sample is not None:
        from ..sweep.montecarlo import make_sample

        return make_sample(args.vary, args.sample, args.seed, base)
    return make_grid(args.vary, base)


def run(args) -> int:
    _imports()
    from ..sweep.dataset import is_dataset_target
    from ..sweep.run import sweep_rows
    from ..sweep.table import FORMATS, frame, summary_text, write

    dataset = bool(args.output) and is_dataset_target(args.output)
    if (args.resume or args.partition_rows is not None) and not dataset:
        raise AdvisorError(
            Problem(
                "--resume and --partition-rows apply to a dataset folder output (-o DIR/)",
                field="--resume" if args.resume else "--partition-rows",
            )
        )
    if args.output and not dataset and not args.output.lower().endswith(FORMATS):
        raise AdvisorError(
            Problem("the table can be written as .csv or .parquet", args.output, field="-o", allowed=FORMATS)
        )
    source = _source(args)
    rulebase = load_rulebase(args.rules, args.knowledge)
    total = len(source)
    bar = None
    if not args.no_progress and total >= PROGRESS_MIN:
        from tqdm import tqdm

        bar = tqdm(total=total, unit="scenario", file=sys.stderr, desc="sweep", dynamic_ncols=True)
    try:
        if dataset:
            return _to_dataset(args, source, rulebase, bar)
        rows = sweep_rows(
            source,
            rulebase,
            jobs=args.jobs,
            on_progress=bar.update if bar else None,
            unknowns=args.unknowns and not args.no_unknowns,
            dask=args.dask,
        )
    finally:
        if bar is not None:
            bar.close()
    df = frame(rows)
    if args.output:
        write(df, args.output)
    sys.stdout.write(summary_text(df))
    _monte_carlo(source, df)
    if args.output:
        sys.stdout.write(f"table: {args.output} ({len(df):,} rows, {len(df.columns)} columns)\n")
    return 0


def _to_dataset(args, source, rulebase, bar) -> int:
    from ..sweep.dataset import PART_SIZE, write_dataset
    from ..sweep.outcome import COLUMNS
    from ..sweep.table import counts_text

    total, counted = write_dataset(
        source,
        rulebase,
        args.output,
        jobs=args.jobs,
        dask=args.dask,
        resume=args.resume,
        unknowns=args.unknowns and not args.no_unknowns,
        part_size=args.partition_rows or PART_SIZE,
        on_progress=bar.update if bar else None,
    )
    if bar is not None:
        bar.close()
    sys.stdout.write(counts_text(total, counted))
    if args.sample is not None:
        from ..sweep.dataset import read_parts
        from ..sweep.montecarlo import Tally, tally, tally_text
        from ..sweep.table import SUMMARISED

        # Partition by partition, and only the columns the summary needs: flat memory at any size.
        facts = [a.path for a in source.axes]
        joint: Tally = Tally()
        for part in read_parts(args.output, list(dict.fromkeys(facts + list(SUMMARISED)))):
            joint.update(tally(part, facts))
        sys.stdout.write(tally_text(joint, facts))
    sys.stdout.write(f"table: {args.output} (Parquet dataset folder, {total:,} rows, {len(COLUMNS)} columns)\n")
    return 0


def _monte_carlo(source, df) -> None:
    from ..sweep.montecarlo import Sample, sample_text

    if isinstance(source, Sample):
        sys.stdout.write(sample_text(df, [a.path for a in source.axes]))
