"""Run a sweep's pieces on Dask: a LocalCluster of worker processes or an existing scheduler.

`--dask local[:N]` starts a LocalCluster of N single-threaded worker processes (the
durable-rules engine holds the GIL, so threads would not help); `--dask tcp://HOST:PORT`
connects to a scheduler someone else started. What travels to a worker is a Piece (a grid
and an index range, or a slice of plain scenario data) and the rule base's location and
sha256: each worker loads the rule base from that path once, and refuses to evaluate if
its hash differs, so a cluster never mixes advice from two rule bases. Results come back
as plain tuples and are put back in input order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..errors import AdvisorError, EngineError, Problem

LOCAL = "local"
SCHEMES = ("tcp://", "tls://", "inproc://", "ws://", "wss://")


@dataclass(frozen=True)
class Target:
    """Where to run: a LocalCluster of `workers` processes, or the scheduler at `address`."""

    address: str | None = None
    workers: int | None = None

    @property
    def text(self) -> str:
        return self.address or (f"{LOCAL}:{self.workers}" if self.workers else LOCAL)


ENV_DASK = "ADVISOR_DASK"


def configured(default_workers: int, env=None) -> Target | None:
    """The Dask target the app is configured with (ADVISOR_DASK), or None to run in-process."""
    import os

    text = (os.environ if env is None else env).get(ENV_DASK, "").strip()
    return parse_target(text, default_workers, field=ENV_DASK) if text else None


def parse_target(text: str, default_workers: int, field: str = "--dask") -> Target:
    """`local`, `local:N` or a scheduler address; AdvisorError names the option and what is allowed."""
    text = text.strip()
    allowed = ("local", "local:N", "tcp://HOST:PORT")
    if text == LOCAL:
        return Target(workers=default_workers)
    if text.startswith(LOCAL + ":"):
        count = text[len(LOCAL) + 1 :]
        if not count.isdigit() or int(count) < 1:
            raise AdvisorError(
                Problem(
                    f"'{text}': the worker count after 'local:' must be a whole number of at least 1",
                    field=field,
                    value=text,
                    allowed=allowed,
                )
            )
        return Target(workers=int(count))
    if text.startswith(SCHEMES) and len(text) > text.index("://") + 3:
        return Target(address=text)
    raise AdvisorError(Problem(f"'{text}' is not a Dask target", field=field, value=text, allowed=allowed))


def run_pieces(
    work: list,
    rulebase,
    target: Target,
    on_progress: Callable[[int], None] | None,
    unknowns: bool,
    folder: str | None = None,
    indexes: list[int] | None = None,
    on_dashboard: Callable[[str], None] | None = None,
) -> list:
    """Rows of every piece, in input order, computed on the target's workers.

    With `folder`, each worker writes its piece as partition `indexes[i]` of that dataset
    folder (which the workers must see: one machine, or a shared file system) and only
    the partition's summary comes back. `on_dashboard` gets the scheduler's dashboard
    address before the work starts, when the scheduler serves one.
    """
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as err:  # pragma: no cover - a dependency, but say so plainly
        raise AdvisorError(Problem("--dask needs dask[distributed] installed", field="--dask")) from err
    cluster = None
    try:
        if target.address is None:
            with _main_hidden():
                cluster = LocalCluster(
                    n_workers=target.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=40,
                )
            client = Client(cluster)
        else:
            client = Client(target.address, timeout="10s")
    except (OSError, TimeoutError) as err:
        if cluster is not None:
            cluster.close()
        raise AdvisorError(
            Problem(f"cannot reach the Dask scheduler ({err})", field="--dask", value=target.text)
        ) from err
    try:
        link = dashboard(client) if on_dashboard else None
        if link and on_dashboard is not None:
            on_dashboard(link)
        results: list[Any] = [None] * len(work)
        extra: dict[str, Any] = {} if folder is None else {"folder": folder}
        futures = client.map(
            _evaluate_piece,
            work,
            indexes or range(len(work)),
            **extra,
            rules_dir=str(rulebase.rules_dir),
            knowledge_dir=str(rulebase.knowledge_dir),
            sha256=rulebase.sha256,
            unknowns=unknowns,
            pure=False,
        )
        index = {f.key: i for i, f in enumerate(futures)}
        try:
            for future in as_completed(futures):
                i = index[future.key]
                out = future.result()
                if isinstance(out, str):
                    raise EngineError(out)
                results[i] = out
                if on_progress:
                    on_progress(work[i].stop - work[i].start)
        except BaseException:
            client.cancel(futures)
            raise
        if folder is not None:
            return results
        return [row for part in results for row in part]
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def _main_hidden():
    """Spawned workers re-import the parent's __main__; a Streamlit page runs as __main__,
    so they would re-run the page and die. The workers need only advisor's modules."""
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if main is not None and k in main.__dict__}
    if main is not None:
        main.__dict__.pop("__file__", None)
        main.__spec__ = None  # multiprocessing reads it; None means "nothing to re-import"
    try:
        yield
    finally:
        if main is not None:
            main.__dict__.update(saved)


def dashboard(client) -> str | None:
    """The dashboard's address, or None when it does not answer: a scheduler without bokeh
    still names a dashboard port, whose /status page is then a 404, not a link to offer."""
    import urllib.request

    try:
        info = client.scheduler_info()
        if "dashboard" not in info.get("services", {}):
            return None
        link = client.dashboard_link
        with urllib.request.urlopen(link, timeout=2) as answer:
            return link if answer.status == 200 else None
    except (KeyError, AttributeError, ValueError, OSError):  # URLError and HTTPError are OSErrors
        return None


# One evaluator per worker process, keyed by the rule base's identity.
_evaluators: dict[tuple, Any] = {}


def _evaluate_piece(
    piece, index: int, rules_dir: str, knowledge_dir: str, sha256: str, unknowns: bool, folder: str | None = None
):
    """Runs on a worker: the piece's rows, or an error message (a str) to raise at the driver.

    The message travels as text, not as an exception object, so that a worker's failure
    reads the same however the cluster serialises exceptions.
    """
    from ..ruleset import load_rulebase
    from .outcome import Evaluator

    key = (rules_dir, knowledge_dir, sha256, unknowns)
    evaluator = _evaluators.get(key)
    if evaluator is None:
        try:
            rulebase = load_rulebase(rules_dir, knowledge_dir)
        except AdvisorError as err:
            return f"a Dask worker could not load the rule base: {err}"
        if rulebase.sha256 != sha256:
            return str(
                EngineError(
                    Problem(
                        f"a Dask worker sees a different rule base (sha256 {rulebase.sha256[:12]}, the sweep's is "
                        f"{sha256[:12]}); give every worker the same rules and knowledge",
                        rules_dir,
                    )
                )
            )
        evaluator = _evaluators[key] = Evaluator(rulebase, unknowns)
    if folder is not None:
        from .dataset import write_part

        return write_part(evaluator, piece, folder, index)
    return piece.evaluate(evaluator)
